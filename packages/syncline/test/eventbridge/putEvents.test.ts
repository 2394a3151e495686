// EventBridge on Syncline, spoken to with the real @aws-sdk/client-eventbridge: PutEvents through the AWS API door,
// per-entry errors and limits as AWS reports them, rules matching event patterns invoking functions asynchronously.
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorCredential } from '../../src/auth/operatorCredentials.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const busArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;

const PUBLISHER: OperatorCredential = {
  name: 'publisher',
  accessKeyId: 'AKIAEVENTSPUBLISHER1',
  secretAccessKey: 'events-publisher-secret',
  policies: [{ Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] }],
};
const ORDERS_ONLY: OperatorCredential = {
  name: 'orders-publisher',
  accessKeyId: 'AKIAEVENTSORDERS0002',
  secretAccessKey: 'events-orders-secret',
  policies: [{ Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn('orders') }] }],
};
const TABLES_ONLY: OperatorCredential = {
  name: 'tables',
  accessKeyId: 'AKIAEVENTSTABLES0003',
  secretAccessKey: 'events-tables-secret',
  policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }],
};

let server: SynclineServer;
const clients: EventBridgeClient[] = [];
const client = (c: { accessKeyId: string; secretAccessKey: string }) => {
  const made = new EventBridgeClient({
    endpoint: server.endpoints.http,
    region: REGION,
    credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
    maxAttempts: 1,
  });
  clients.push(made);
  return made;
};

beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('eventbridge'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    requireSignatures: true,
    credentials: [PUBLISHER, ORDERS_ONLY, TABLES_ONLY],
    functions: { asyncRetryDelaysMs: [30, 60] },
  });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
});

/** The events a function was invoked with, oldest first. */
const received = (fn: string) =>
  server.functions
    .logs(fn)
    .filter((l) => l.message.startsWith('EVENT '))
    .map((l) => JSON.parse(l.message.slice('EVENT '.length)));

const order = (total: number, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: 'shop',
  DetailType: 'OrderPlaced',
  Detail: JSON.stringify({ id: `o-${total}`, total }),
  EventBusName: 'orders',
  ...extra,
});

