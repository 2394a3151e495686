import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { gql, startFixture } from '../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startFixture('basic');
});
afterAll(() => server.close());

const UNAUTHORIZED = {
  errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
};

describe('POST /graphql', () => {
  it('runs a unit resolver on a NONE data source and returns __typename', async () => {
    const res = await gql(server, 'query Q($n: String) { hello(name: $n) __typename }', { n: 'Ada' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { hello: 'Hello, Ada!', __typename: 'Query' } });
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GET for queries and refuses mutations over GET', async () => {
    const url = new URL(server.endpoints.graphql);
    url.searchParams.set('query', '{ hello }');
    const ok = await fetch(url, { headers: { 'x-api-key': server.apiKey! } });
    expect((await ok.json()) as unknown).toEqual({ data: { hello: 'Hello, world!' } });
    url.searchParams.set('query', 'mutation { createOrder(item: "a", quantity: 1) { id } }');
    const refused = await fetch(url, { headers: { 'x-api-key': server.apiKey! } });
    expect(refused.status).toBe(405);
  });

  it('answers a missing, unknown or expired API key with AppSync 401 body', async () => {
    for (const headers of [{}, { 'x-api-key': 'da2-nope' }, { 'x-api-key': 'da2-expiredfixturekey000000' }] as Record<
      string,
      string
    >[]) {
      const res = await gql(server, '{ hello }', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    }
  });

  it('reports syntax errors as InvalidSyntax with the location', async () => {
    const res = await gql(server, '{ hello( }');
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0]).toMatchObject({
      errorType: 'InvalidSyntax',
      locations: [{ line: 1, column: 10, sourceName: null }],
    });
    expect(res.body.errors[0].message).toMatch(/^Invalid Syntax : /);
  });

  it('reports validation errors in graphql-java wording', async () => {
    const res = await gql(server, '{ nope }');
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: "Validation error of type FieldUndefined: Field 'nope' in type 'Query' is undefined @ 'nope'",
        },
      ],
    });
  });

  it('refuses a malformed body with 400 MalformedHttpRequestException', async () => {
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].errorType).toBe('MalformedHttpRequestException');
  });

  it('refuses a body over 1 MB with 413 and keeps serving', async () => {
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
      body: JSON.stringify({ query: `{ hello } #${'x'.repeat(1_100_000)}` }),
    });
    expect(res.status).toBe(413);
    expect((await gql(server, '{ hello }')).body.data.hello).toBe('Hello, world!');
  });

  it('refuses queries deeper than the limit', async () => {
    const deep = `{ partial { ${'details { '.repeat(70)} note ${'} '.repeat(70)} } }`;
    const res = await gql(server, deep);
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0].message).toMatch(/query depth|Validation error/);
  });
});

describe('resolver context', () => {
  it('passes args, info, headers, env and identity to the handlers', async () => {
    const res = await gql(
      server,
      'query { context(id: "7", note: "n") { args selectionSetList fieldName parentTypeName header stage identity authType ... on Context { selectionSetGraphQL } } }',
      undefined,
      { 'x-api-key': server.apiKey!, 'x-custom': 'abc' },
    );
    const c = res.body.data.context;
    expect(JSON.parse(c.args)).toEqual({ arguments: { id: '7', note: 'n' }, args: { id: '7', note: 'n' } });
    expect(c.selectionSetList).toEqual([
      'args',
      'selectionSetList',
      'fieldName',
      'parentTypeName',
      'header',
      'stage',
      'identity',
      'authType',
      'selectionSetGraphQL',
    ]);
    expect(c.selectionSetGraphQL).toContain('... on Context');
    expect(c).toMatchObject({
      fieldName: 'context',
      parentTypeName: 'Query',
      header: 'abc',
      stage: 'test',
      identity: 'null',
      authType: 'API Key Authorization',
    });
  });
});

