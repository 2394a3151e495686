// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and the Framework's reference syntax, not a template.
// A serverless.yml app (serverless-appsync-plugin v2) run as it is, spoken to with real clients: GraphQL over
// HTTP, a graphql-ws subscription fed by an HTTP route → table → stream → function → mutation chain.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({ dir: fixtureApp('serverless-orders'), port: 0, data: ':memory:', log: 'silent' });
});
afterAll(() => server.close());

async function until(condition: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

describe('a serverless.yml app', { timeout: 60_000 }, () => {
  it('is found in its folder and read as the serverless format', () => {
    expect(server.app.format).toBe('serverless');
    expect(server.app.name).toBe('orders-api');
    expect(server.app.region).toBe('eu-west-1');
  });

  it('lists in one notice what only AWS runs, and not what a condition removed', () => {
    expect(server.app.notices).toHaveLength(1);
    const [notice] = server.app.notices ?? [];
    for (const key of [
      'appSync.logging',
      'appSync.xrayEnabled',
      'OrdersTable.BillingMode',
      'AWS::S3::Bucket (UploadsBucket)',
    ]) {
      expect(notice).toContain(key);
    }
    // `!If [IsProd, …, !Ref AWS::NoValue]` is no property at all on the dev stage.
    expect(notice).not.toContain('PointInTimeRecoverySpecification');
  });

  it('runs mutations and queries through unit and pipeline resolvers, with ctx.env from appSync.environment', async () => {
    const created = await gql(server, 'mutation { createOrder(item: "tea") { id item status } }');
    expect(created.body.errors).toBeUndefined();
    const { id } = created.body.data.createOrder;
    expect(created.body.data.createOrder).toMatchObject({ item: 'tea', status: 'PENDING' });
    const got = await gql(server, 'query ($id: ID!) { getOrder(id: $id) { id item } }', { id });
    expect(got.body.data.getOrder).toEqual({ id, item: 'tea' });
    const summary = await gql(server, 'query ($id: ID!) { orderSummary(id: $id) }', { id });
    expect(summary.body).toEqual({ data: { orderSummary: 'tea is PENDING (dev)' } });
  });

  it('gives functions real local values for variables and intrinsics (Ref, GetAtt, Sub, Join, If)', async () => {
    const res = await gql(server, '{ echo }');
    expect(res.body.errors).toBeUndefined();
    expect(JSON.parse(res.body.data.echo)).toEqual({
      table: 'orders-orders-dev',
      tableArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders-orders-dev',
      fromSub: 'orders-orders-dev@eu-west-1',
      joined: '000000000000/team-orders',
      which: 'development',
      stage: 'dev',
      greeting: 'hello',
      echoArn: 'arn:aws:lambda:eu-west-1:000000000000:function:echo',
      memory: '256',
    });
  });

  it('carries an order from the HTTP route through the stream function to a graphql-ws subscriber', async () => {
    const client = createClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': server.apiKey! },
      retryAttempts: 0,
    });
    const received: unknown[] = [];
    const before = server.realtime.hub.stats.active;
    const stop = client.subscribe(
      { query: 'subscription { onPublishOrder { id item status } }' },
      { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      body: JSON.stringify({ id: 'http-1', item: 'coffee' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { table: string; expiresAt: number };
    expect(body.table).toBe('orders-orders-dev');
    // TTL_SECONDS came from `${param:ttlSeconds}` (params.default) through the provider's environment.
    expect(body.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(3500);
    expect(body.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3600);
    // An order created by an earlier test may still be on its way through the stream: look for this one.
    await until(() => received.some((r) => JSON.stringify(r).includes('http-1')));
    expect(received).toContainEqual({ data: { onPublishOrder: { id: 'http-1', item: 'coffee', status: 'PENDING' } } });
    stop();
    await client.dispose();
  });
});

describe('stages and parameters', () => {
  it('--stage picks the stage: names, params and conditions follow it', async () => {
    const app = await loadApp(fixtureApp('serverless-orders'), { data: ':memory:', stage: 'prod' });
    expect(app.tables.OrdersTable.name).toBe('orders-orders-prod');
    expect(app.functions.createOrder.environment.TTL_SECONDS).toBe('86400');
    expect(app.functions.echo.environment.WHICH).toBe('production');
    expect(app.notices?.[0]).toContain('PointInTimeRecoverySpecification');
  });

  it('--param overrides a params value and ${env:} overrides its default', async () => {
    const app = await loadApp(fixtureApp('serverless-orders'), {
      data: ':memory:',
      params: { ttlSeconds: '60' },
      env: { ORDERS_GREETING: 'hi' },
    });
    expect(app.functions.createOrder.environment.TTL_SECONDS).toBe('60');
    expect(app.functions.createOrder.environment.GREETING).toBe('hi');
  });

  it('applies the Framework defaults: 6 s, 1024 MB, stream batch 10 from TRIM_HORIZON', async () => {
    const app = await loadApp(fixtureApp('serverless-orders'), { data: ':memory:' });
    expect(app.functions.createOrder).toMatchObject({ timeout: 6, memorySize: 1024 });
    expect(app.functions.publishOrder.events[0]).toMatchObject({
      type: 'stream',
      table: 'OrdersTable',
      batchSize: 10,
      startingPosition: 'TRIM_HORIZON',
      filterPatterns: [{ eventName: ['INSERT'] }],
    });
    expect(app.functions.tick.events[0]).toEqual({
      type: 'schedule',
      expression: 'rate(1 hour)',
      enabled: false,
      input: { source: 'fixture' },
    });
  });
});
