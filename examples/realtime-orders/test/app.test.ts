import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer, type SynclineServer } from '../../../packages/syncline/src/index.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fileURLToPath(new URL('..', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
}, 60_000);
afterAll(() => server.close());

async function gql(
  query: string,
  variables?: Record<string, unknown>,
  headers = { 'x-api-key': server.apiKey! },
): Promise<any> {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const postOrder = (body: unknown) =>
  fetch(`${server.endpoints.http}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** A raw AppSync-protocol subscriber (what Amplify speaks), collecting onOrder events. */
async function subscribe(status?: string) {
  const header = Buffer.from(
    JSON.stringify({ host: new URL(server.endpoints.graphql).host, 'x-api-key': server.apiKey }),
  ).toString('base64url');
  const ws = new WebSocket(server.endpoints.realtime!, ['graphql-ws', `header-${header}`]);
  const events: any[] = [];
  let started!: () => void;
  const ready = new Promise<void>((ok) => (started = ok));
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    if (m.type === 'connection_ack') {
      const query = `subscription S${status ? '($s: String)' : ''} { onOrder${status ? '(status: $s)' : ''} { id item status removed } }`;
      ws.send(
        JSON.stringify({
          id: '1',
          type: 'start',
          payload: {
            data: JSON.stringify({ query, variables: { s: status } }),
            extensions: { authorization: { 'x-api-key': server.apiKey, host: new URL(server.endpoints.graphql).host } },
          },
        }),
      );
    } else if (m.type === 'start_ack') started();
    else if (m.type === 'data') events.push(m.payload.data.onOrder);
  });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
  await ready;
  return { events, close: () => ws.close() };
}

async function until<T>(fn: () => T, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  while (!ok(fn()) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return fn();
}

it('POST /orders → function → table → stream → function → publish mutation → subscribers, filtered by status', async () => {
  const all = await subscribe();
  const preparing = await subscribe('PREPARING');

  const res = await postOrder({ item: 'tea', quantity: 2, customer: 'ada' });
  expect(res.status).toBe(201);
  const order = await res.json();
  expect(order).toMatchObject({ item: 'tea', quantity: 2, customer: 'ada', status: 'PENDING' });

  await until(
    () => all.events,
    (e) => e.some((o) => o.id === order.id),
  );
  expect(all.events.find((o) => o.id === order.id)).toEqual({
    id: order.id,
    item: 'tea',
    status: 'PENDING',
    removed: false,
  });

  await gql('mutation M($id: ID!) { setOrderStatus(id: $id, status: "PREPARING") { id } }', { id: order.id });
  await until(
    () => preparing.events,
    (e) => e.length > 0,
  );
  expect(preparing.events).toEqual([{ id: order.id, item: 'tea', status: 'PREPARING', removed: false }]);
  await until(
    () => all.events,
    (e) => e.length >= 2,
  );
  expect(all.events.map((o) => o.status)).toEqual(['PENDING', 'PREPARING']);
  all.close();
  preparing.close();
});

it('refuses a bad order with 400 and the field errors, writing nothing', async () => {
  const res = await postOrder({ item: '', quantity: 0 });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({
    message: 'Please fix the highlighted fields.',
    errors: { item: 'Enter an item.', quantity: 'A whole number from 1 to 99.', customer: 'Enter a name.' },
  });
});

it('an expired order is swept and published as removed', async () => {
  const all = await subscribe();
  const res = await postOrder({ item: 'scone', quantity: 1, customer: 'bob', ttlSeconds: 1 });
  const order = await res.json();
  await until(
    () => all.events,
    (e) => e.length > 0,
  );
  await new Promise((r) => setTimeout(r, 1100));
  await server.sweepTtl();
  await until(
    () => all.events,
    (e) => e.some((o) => o.removed),
  );
  expect(all.events.at(-1)).toEqual({ id: order.id, item: 'scone', status: 'PENDING', removed: true });
  expect((await gql('query Q($id: ID!) { getOrder(id: $id) { id } }', { id: order.id })).data.getOrder).toBeNull();
  all.close();
});

it('the publish mutations are refused to API-key callers: only the stream function (IAM) may publish', async () => {
  const res = await gql(
    'mutation { publishOrder(order: { id: "x", item: "i", quantity: 1, customer: "c", status: "PENDING", createdAt: "2026-01-01T00:00:00Z" }) { id } }',
  );
  expect(res.data.publishOrder).toBeNull();
  expect(res.errors[0]).toMatchObject({
    errorType: 'Unauthorized',
    message: 'Not Authorized to access publishOrder on type Mutation',
  });
});