describe('resolver errors', () => {
  it('util.error nulls the field and reports message, errorType, data, errorInfo, path and locations', async () => {
    const res = await gql(server, '{\n  fail(kind: "error") { id }\n}');
    expect(res.body).toEqual({
      data: { fail: null },
      errors: [
        {
          path: ['fail'],
          data: { id: 'o-1' },
          errorType: 'OrderError',
          errorInfo: { retryable: false },
          locations: [{ line: 2, column: 3, sourceName: null }],
          message: 'Order is not available',
        },
      ],
    });
  });

  it('util.unauthorized reports errorType Unauthorized', async () => {
    const res = await gql(server, '{ fail(kind: "unauthorized") { id } }');
    expect(res.body.data.fail).toBeNull();
    expect(res.body.errors[0].errorType).toBe('Unauthorized');
  });

  it('a crash in resolver code is a field error, not a server failure', async () => {
    const res = await gql(server, '{ fail(kind: "crash") { id } }');
    expect(res.status).toBe(200);
    expect(res.body.data.fail).toBeNull();
    expect(res.body.errors[0].message).toMatch(/deep/);
    expect((await gql(server, '{ hello }')).body.data.hello).toBe('Hello, world!');
  });

  it('util.appendError keeps the result and adds the error', async () => {
    const res = await gql(server, '{ partial { id item details { note } } }');
    expect(res.body.data).toEqual({ partial: { id: 'p-1', item: 'still here', details: { note: 'kept' } } });
    expect(res.body.errors).toEqual([
      {
        path: ['partial'],
        data: null,
        errorType: 'PartialResult',
        errorInfo: { field: 'quantity' },
        locations: [{ line: 1, column: 3, sourceName: null }],
        message: 'Quantity is unknown',
      },
    ]);
  });

  it('a non-null field missing from the result is an error on that path', async () => {
    const res = await gql(server, 'mutation { createOrder(item: "x", quantity: 2) { id item quantity } }');
    expect(res.body.data.createOrder).toMatchObject({ item: 'x', quantity: 2 });
    expect(res.body.data.createOrder.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('pipeline resolvers', () => {
  it('runs before, each function in order with prev.result and stash, then after', async () => {
    const res = await gql(server, '{ steps }');
    expect(res.body.data.steps).toEqual([
      'before',
      'request 1 prev:{}',
      'response result 1',
      'request 2 prev:"result 1"',
      'response result 2',
      'request 3 prev:"result 2"',
      'response result 3',
      'after',
      'prev:"result 3"',
    ]);
  });

  it('earlyReturn in the before handler skips every function', async () => {
    const res = await gql(server, '{ steps(stopAt: "before") }');
    expect(res.body.data.steps).toEqual(['before', 'after', 'prev:["early from before"]']);
  });

  it('earlyReturn in a function skips its data source and response, then goes on with the next', async () => {
    const res = await gql(server, '{ steps(stopAt: "request 2") }');
    expect(res.body.data.steps).toEqual([
      'before',
      'request 1 prev:{}',
      'response result 1',
      'request 2 prev:"result 1"',
      'request 3 prev:"early 2"',
      'response result 3',
      'after',
      'prev:"result 3"',
    ]);
  });

  it("earlyReturn with skipTo END jumps to the resolver's response", async () => {
    const res = await gql(server, '{ steps(stopAt: "request 1", skipTo: "END") }');
    expect(res.body.data.steps).toEqual(['before', 'request 1 prev:{}', 'after', 'prev:"early 1"']);
  });
});

describe('auth directives', () => {
  it('nulls a field the request mode may not access, with an Unauthorized error', async () => {
    const res = await gql(server, 'mutation { adminOnly }');
    expect(res.body).toEqual({
      data: { adminOnly: null },
      errors: [
        {
          path: ['adminOnly'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 12, sourceName: null }],
          message: 'Not Authorized to access adminOnly on type Mutation',
        },
      ],
    });
  });
});
