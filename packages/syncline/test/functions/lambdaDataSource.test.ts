// Resolvers on AWS_LAMBDA data sources: Invoke, BatchInvoke batched per field across one request, direct Lambda
// resolvers with AppSync's context as the event, AppSync's error mapping, and a function calling the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { gql, startFixture } from '../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startFixture('functions-graphql');
});
afterAll(() => server?.close());

describe('Invoke', () => {
  it("sends the request's payload as the event and returns the function's result", async () => {
    const res = await gql(server, 'query { echo(msg: "hi") }');
    expect(res.body).toEqual({ data: { echo: 'echo: hi' } });
  });

  it('a function error reaches the response handler as ctx.error of type Lambda:Unhandled', async () => {
    const res = await gql(server, 'query { fails }');
    expect(res.body.data).toEqual({ fails: null });
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({
      path: ['fails'],
      errorType: 'Lambda:Unhandled',
      message: 'resolver function failed',
    });
  });

  it("invocationType 'Event' returns at once with a null result", async () => {
    const res = await gql(server, 'query { fireAndForget }');
    expect(res.body).toEqual({ data: { fireAndForget: 'accepted' } });
  });
});

describe('BatchInvoke', () => {
  it("batches one field's calls across the request into one invocation, results matched by position", async () => {
    const before = server.functions.stats('authors').invocations;
    const res = await gql(server, 'query { posts { id author { id name } } }');
    expect(server.functions.stats('authors').invocations).toBe(before + 1);
    expect(res.body.data.posts).toEqual([
      { id: 'p1', author: { id: 'a1', name: 'Author a1 (batch of 4)' } },
      { id: 'p2', author: { id: 'a2', name: 'Author a2 (batch of 4)' } },
      { id: 'p3', author: null },
      { id: 'p4', author: { id: 'a1', name: 'Author a1 (batch of 4)' } },
    ]);
    // The per-item error reaches only its own field.
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['posts', 2, 'author'], errorType: 'AuthorNotFound', message: 'no author bad' }),
    ]);
  });

  it('does not mix the calls of two concurrent requests', async () => {
    const before = server.functions.stats('authors').invocations;
    const [a, b] = await Promise.all([
      gql(server, 'query { posts { author { name } } }'),
      gql(server, 'query { posts { author { name } } }'),
    ]);
    expect(server.functions.stats('authors').invocations).toBe(before + 2);
    for (const res of [a, b]) expect(res.body.data.posts[0].author.name).toBe('Author a1 (batch of 4)');
  });
});

