// Content negotiation on /graphql (GraphQL over HTTP): JSON unless the client prefers text/event-stream, with
// urql's and graphql-sse's real clients.
import { Client, fetchExchange, gql as urqlGql } from '@urql/core';
import fc from 'fast-check';
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefersEventStream } from '../../src/http/accept.js';
import type { SynclineServer } from '../../src/index.js';
import { API_KEY, startRealtime } from '../realtime/helpers.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startRealtime();
});
afterAll(() => server.close());

describe('prefersEventStream', () => {
  it.each([
    [undefined, false],
    ['application/json', false],
    ['text/event-stream', true],
    ['application/json, text/event-stream', false],
    ['text/event-stream, application/json', true],
    ['application/graphql-response+json, application/json, text/event-stream, multipart/mixed', false],
    ['text/event-stream, multipart/mixed', true],
    ['application/json;q=0.5, text/event-stream', true],
    ['text/event-stream;q=0.4, application/json;q=0.9', false],
    ['text/event-stream, */*', true],
    ['*/*, text/event-stream', false],
    ['text/event-stream;q=0', false],
    ['text/event-stream;q=banana', false],
    ['TEXT/EVENT-STREAM', false], // no lowercase match of the name: not asked for
    ['text/event-stream; charset=utf-8', true],
    [['application/json', 'text/event-stream'], false],
  ] as const)('%s → %s', (accept, expected) => {
    expect(prefersEventStream(accept as string | string[] | undefined)).toBe(expected);
  });

  it('never throws on any header', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof prefersEventStream(`${s}, text/event-stream;q=${s}`)).toBe('boolean');
      }),
    );
  });
});

describe('urql', () => {
  const client = () =>
    new Client({
      url: server.endpoints.graphql,
      exchanges: [fetchExchange],
      fetchOptions: { headers: { 'x-api-key': API_KEY } },
      fetchSubscriptions: true,
      requestPolicy: 'network-only',
    });

  it('gets JSON for a query and a mutation with its default Accept header', async () => {
    const urql = client();
    const created = await urql
      .mutation(urqlGql`mutation { createOrder(id: "u1", item: "urql") { id item } }`, {})
      .toPromise();
    expect(created.error).toBeUndefined();
    expect(created.data).toEqual({ createOrder: { id: 'u1', item: 'urql' } });
    const read = await urql.query(urqlGql`{ none }`, {}).toPromise();
    expect(read.error).toBeUndefined();
    expect(read.data).toEqual({ none: null });
  });

  it('is answered with JSON, not a stream, to its Accept header', async () => {
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': API_KEY,
        accept:
          'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
      },
      body: JSON.stringify({ query: '{ none }' }),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ data: { none: null } });
  });
});

describe('graphql-sse', () => {
  it('still gets an event stream', async () => {
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

  it('a client ranking the stream first by q-value gets the stream', async () => {
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': API_KEY,
        accept: 'application/json;q=0.5, text/event-stream',
      },
      body: JSON.stringify({ query: 'subscription { onCreateOrder { id } }' }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await res.body?.cancel();
  });
});
