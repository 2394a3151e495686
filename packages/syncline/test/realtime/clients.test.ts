// The graphql-ws and graphql-sse clients, unmodified, authenticating with AppSync's x-api-key header.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SynclineServer } from '../../src/index.js';
import { API_KEY, mutate, startRealtime } from './helpers.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startRealtime();
});
afterAll(() => server.close());

async function until(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

describe('graphql-ws client (graphql-transport-ws)', () => {
  it('subscribes with connectionParams auth, receives filtered data, and unsubscribes', async () => {
    const client = createWsClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': API_KEY },
      retryAttempts: 0,
    });
    const received: any[] = [];
    const before = server.realtime.hub.stats.active;
    const unsubscribe = client.subscribe(
      { query: 'subscription ($o: String) { onCreateOrder(owner: $o) { id owner } }', variables: { o: 'ada' } },
      { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    await mutate(server, 'mutation { createOrder(id: "w1", item: "x", owner: "bob") { id owner } }');
    await mutate(server, 'mutation { createOrder(id: "w2", item: "x", owner: "ada") { id owner } }');
    await until(() => received.length === 1);
    expect(received).toEqual([{ data: { onCreateOrder: { id: 'w2', owner: 'ada' } } }]);
    unsubscribe();
    await until(() => server.realtime.hub.stats.active === before);
    await client.dispose();
  });

  it('runs queries and mutations over the socket, and the mutation publishes', async () => {
    const client = createWsClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': API_KEY },
      retryAttempts: 0,
    });
    const events: any[] = [];
    const before = server.realtime.hub.stats.active;
    const stop = client.subscribe(
      { query: 'subscription { onOrderChange { id status } }' },
      {
        next: (v) => events.push(v),
        error: () => {},
        complete: () => {},
      },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    const result = await new Promise<any>((ok, fail) => {
      client.subscribe(
        { query: 'mutation { updateOrder(id: "w3", status: "paid") { id status } }' },
        {
          next: ok,
          error: fail,
          complete: () => {},
        },
      );
    });
    expect(result).toEqual({ data: { updateOrder: { id: 'w3', status: 'paid' } } });
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ data: { onOrderChange: { id: 'w3', status: 'paid' } } });
    stop();
    await client.dispose();
  });

  it('is refused with 4403 for a wrong key', async () => {
    const closed = await new Promise<any>((ok) => {
      const client = createWsClient({
        url: server.endpoints.realtime!,
        webSocketImpl: WebSocket,
        connectionParams: { 'x-api-key': 'da2-wrong' },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: ok,
      });
      void client;
    });
    expect(closed.code).toBe(4403);
  });
});

describe('graphql-sse client (distinct connections)', () => {
  it('subscribes over SSE, receives filtered data, and unsubscribes', async () => {
    const client = createSseClient({
      url: server.endpoints.graphql,
      headers: { 'x-api-key': API_KEY },
      retryAttempts: 0,
    });
    const received: any[] = [];
    const before = server.realtime.hub.stats.active;
    const unsubscribe = client.subscribe(
      { query: 'subscription { onCreateOrder(item: "sse") { id item } }' },
      { next: (v) => received.push(v), error: (e) => received.push({ error: String(e) }), complete: () => {} },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    await mutate(server, 'mutation { createOrder(id: "e1", item: "other") { id item } }');
    await mutate(server, 'mutation { createOrder(id: "e2", item: "sse") { id item } }');
    await until(() => received.length === 1);
    expect(received).toEqual([{ data: { onCreateOrder: { id: 'e2', item: 'sse' } } }]);
    unsubscribe();
    await until(() => server.realtime.hub.stats.active === before);
    client.dispose();
  });

  it('sends validation errors as a next event', async () => {
    const client = createSseClient({
      url: server.endpoints.graphql,
      headers: { 'x-api-key': API_KEY },
      retryAttempts: 0,
    });
    const result = await new Promise<any>((ok, fail) => {
      client.subscribe(
        { query: 'subscription { onCreateOrder { nope } }' },
        { next: ok, error: fail, complete: () => {} },
      );
    });
    expect(result.errors[0].message).toMatch(/FieldUndefined/);
    client.dispose();
  });
});

describe('graphql-sse client (single connection)', () => {
  it('reserves one stream, runs a subscription and a query over it, and stops the subscription', async () => {
    const client = createSseClient({
      url: `${server.endpoints.http}/graphql/stream`,
      singleConnection: true,
      headers: { 'x-api-key': API_KEY },
      retryAttempts: 0,
    });
    const received: any[] = [];
    const before = server.realtime.hub.stats.active;
    const unsubscribe = client.subscribe(
      { query: 'subscription { onCreateOrder(item: "one") { id item } }' },
      { next: (v) => received.push(v), error: (e) => received.push({ error: String(e) }), complete: () => {} },
    );
    await until(() => server.realtime.hub.stats.active === before + 1);
    const answer = await new Promise<any>((ok, fail) => {
      client.subscribe({ query: '{ none }' }, { next: ok, error: fail, complete: () => {} });
    });
    expect(answer).toEqual({ data: { none: null } });
    await mutate(server, 'mutation { createOrder(id: "o1", item: "other") { id item } }');
    await mutate(server, 'mutation { createOrder(id: "o2", item: "one") { id item } }');
    await until(() => received.length === 1);
    expect(received).toEqual([{ data: { onCreateOrder: { id: 'o2', item: 'one' } } }]);
    unsubscribe();
    await until(() => server.realtime.hub.stats.active === before);
    client.dispose();
  });
});
