// The real Amplify JS v6 client, unmodified: it turns the http:// endpoint into wss://…/graphql/realtime, so this
// also proves TLS on the shared port. Trusting the dev certificate is the only setup, as a user would do it.
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { SynclineServer } from '../../src/index.js';
import { API_KEY, mutate, startRealtime } from './helpers.js';

let server: SynclineServer;
const original = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeAll(async () => {
  server = await startRealtime();
  const ca = server.devCertificate!.cert;
  // Node 20 has no global WebSocket; this one trusts the dev certificate, like NODE_EXTRA_CA_CERTS would.
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WsWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  };
  Amplify.configure({
    API: {
      GraphQL: { endpoint: server.endpoints.graphql, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: API_KEY },
    },
  });
});

afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
  await server.close();
});

function nextValues(
  count: number,
  observable: any,
): { values: Promise<any[]>; stop: () => void; ready: Promise<void> } {
  const received: any[] = [];
  let done!: (v: any[]) => void;
  let failed!: (e: unknown) => void;
  const values = new Promise<any[]>((ok, fail) => {
    done = ok;
    failed = fail;
  });
  // Listening before subscribing: a fast server acknowledges before a listener attached afterwards would hear it.
  const ready = waitForAck();
  const sub = observable.subscribe({
    next: (value: any) => {
      received.push(value);
      if (received.length === count) done(received);
    },
    error: (error: unknown) => failed(error),
  });
  return { values, stop: () => sub.unsubscribe(), ready };
}

// Amplify reports each start_ack on its Hub channel; waiting for it avoids racing the mutation.
function waitForAck(): Promise<void> {
  return new Promise<void>((ok) => {
    const stop = Hub.listen('api', (event: any) => {
      if (event.payload?.event === 'Subscription ack') {
        stop();
        ok();
      }
    });
  });
}

describe('aws-amplify v6 over wss:// with the dev certificate', () => {
  it('subscribes, receives only the mutations its arguments select, and unsubscribes', async () => {
    const client = generateClient();
    const watched = nextValues(
      2,
      client.graphql({
        query: 'subscription OnTea($item: String) { onCreateOrder(item: $item) { id item quantity } }',
        variables: { item: 'tea' },
      }),
    );
    await watched.ready;
    await mutate(server, 'mutation { createOrder(id: "c1", item: "coffee", quantity: 1) { id item quantity } }');
    await mutate(server, 'mutation { createOrder(id: "t1", item: "tea", quantity: 2) { id item quantity } }');
    await mutate(server, 'mutation { createOrder(id: "t2", item: "tea") { id item } }');
    const values = await watched.values;
    expect(values.map((v) => v.data.onCreateOrder)).toEqual([
      { id: 't1', item: 'tea', quantity: 2 },
      { id: 't2', item: 'tea', quantity: null },
    ]);
    watched.stop();
    // Amplify sends `stop`; the hub drops the subscription.
    await expect.poll(() => server.realtime.hub.stats.active, { timeout: 5_000 }).toBe(0);
  });

  it('delivers a mutation sent with the same Amplify client', async () => {
    const client = generateClient();
    const watched = nextValues(1, client.graphql({ query: 'subscription { onOrderChange { id status } }' }));
    await watched.ready;
    const created: any = await client.graphql({
      query: 'mutation { updateOrder(id: "u1", status: "shipped") { id status } }',
    });
    expect(created.data.updateOrder).toEqual({ id: 'u1', status: 'shipped' });
    expect((await watched.values)[0].data.onOrderChange).toEqual({ id: 'u1', status: 'shipped' });
    watched.stop();
  });
});