describe('PutEvents', () => {
  it('accepts entries and delivers those a rule matches to its function, as EventBridge events', async () => {
    const eb = client(PUBLISHER);
    const out = await eb.send(
      new PutEventsCommand({ Entries: [order(250, { Resources: ['arn:aws:shop:order/1'] }), order(50)] }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(2);
    for (const e of out.Entries!) expect(e.EventId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => received('bigOrders').length, { timeout: 10_000 }).toBe(1);
    const { event } = received('bigOrders')[0];
    expect(event).toEqual({
      version: '0',
      id: out.Entries![0].EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop',
      account: ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      region: REGION,
      resources: ['arn:aws:shop:order/1'],
      detail: { id: 'o-250', total: 250 },
    });
  });

  it('keeps a rule to its bus: the same event on the default bus reaches no orders rule', async () => {
    const before = received('bigOrders').length;
    const out = await client(PUBLISHER).send(
      new PutEventsCommand({ Entries: [order(999, { EventBusName: undefined })] }),
    );
    expect(out.FailedEntryCount).toBe(0);
    // A later event that does match proves delivery has run past the first.
    await client(PUBLISHER).send(new PutEventsCommand({ Entries: [order(998, { EventBusName: busArn('orders') })] }));
    await expect.poll(() => received('bigOrders').length, { timeout: 10_000 }).toBe(before + 1);
    expect(received('bigOrders').at(-1).event.detail.total).toBe(998);
  });

  it('answers each entry on its own: EventId, or ErrorCode and ErrorMessage, and counts the failures', async () => {
    const out = await client(PUBLISHER).send(
      new PutEventsCommand({
        Entries: [
          order(120),
          { Source: 'shop', DetailType: 'OrderPlaced', EventBusName: 'orders' },
          order(1, { Detail: '{not json' }),
          order(1, { EventBusName: 'nope' }),
          order(1, { Source: 'aws.ec2' }),
          order(1, { DetailType: '' }),
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(5);
    expect(out.Entries![0].EventId).toBeTruthy();
    expect(out.Entries!.slice(1)).toEqual([
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
    ]);
  });

  it('refuses more than 10 entries and more than 256 KB as ValidationException', async () => {
    const eb = client(PUBLISHER);
    const eleven = Array.from({ length: 11 }, (_, i) => order(i));
    await expect(eb.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('less than or equal to 10'),
    });
    const big = order(1, { Detail: JSON.stringify({ pad: 'x'.repeat(140 * 1024) }) });
    await expect(eb.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
    // One of them alone fits.
    expect((await eb.send(new PutEventsCommand({ Entries: [big] }))).FailedEntryCount).toBe(0);
  });

  it('checks the signature and events:PutEvents on every bus named', async () => {
    await expect(
      client({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(
        new PutEventsCommand({ Entries: [order(1)] }),
      ),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    await expect(client(TABLES_ONLY).send(new PutEventsCommand({ Entries: [order(1)] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const scoped = client(ORDERS_ONLY);
    expect((await scoped.send(new PutEventsCommand({ Entries: [order(1)] }))).FailedEntryCount).toBe(0);
    await expect(
      scoped.send(new PutEventsCommand({ Entries: [order(1), order(2, { EventBusName: 'default' })] })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`events:PutEvents on resource: ${busArn('default')}`),
    });
  });

  it('lets a function publish with the injected endpoint and credentials; a prefix rule picks it up', async () => {
    const result = await server.functions.invoke('publish', { hello: 'world' });
    expect(result).toMatchObject({ ok: true, payload: { endpoint: server.endpoints.http, failed: 0 } });
    await expect
      .poll(() => received('appEvents').map((r) => r.event.source), { timeout: 10_000 })
      .toContain('app.publisher');
    expect(received('appEvents')[0].event.detail).toEqual({ hello: 'world' });
    // A function may publish only to the app's buses: the role's policy names them.
    const denied = await server.functions.invoke('publish', { bus: 'elsewhere' });
    expect(denied).toMatchObject({ ok: false });
    expect(JSON.stringify(denied)).toContain('AccessDeniedException');
    // A disabled rule invokes nothing.
    expect(received('disabled')).toEqual([]);
  });

  it('retries a failing target with Lambda’s asynchronous retries', async () => {
    const out = await client(PUBLISHER).send(
      new PutEventsCommand({ Entries: [{ Source: 'flaky', DetailType: 'Try', Detail: '{"n":1}' }] }),
    );
    expect(out.FailedEntryCount).toBe(0);
    await expect.poll(() => received('flaky').length, { timeout: 10_000 }).toBe(2);
    const [first, second] = received('flaky');
    expect(first.event.id).toBe(out.Entries![0].EventId);
    expect(second.event.id).toBe(first.event.id);
    expect(second.call).toBe(2);
  });

  it('answers hostile bodies with AWS errors and keeps serving (fuzz)', async () => {
    // With the door open (syncline dev), so the bodies reach PutEvents itself.
    const open = await createServer({ dir: fixtureApp('eventbridge'), port: 0, data: ':memory:', log: 'silent' });
    const url = open.endpoints.http;
    try {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
            body: JSON.stringify({ Entries: body }),
          });
          const out = (await res.json()) as { __type?: string; FailedEntryCount?: number };
          if (res.status === 200) expect(out.FailedEntryCount).toBeGreaterThan(0);
          else expect([res.status, typeof out.__type]).toEqual([400, 'string']);
        }),
        { numRuns: 40 },
      );
    } finally {
      await open.close();
    }
    expect((await client(PUBLISHER).send(new PutEventsCommand({ Entries: [order(3)] }))).FailedEntryCount).toBe(0);
  });
});
