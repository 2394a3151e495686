// Resolver code as an untrusted author writes it, through a real server: nothing it can reach belongs to the host,
// a runaway resolver fails its own request only, and the server goes on answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, type HostileApp, probe, returning, startHostileApp, stillServing } from './hostileApp.js';

const HELLO = { data: { hello: 'Hello, world!' } };

// Each reaches for the Function constructor through an object the runtime hands to resolver code, then asks that
// function for the host's `process`. In a realm of its own the answer is 'undefined' or an error, never 'object'.
const reach = (expr: string) => `(${expr}).constructor('return typeof process')()`;
const ESCAPES: Record<string, string> = {
  viaUtil: returning('', reach('util.constructor')),
  viaUtilFunction: returning('', reach('util.error')),
  viaUtilTime: returning('', reach('util.time.nowISO8601')),
  viaUtilDynamodb: returning('', reach('util.dynamodb.toDynamoDB')),
  viaRuntime: returning('', reach('runtime.constructor')),
  viaEarlyReturn: returning('', reach('runtime.earlyReturn')),
  viaExtensions: returning('', reach('extensions.setSubscriptionFilter')),
  viaCtx: returning('', reach('ctx.constructor')),
  viaArgs: returning('', reach('ctx.args.constructor')),
  viaArgsArray: returning('', reach('ctx.arguments.a')),
  viaInfo: returning('', reach('ctx.info.constructor')),
  viaHeaders: returning('', reach('ctx.request.headers.constructor')),
  viaStash: returning('', reach('ctx.stash.constructor')),
  viaPrev: returning('', reach('ctx.prev.constructor')),
  viaEnv: returning('', reach('ctx.env.constructor')),
  viaArrayLiteral: returning('', reach('[].map')),
  viaArrow: returning('const f = () => 1;', reach('f')),
  viaArguments: `export function request(ctx) {\n  return { payload: ${reach('arguments.constructor')} };\n}\nexport function response(ctx) { return JSON.stringify(ctx.result); }\n`,
  viaJson: returning('', reach('JSON.parse')),
  viaSymbol: returning('', reach('Symbol.for')),
  viaIterator: returning('', reach('[][Symbol.iterator]')),
  viaGlobalThis: returning('', reach('globalThis.constructor')),
};

describe('resolver code cannot reach the host', () => {
  let app: HostileApp;
  beforeAll(async () => {
    app = await startHostileApp({
      ...ESCAPES,
      processPid: returning('', `util.constructor.constructor('return process')().pid`),
      globals: returning(
        '',
        `[typeof process, typeof globalThis.require, typeof Buffer, typeof setTimeout, typeof fetch, typeof WebAssembly, typeof SharedArrayBuffer, typeof globalThis.Promise, typeof globalThis.Proxy, typeof globalThis.Function]`,
      ),
    });
  });
  afterAll(() => app.close());

  it.each(Object.keys(ESCAPES))('%s: the Function constructor it reaches knows no host process', async (field) => {
    const { value, errors } = await probe(app.server, field, [1, 2]);
    expect(value).not.toBe('object');
    if (errors) expect(errors[0]).toMatchObject({ path: [field], errorType: 'Code' });
    expect(await stillServing(app.server)).toEqual(HELLO);
  });

  it('util.constructor.constructor("return process")() is no process with a pid', async () => {
    const { value, errors } = await probe(app.server, 'processPid');
    expect(value).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: ['processPid'], errorType: 'Code' });
  });

  it('the resolver realm has no Node.js globals, timers, WebAssembly, shared memory, promises, proxies or Function', async () => {
    const { value } = await probe(app.server, 'globals');
    expect(value).toEqual(Array(10).fill('undefined'));
  });
});

