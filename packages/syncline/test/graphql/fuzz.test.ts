// Fuzzing the GraphQL parser and executor over HTTP with hostile documents and variables: token soup, deep
// nesting, alias floods, fragment bombs, wrong variable types, non-object bodies. Every answer must be an
// AppSync-shaped response (never a 500), arrive in bounded time, leave memory bounded and the server serving.
// A few seconds per target by default; FUZZ_SECONDS=<n> runs longer.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 4);
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

async function send(body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body,
    // "No hang": every answer within a generous bound, however hostile the document.
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, json: await res.json() };
}

/** AppSync's shapes: GraphQL errors with 200, request errors with their status and `{errors: [{errorType, message}]}`. */
function expectAppSyncShaped(r: { status: number; json: any }) {
  expect([200, 400, 401, 413]).toContain(r.status);
  expect(typeof r.json).toBe('object');
  if (r.status !== 200 || r.json.errors !== undefined) {
    expect(Array.isArray(r.json.errors)).toBe(true);
    for (const e of r.json.errors) {
      expect(typeof e.message).toBe('string');
      if (e.errorType !== undefined) expect(e.errorType === null || typeof e.errorType === 'string').toBe(true);
    }
  }
  if (r.status === 200) expect('data' in r.json).toBe(true);
}

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  '...',
  '$v',
  ':',
  '=',
  '!',
  'hello',
  'node',
  'child',
  'id',
  'name',
  'echo',
  'input',
  'json',
  'constructor',
  '__proto__',
  '__schema',
  '__type',
  '__typename',
  '"s"',
  '"""b"""',
  '1',
  '-2.5e3',
  'true',
  'null',
  '@skip(if: true)',
  '@include(if: $v)',
  '#c\n',
  ',',
  'EchoInput',
  'String',
  '|',
  '&',
  '\\u0000',
  '"unterminated',
  'F',
  'a:',
  'b:',
  '\u{1F600}',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 300 }).map((t) => t.join(' '));
const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 40_000 }), fc.constantFrom('node { child ', '{ ', '[', 'node(id: '))
  .map(([n, open]) => `{ ${open.repeat(n)} }`);
const aliasFlood = fc
  .integer({ min: 1, max: 12_000 })
  .map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: hello`).join(' ')} }`);
const fragmentBomb = fc.integer({ min: 1, max: 60 }).map((n) => {
  const defs = ['fragment F0 on Query { hello node { id } }'];
  for (let i = 1; i <= n; i++) defs.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `{ ...F${n} } ${defs.join(' ')}`;
});
const document = fc.oneof(tokenSoup, deepNesting, aliasFlood, fragmentBomb, fc.string({ maxLength: 2_000 }));

const ECHO =
  'query ($i: EchoInput, $j: AWSJSON, $c: String) { echo(input: $i, json: $j, constructor: $c) { name json arg } }';
const hostileVariables = fc.dictionary(
  fc.constantFrom('i', 'j', 'c', '__proto__', 'constructor', 'prototype', 'x'),
  fc.oneof(
    fc.jsonValue({ maxDepth: 6 }),
    fc.dictionary(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'name', 'toString'),
      fc.jsonValue({ maxDepth: 3 }),
    ),
    fc.integer({ min: 1, max: 5_000 }).map((n) => '['.repeat(n)),
  ),
);

describe('fuzz: GraphQL over HTTP', () => {
  it(
    `answers hostile documents AppSync-shaped, never 500, for ${SECONDS}s`,
    async () => {
      const before = process.memoryUsage().rss;
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(document, fc.option(hostileVariables), async (query, variables) => {
          cases++;
          expectAppSyncShaped(await send(JSON.stringify({ query, variables })));
        }),
        { numRuns: 1_000_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
      );
      expect(cases).toBeGreaterThan(0);
      if (process.env.FUZZ_SECONDS) console.info(`graphql documents: ${cases} cases in ${SECONDS}s`);
      // Memory stays bounded: what the runs allocated is garbage, not growth per case.
      expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
      expect((await send('{"query":"{ hello }"}')).json).toEqual({ data: { hello: 'world' } });
    },
    60_000 + SECONDS * 2000,
  );

  it(
    `coerces hostile variables and bodies without a 500, for ${SECONDS}s`,
    async () => {
      let bodies = 0;
      const body = fc.oneof(
        hostileVariables.map((variables) => JSON.stringify({ query: ECHO, variables })),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        fc
          .record({
            query: fc.jsonValue({ maxDepth: 2 }),
            variables: fc.jsonValue({ maxDepth: 2 }),
            operationName: fc.jsonValue({ maxDepth: 1 }),
          })
          .map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 500 }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          bodies++;
          expectAppSyncShaped(await send(text));
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: 1_000_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
      );
      expect(bodies).toBeGreaterThan(0);
      if (process.env.FUZZ_SECONDS) console.info(`graphql variables and bodies: ${bodies} cases in ${SECONDS}s`);
      expect((await send('{"query":"{ hello }"}')).json).toEqual({ data: { hello: 'world' } });
    },
    60_000 + SECONDS * 2000,
  );
});
