// A SAM template run as it is: AppSync resources, a DynamoDB table with a stream, two functions whose CodeUri
// folders hold their own node_modules, spoken to with real clients.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({ dir: fixtureApp('sam-orders'), port: 0, data: ':memory:', log: 'silent' });
});
afterAll(() => server?.close());

async function until(condition: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

describe('a SAM template', { timeout: 60_000 }, () => {
  it('is read as CloudFormation, with what only AWS runs in one notice', () => {
    expect(server.app.format).toBe('cloudformation');
    expect(server.app.name).toBe('orders-sam');
    const [notice] = server.app.notices ?? [];
    for (const key of [
      'OrdersTable.SSESpecification',
      'OrdersApi.XrayEnabled',
      'ApiFunction.Role',
      'AWS::IAM::Role (FunctionRole)',
      'AWS::KMS::Key (OrdersKey)',
    ]) {
      expect(notice).toContain(key);
    }
  });

  it('runs each function from its CodeUri folder, its own node_modules first, with Globals and Parameters', async () => {
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      body: JSON.stringify({ id: 'o1', item: 'tea' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      label: 'api:tea',
      table: 'orders-dev',
      tableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders-dev',
      greeting: 'hello',
      which: 'development',
      memory: '256',
    });
    const got = await gql(server, '{ getOrder(id: "o1") { id item } }');
    expect(got.body).toEqual({ data: { getOrder: { id: 'o1', item: 'tea' } } });
  });

  it('carries a write through the DynamoDB event to a graphql-ws subscriber', async () => {
    const client = createClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': server.apiKey! },
      retryAttempts: 0,
    });
    const received: unknown[] = [];
    const before = server.realtime.hub.stats.active;
    const stop = client.subscribe(
      { query: 'subscription { onPublishOrder { id item label } }' },
      { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      body: JSON.stringify({ id: 'o2', item: 'cake' }),
    });
    expect(res.status).toBe(201);
    await until(() => received.some((r) => JSON.stringify(r).includes('o2')));
    expect(received).toContainEqual({ data: { onPublishOrder: { id: 'o2', item: 'cake', label: 'publish:cake' } } });
    stop();
    await client.dispose();
  });

  it('takes --param values over Parameter defaults, and refuses one outside AllowedValues', async () => {
    const prod = await loadApp(fixtureApp('sam-orders'), {
      data: ':memory:',
      params: { Stage: 'prod', Greeting: 'hi' },
    });
    expect(prod.tables.OrdersTable.name).toBe('orders-prod');
    expect(prod.functions.ApiFunction.environment).toMatchObject({
      GREETING: 'hi',
      WHICH: 'production',
      TABLE_NAME: 'orders-prod',
    });
    expect(prod.functions.PublishFunction.events[0]).toMatchObject({
      type: 'stream',
      table: 'OrdersTable',
      batchSize: 10,
      filterPatterns: [{ eventName: ['INSERT'] }],
    });
    await expect(loadApp(fixtureApp('sam-orders'), { data: ':memory:', params: { Stage: 'qa' } })).rejects.toThrow(
      /template\.yaml:\d+: Parameters\.Stage: qa is not one of AllowedValues \(dev, prod\)/,
    );
  });
});
