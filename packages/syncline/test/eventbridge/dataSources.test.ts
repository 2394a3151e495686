// Resolvers putting events on the app's buses: the AMAZON_EVENTBRIDGE data source, and an HTTP data source signed
// with SigV4 for `events` calling Syncline's own PutEvents endpoint through the AWS API door (signatures required).
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorCredential } from '../../src/auth/operatorCredentials.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql } from '../helpers/server.js';

let server: SynclineServer;
const READER: OperatorCredential = {
  name: 'reader',
  accessKeyId: 'AKIAEVENTSREADER0001',
  secretAccessKey: 'events-reader-secret',
  policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }] }],
};

/** A port free now: the app's HTTP data source must name the server's URL before the server starts. */
async function freePort(): Promise<number> {
  const probe = createHttpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  process.env.SYNCLINE_TEST_SELF_ENDPOINT = `http://127.0.0.1:${port}`;
  server = await createServer({
    dir: fixtureApp('eventbridge'),
    port,
    data: ':memory:',
    log: 'silent',
    requireSignatures: true,
    credentials: [READER],
  });
});
afterAll(async () => {
  await server?.close();
  delete process.env.SYNCLINE_TEST_SELF_ENDPOINT;
});

const received = (fn: string) =>
  server.functions
    .logs(fn)
    .filter((l) => l.message.startsWith('EVENT '))
    .map((l) => JSON.parse(l.message.slice('EVENT '.length)).event);

const RESULT = '{ Entries { EventId ErrorCode ErrorMessage } FailedEntryCount }';

describe('the AMAZON_EVENTBRIDGE data source', () => {
  it('puts the events on its bus; ctx.result is PutEvents’ answer and rules receive the event', async () => {
    const res = await gql(server, `mutation { placeOrder(id: "d-1", total: 300) ${RESULT} }`);
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data.placeOrder;
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    await expect
      .poll(() => received('bigOrders').map((e) => e.id), { timeout: 10_000 })
      .toContain(out.Entries[0].EventId);
    const event = received('bigOrders').find((e) => e.id === out.Entries[0].EventId);
    expect(event).toMatchObject({
      source: 'shop',
      'detail-type': 'OrderPlaced',
      resources: ['arn:aws:shop:order/d-1'],
      detail: { id: 'd-1', total: 300 },
    });
  });

  it('reports a failed entry in Entries and FailedEntryCount, not as an error', async () => {
    const res = await gql(server, `mutation { placeInvalid ${RESULT} }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.placeInvalid.FailedEntryCount).toBe(1);
    expect(res.body.data.placeInvalid.Entries[0]).toEqual({
      EventId: null,
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    });
    expect(res.body.data.placeInvalid.Entries[1].EventId).toBeTruthy();
  });

  it('refuses more than 10 events as EventBridge:ValidationException', async () => {
    const res = await gql(server, `mutation { placeMany(count: 11) ${RESULT} }`);
    expect(res.body.data.placeMany).toBeNull();
    expect(res.body.errors[0]).toMatchObject({
      errorType: 'EventBridge:ValidationException',
      message: expect.stringContaining('less than or equal to 10'),
    });
  });
});

describe('an HTTP data source signed for events, calling Syncline’s own PutEvents', () => {
  it('passes the door with the data source role’s signature and delivers the event', async () => {
    const res = await gql(server, `mutation { placeOrderOverHttp(id: "h-1", total: 700) ${RESULT} }`);
    expect(res.body.errors).toBeUndefined();
    const id = res.body.data.placeOrderOverHttp.Entries[0].EventId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => received('bigOrders').map((e) => e.id), { timeout: 10_000 }).toContain(id);
    expect(received('bigOrders').find((e) => e.id === id).detail).toEqual({ id: 'h-1', total: 700, via: 'http' });
  });

  it('is refused by the door without signing', async () => {
    const res = await gql(server, `mutation { placeOrderUnsigned(id: "h-2", total: 700) ${RESULT} }`);
    expect(res.body.data.placeOrderUnsigned).toBeNull();
    expect(res.body.errors[0].errorType).toMatch(/MissingAuthenticationTokenException$/);
  });

  it('signs for dynamodb too: PutItem on the app’s table passes, another table is denied by the role’s policy', async () => {
    const ok = await gql(server, 'mutation { saveOrderOverHttp(id: "h-3", table: "Orders") }');
    expect(ok.body).toEqual({ data: { saveOrderOverHttp: 'ok' } });
    const reader = new DynamoDBClient({
      endpoint: server.endpoints.http,
      region: 'us-east-1',
      credentials: { accessKeyId: READER.accessKeyId, secretAccessKey: READER.secretAccessKey },
    });
    try {
      const { Item } = await reader.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'h-3' } } }));
      expect(Item).toEqual({ id: { S: 'h-3' }, via: { S: 'http' } });
    } finally {
      reader.destroy();
    }
    const denied = await gql(server, 'mutation { saveOrderOverHttp(id: "h-4", table: "Secrets") }');
    expect(denied.body.data.saveOrderOverHttp).toBe('com.amazon.coral.service#AccessDeniedException');
  });
});