describe('BatchInvoke with maxBatchSize', () => {
  const invocations = (fn: string) => server.functions.stats(fn).invocations;

  it('splits one level of a list into ceil(N / maxBatchSize) invocations, results in order', async () => {
    const before = invocations('writers');
    const res = await gql(server, 'query { books(n: 10) { id writer { id batch } } }');
    expect(invocations('writers')).toBe(before + 4);
    expect(res.body.errors).toBeUndefined();
    const books = res.body.data.books as { id: string; writer: { id: string; batch: number } }[];
    expect(books.map((b) => b.writer.id)).toEqual(books.map((_, i) => `w${i}`));
    expect(books.map((b) => b.writer.batch)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 1]);
  });

  it('hands each item to the response handler as returned, so one failed item fails only its field', async () => {
    const res = await gql(server, 'query { books(n: 5, bad: [1, 3]) { id writer { id } } }');
    expect(res.body.data.books.map((b: { writer: { id: string } | null }) => b.writer?.id ?? null)).toEqual([
      'w0',
      null,
      'w2',
      null,
      'w4',
    ]);
    expect(res.body.errors).toHaveLength(2);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: ['books', 1, 'writer'],
          errorType: 'WriterNotFound',
          message: 'no writer bad1',
        }),
        expect.objectContaining({
          path: ['books', 3, 'writer'],
          errorType: 'WriterNotFound',
          message: 'no writer bad3',
        }),
      ]),
    );
  });

  it('a direct Lambda resolver with maxBatchSize gets a list of contexts and may fail items one by one', async () => {
    const before = invocations('directWriters');
    const res = await gql(server, 'query { books(n: 9, bad: [4]) { id writerDirect { id name batch } } }');
    expect(invocations('directWriters')).toBe(before + 3);
    const writers = res.body.data.books.map((b: { writerDirect: unknown }) => b.writerDirect);
    expect(writers[0]).toEqual({ id: 'w0', name: 'Book.writerDirect w0', batch: 4 });
    expect(writers[8]).toEqual({ id: 'w8', name: 'Book.writerDirect w8', batch: 1 });
    expect(writers[4]).toBeNull();
    expect(writers.filter((w: unknown) => w !== null)).toHaveLength(8);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: ['books', 4, 'writerDirect'],
        errorType: 'WriterNotFound',
        message: 'no writer bad4',
      }),
    ]);
  });

  it("a pipeline function's maxBatchSize batches its BatchInvoke calls", async () => {
    const before = invocations('writers');
    const res = await gql(server, 'query { books(n: 5) { writerPiped { id batch } } }');
    expect(invocations('writers')).toBe(before + 3);
    expect(res.body.data.books.map((b: { writerPiped: { id: string; batch: number } }) => b.writerPiped)).toEqual([
      { id: 'w0', batch: 2 },
      { id: 'w1', batch: 2 },
      { id: 'w2', batch: 2 },
      { id: 'w3', batch: 2 },
      { id: 'w4', batch: 1 },
    ]);
  });

  it('both batched fields of one level batch separately and still answer', async () => {
    const w = invocations('writers');
    const d = invocations('directWriters');
    const res = await gql(server, 'query { books(n: 4) { writer { id } writerDirect { id } } }');
    expect(invocations('writers')).toBe(w + 2);
    expect(invocations('directWriters')).toBe(d + 1);
    expect(res.body.data.books[3]).toEqual({ writer: { id: 'w3' }, writerDirect: { id: 'w3' } });
  });
});

describe('direct Lambda resolvers', () => {
  it("answers a field with the function's result", async () => {
    const res = await gql(server, 'query { post(id: "7") { id title } }');
    expect(res.body).toEqual({ data: { post: { id: '7', title: 'Post 7' } } });
  });

  it("sends AppSync's full context as the event", async () => {
    const res = await gql(
      server,
      'query Q($n: Int) { directContext(n: $n) }',
      { n: 3 },
      {
        'x-api-key': server.apiKey!,
        'x-trace': 'abc',
      },
    );
    const event = JSON.parse(res.body.data.directContext);
    expect(Object.keys(event).sort()).toEqual(['arguments', 'identity', 'info', 'prev', 'request', 'source', 'stash']);
    expect(event).toMatchObject({
      arguments: { n: 3 },
      identity: null,
      source: null,
      prev: null,
      stash: {},
      info: {
        fieldName: 'directContext',
        parentTypeName: 'Query',
        variables: { n: 3 },
        selectionSetList: [],
        selectionSetGraphQL: '',
      },
    });
    expect(event.request.headers['x-trace']).toBe('abc');
    expect(event.request).toHaveProperty('domainName');
  });

  it('maps a thrown error to errorType Lambda:Unhandled with the function message', async () => {
    const res = await gql(server, 'query { directFails }');
    expect(res.body.data).toEqual({ directFails: null });
    expect(res.body.errors[0]).toMatchObject({
      path: ['directFails'],
      errorType: 'Lambda:Unhandled',
      message: 'direct resolver failed',
    });
  });
});

describe('function → API', () => {
  it('a handler calls the GraphQL API with the API key from its environment', async () => {
    const res = await gql(server, 'query { viaApi }');
    expect(res.body).toEqual({ data: { viaApi: 'echo: from a function' } });
  });
});