describe('client input cannot pollute prototypes', () => {
  let app: HostileApp;
  beforeAll(async () => {
    app = await startHostileApp({
      echo: returning('', 'ctx.args.a'),
      keys: returning('', '[Object.keys(ctx.args.a), JSON.stringify(ctx.args.a)]'),
      merged: returning('const m = Object.assign({}, ctx.args.a);', '[m.isAdmin ?? null, ({}).isAdmin ?? null]'),
      fresh: returning('', '[({}).isAdmin ?? null, ({}).polluted ?? null, [].polluted ?? null]'),
    });
  });
  afterAll(() => app.close());

  const hostile = JSON.parse(
    '{"__proto__":{"isAdmin":true,"polluted":1},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3},"n":1}',
  );

  it('__proto__, constructor and prototype keys in AWSJSON arrive as plain data', async () => {
    const { value, errors } = await probe(app.server, 'keys', hostile);
    expect(errors).toBeUndefined();
    expect(value[0]).toEqual(['__proto__', 'constructor', 'prototype', 'n']);
    expect(JSON.parse(value[1])).toEqual(hostile);
    const echoed = await probe(app.server, 'echo', hostile);
    expect(Object.keys(echoed.value)).toEqual(['__proto__', 'constructor', 'prototype', 'n']);
  });

  it('no later request, nor the host, sees a polluted Object.prototype', async () => {
    await probe(app.server, 'merged', hostile);
    const { value } = await probe(app.server, 'fresh');
    expect(value).toEqual([null, null, null]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('a runaway resolver fails its own request and the server keeps serving', () => {
  let app: HostileApp;
  beforeAll(async () => {
    app = await startHostileApp(
      {
        forever: returning(
          'const never = { [Symbol.iterator]() { return { next() { return { done: false, value: 1 }; } }; } };\n  let n = 0;\n  for (const x of never) { n = n + x; }',
          'n',
        ),
        foreverInResponse: `export function request(ctx) { return { payload: 1 }; }
export function response(ctx) {
  const never = { [Symbol.iterator]() { return { next() { return { done: false, value: 1 }; } }; } };
  let n = 0;
  for (const x of never) { n = n + x; }
  return n;
}
`,
        deep: returning('const o = { f(n) { return o.g(n + 1) + 1; }, g(n) { return o.f(n + 1) + 1; } };', 'o.f(0)'),
        huge: returning('const a = Array(2 ** 30).fill("x");', 'a.length'),
        growing: returning(
          'const never = { [Symbol.iterator]() { return { next() { return { done: false, value: "x" }; } }; } };\n  const a = [];\n  for (const x of never) { a.push([x, x, x, x, x, x, x, x]); }',
          'a.length',
        ),
        catastrophicMatches: returning('', `util.matches('^(a+)+$', 'a'.repeat(40) + 'b')`),
        catastrophicAlternation: returning('', `util.matches('(a|aa)+', 'a'.repeat(60) + 'b')`),
        longString: returning(
          'let s = "x";\n  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30].forEach(() => { s = s + s; });',
          's.length',
        ),
      },
      { resolverLimits: { cpuMs: 50 } },
    );
  });
  afterAll(() => app.close());

  it.each(['forever', 'foreverInResponse', 'deep', 'huge', 'growing'])('%s', async (field) => {
    const { value, errors } = await probe(app.server, field);
    expect(value).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: [field], data: null, errorType: 'Code', errorInfo: null });
    expect(typeof errors[0].message).toBe('string');
    expect(await stillServing(app.server)).toEqual(HELLO);
  });

  // Without the linear-engine fallback each of these backtracks 2^40 or more steps in one native call: the request
  // never answers and the server freezes with it.
  it.each(['catastrophicMatches', 'catastrophicAlternation'])('%s: a backtracking pattern answers', async (field) => {
    const { value, errors } = await probe(app.server, field);
    expect(errors).toBeUndefined();
    expect(value).toBe(false);
    expect(await stillServing(app.server)).toEqual(HELLO);
  });

  it('a string doubled to 1 GiB fails its request, the server lives on', async () => {
    const { value, errors } = await probe(app.server, 'longString');
    expect(value).toBeNull();
    expect(errors[0]).toMatchObject({ path: ['longString'], errorType: 'Code' });
    expect(await stillServing(app.server)).toEqual(HELLO);
  });
});

describe('hostile keys in DynamoDB values and items stay data', () => {
  let app: HostileApp;
  beforeAll(async () => {
    app = await startHostileApp(
      {
        typed: returning('', 'util.dynamodb.toMapValues(ctx.args.a)'),
        putItem: `import { put } from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return put({ key: { id: ctx.args.s }, item: ctx.args.a }); }
export function response(ctx) { return JSON.stringify(ctx.result); }
`,
        getItem: `import { get } from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return get({ key: { id: ctx.args.s } }); }
export function response(ctx) {
  const merged = Object.assign({}, ctx.result);
  return JSON.stringify([Object.keys(ctx.result), ctx.result, ({}).isAdmin ?? null, typeof merged]);
}
`,
      },
      {},
      {
        putItem: { type: 'AMAZON_DYNAMODB', config: { tableName: 'Items' } },
        getItem: { type: 'AMAZON_DYNAMODB', config: { tableName: 'Items' } },
      },
      { Items: { partitionKey: 'id' } },
    );
  });
  afterAll(() => app.close());

  it('util.dynamodb keeps a __proto__ key as an attribute', async () => {
    const { value, errors } = await probe(app.server, 'typed', JSON.parse('{"__proto__":{"isAdmin":true},"n":1}'));
    expect(errors).toBeUndefined();
    expect(Object.keys(value)).toEqual(['__proto__', 'n']);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"M":{"isAdmin":{"BOOL":true}}},"n":{"N":1}}');
  });

  // `__proto__` inside stored items is the table engine's to keep (issue 17, "Never drop"); here the resolver side.
  it('an item with constructor and prototype attributes comes back from DynamoDB as data', async () => {
    const item = JSON.parse(
      '{"constructor":{"prototype":{"isAdmin":true}},"prototype":{"isAdmin":true},"nested":{"constructor":{"isAdmin":true},"n":1}}',
    );
    const put = await ask(app.server, 'query Q($a: AWSJSON, $s: String) { putItem(a: $a, s: $s) }', {
      a: JSON.stringify(item),
      s: 'p-1',
    });
    expect(put.body.errors).toBeUndefined();
    const got = await ask(app.server, 'query Q($s: String) { getItem(s: $s) }', { s: 'p-1' });
    expect(got.body.errors).toBeUndefined();
    const [keys, value, isAdmin, merged] = JSON.parse(got.body.data.getItem);
    expect(keys.sort()).toEqual(['constructor', 'id', 'nested', 'prototype']);
    expect(value).toEqual({ id: 'p-1', ...item });
    expect(Object.keys(value.nested).sort()).toEqual(['constructor', 'n']);
    expect(isAdmin).toBeNull();
    expect(merged).toBe('object');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
