// AppSync's GraphQL limits over HTTP and on subscriptions: queryDepthLimit, resolverCountLimit, introspection off,
// and the structural bounds (selections with aliases and fragments expanded, bracket nesting, tokens) that keep
// a hostile document from reaching the quadratic validator or the recursive parser.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { gql } from '../helpers/server.js';
import { b64url, RawSocket, startRealtime } from '../realtime/helpers.js';

const KEY = 'da2-limitsfixturekey00000000';
let server: SynclineServer;

beforeAll(async () => {
  server = await createServer({
    dir: fileURLToPath(new URL('./fixtures/limits', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
});
afterAll(() => server?.close());

const ask = (query: string, variables?: Record<string, unknown>) => gql(server, query, variables, { 'x-api-key': KEY });
const aborted = (message: string) => [{ path: null, errorType: 'ExecutionAborted', locations: null, message }];

describe('queryDepthLimit', () => {
  it("refuses a query deeper than the limit before any resolver runs, with graphql-java's message", async () => {
    const r = await ask('{ node { child { child { child { id } } } } }');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: null, errors: aborted('maximum query depth exceeded 5 > 3') });
    const ok = await ask('{ node { child { id } } }');
    expect(ok.body).toEqual({ data: { node: { child: { id: 'n.c' } } } });
  });

  it('counts depth through fragments and inline fragments', async () => {
    const r = await ask('{ node { ...A } } fragment A on Node { child { ... on Node { child { id } } } }');
    expect(r.body.errors).toEqual(aborted('maximum query depth exceeded 4 > 3'));
  });

  it('applies to subscriptions too', async () => {
    const host = new URL(server.endpoints.graphql).host;
    const socket = await RawSocket.open(server.endpoints.realtime!, [
      'graphql-ws',
      `header-${b64url({ host, 'x-api-key': KEY })}`,
    ]);
    try {
      socket.send({ type: 'connection_init' });
      expect((await socket.next()).type).toBe('connection_ack');
      const query = 'subscription { onNode { child { child { child { id } } } } }';
      socket.send({
        id: 'd',
        type: 'start',
        payload: { data: JSON.stringify({ query }), extensions: { authorization: { host, 'x-api-key': KEY } } },
      });
      const frame = await socket.next((f) => f.id === 'd');
      expect(frame.type).toBe('error');
      expect(frame.payload.errors).toEqual(aborted('maximum query depth exceeded 5 > 3'));
    } finally {
      socket.close();
    }
  });
});

describe('resolverCountLimit', () => {
  it('answers the fields past the limit with null and ResolverExecutionLimitReached', async () => {
    const r = await ask('{ a: hello b: hello c: hello d: hello e: hello f: hello g: hello }');
    expect(r.body.data).toEqual({ a: 'world', b: 'world', c: 'world', d: 'world', e: 'world', f: null, g: null });
    expect(r.body.errors).toHaveLength(2);
    expect(r.body.errors[0]).toMatchObject({
      path: ['f'],
      errorType: 'ResolverExecutionLimitReached',
      message: 'Resolver invocation limit reached.',
    });
  });
});

describe('introspection disabled', () => {
  it('refuses __schema and __type as undefined fields, keeps __typename', async () => {
    const r = await ask('{ __schema { types { name } } }');
    expect(r.body.data).toBeNull();
    expect(r.body.errors[0].message).toBe(
      "Validation error of type FieldUndefined: Field '__schema' in type 'Query' is undefined @ '__schema'",
    );
    const t = await ask('{ __type(name: "Node") { name } }');
    expect(t.body.errors[0].message).toMatch(/FieldUndefined: Field '__type'/);
    expect((await ask('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('document size bounds (any config)', () => {
  it('refuses thousands of aliases before validating them', async () => {
    const aliases = Array.from({ length: 6000 }, (_, i) => `a${i}: hello`).join(' ');
    const r = await ask(`{ ${aliases} }`);
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual(aborted('maximum query complexity exceeded 6000 > 2000'));
  });

  it('refuses a fragment bomb by its expanded size, without expanding it', async () => {
    const defs = ['fragment F0 on Query { hello }'];
    for (let i = 1; i <= 40; i++) defs.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    const r = await ask(`{ ...F40 } ${defs.join(' ')}`);
    expect(r.body.errors[0]).toMatchObject({ errorType: 'ExecutionAborted' });
    expect(r.body.errors[0].message).toMatch(/^maximum query complexity exceeded \d+ > 2000$/);
  });

  it('refuses deep bracket nesting and token floods with AppSync-shaped errors, never a 500', async () => {
    const deep = await ask(`{ node ${'{ child '.repeat(20_000)} }`);
    expect(deep.status).toBe(200);
    expect(deep.body.errors).toEqual(aborted('maximum query nesting exceeded: more than 150 levels of brackets'));
    const list = await ask(`{ echo(json: ${'['.repeat(50_000)}) { name } }`);
    expect(list.status).toBe(200);
    expect(list.body.errors[0].errorType).toBe('ExecutionAborted');
    const flood = await ask(`{ ${'hello '.repeat(150_000)} }`);
    expect(flood.status).toBe(200);
    expect(flood.body.errors[0]).toMatchObject({ errorType: 'InvalidSyntax' });
  });

  it('holds with the default config (no queryDepthLimit) as well', async () => {
    const plain = await startRealtime();
    try {
      const r = await gql(plain, `{ ${'none { '.repeat(30_000)} }`, undefined, {
        'x-api-key': 'da2-realtimefixturekey000000',
      });
      expect(r.status).toBe(200);
      expect(r.body.errors[0].errorType).toBe('ExecutionAborted');
    } finally {
      await plain.close();
    }
  });
});
