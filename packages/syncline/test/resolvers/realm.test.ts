// The boundary itself, without the static checks in front of it: resolver code here uses try/catch, promises,
// getters and whatever else restrictions.ts would refuse, and must still hold nothing of the host's, stop within
// its budget and fail alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResolverCodeError } from '../../src/resolvers/bundle.js';
import type { ResolverContext } from '../../src/resolvers/context.js';
import type { RuntimeHost } from '../../src/resolvers/host.js';
import { loadResolverModule, type ResolverModule } from '../../src/resolvers/sandbox.js';
import type { ResolverError } from '../../src/resolvers/signals.js';

const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 3) * 1000;

const load = (body: string, limits = { cpuMs: 50, maxArrayLength: 1_000_000, maxStringLength: 16 * 1024 * 1024 }) =>
  loadResolverModule(
    `var __synclineResolver = (() => {\n${body}\nreturn { request: typeof request === 'function' ? request : undefined, response: typeof response === 'function' ? response : undefined };\n})();`,
    'test.js',
    { log: () => {} },
    limits,
  );

function host(): RuntimeHost & { appended: ResolverError[] } {
  const appended: ResolverError[] = [];
  return {
    appended,
    appendError: (e) => appended.push(e),
    setSubscriptionFilter() {},
    setSubscriptionInvalidationFilter() {},
    invalidateSubscriptions() {},
    evictFromApiCache() {},
    authType: () => 'API Key Authorization',
  };
}

const ctx = (args: Record<string, unknown> = {}): ResolverContext => ({
  arguments: args,
  args,
  identity: null,
  source: null,
  stash: {},
  prev: { result: null },
  info: {
    fieldName: 'f',
    parentTypeName: 'Query',
    variables: {},
    selectionSetList: [],
    selectionSetGraphQL: '',
  },
  request: { headers: { 'x-api-key': 'da2-test' }, domainName: null },
  env: {},
});

/** Runs `request` and returns its value, or the error it failed with. */
function outcome(module: ResolverModule, args: Record<string, unknown> = {}): { value?: unknown; error?: any } {
  try {
    return { value: module.run('request', ctx(args), host()) };
  } catch (error) {
    return { error };
  }
}

/** A host Function evaluates anything; the realm's refuses code from strings. Either way: never the process. */
function expectNoProcess(result: { value?: unknown; error?: any }) {
  if (result.error) {
    expect(result.error).toMatchObject({ errorType: 'Code' });
    expect(result.error.message).not.toMatch(/^Error: resolver code failed$/);
  } else expect(result.value).not.toBe('object');
}

const PROBE = `.constructor('return typeof process')()`;

describe('constructor chains lead nowhere outside the realm', () => {
  const cases: Record<string, string> = {
    'an error thrown by util.error': `try { util.error('x', 'T'); } catch (e) { return e.constructor${PROBE}; }`,
    'an error thrown by a misused built-in': `try { runtime.earlyReturn(1, { skipTo: 'NOWHERE' }); } catch (e) { return e.constructor.constructor${PROBE}; }`,
    'the early-return signal': `try { runtime.earlyReturn(1); } catch (e) { return e.constructor${PROBE}; }`,
    'a TypeError from the engine': `try { null.x; } catch (e) { return e.constructor${PROBE}; }`,
    'a stack overflow': `const f = () => f(); try { f(); } catch (e) { return e.constructor${PROBE}; }`,
    'arguments.callee': 'return arguments.callee',
    'the caller of request': 'return request.caller',
    'Function.prototype': `return Object.getPrototypeOf(() => 1).constructor${PROBE}`,
    'a generator function': `return Object.getPrototypeOf(function* () {}).constructor${PROBE}`,
    globalThis: `return globalThis.constructor.constructor${PROBE}`,
    'the console': `return console.log.constructor${PROBE}`,
    'ctx built by the host': `return ctx.request.headers.constructor.constructor${PROBE}`,
    'a Symbol.hasInstance override': `Object.defineProperty(Error, Symbol.hasInstance, { value: () => { throw 1; } }); try { util.error('x'); } catch (e) { return e.constructor${PROBE}; }`,
    'Symbol.species on a returned array': `const a = [1]; a.constructor = { [Symbol.species]: function () { return process; } }; return a.map((x) => x);`,
  };
  it.each(Object.entries(cases))('%s', async (_name, body) => {
    const module = await load(`function request(ctx) { ${body} }`);
    expectNoProcess(outcome(module));
  });

  it('Error.prepareStackTrace cannot be set, replaced or redefined, so host call sites never reach the realm', async () => {
    for (const attempt of [
      'Error.prepareStackTrace = (e, sites) => sites;',
      "Object.defineProperty(Error, 'prepareStackTrace', { value: (e, sites) => sites });",
      'globalThis.Error = { prepareStackTrace: (e, sites) => sites };',
    ]) {
      const module = await load(`function request(ctx) { ${attempt} return new Error('x').stack.length; }`);
      const result = outcome(module);
      expect(result.error).toMatchObject({ errorType: 'Code' });
      expect(result.error.message).toMatch(/TypeError/);
    }
  });

  it('there are no promises, async functions, finalizers or dynamic imports to run code after the evaluation', async () => {
    const module = await load(
      'function request(ctx) { return [typeof globalThis.Promise, typeof globalThis.FinalizationRegistry, typeof globalThis.WeakRef, typeof globalThis.queueMicrotask]; }',
    );
    expect(outcome(module).value).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
    for (const body of [
      'async function request(ctx) { return 1; }',
      'function request(ctx) { return import("node:fs"); }',
      'const request = async () => 1;',
    ]) {
      await expect(load(body)).rejects.toBeInstanceOf(ResolverCodeError);
    }
  });

  it('values go back as JSON: getters and toJSON run inside the budget, functions and symbols do not cross', async () => {
    const module = await load(
      `function request(ctx) { return { a: 1, f() { return 2; }, [Symbol.iterator]: 3, get g() { return 'got'; }, nested: { toJSON() { return 'json'; } } }; }`,
    );
    expect(outcome(module).value).toEqual({ a: 1, g: 'got', nested: 'json' });
    const looping = await load('function request(ctx) { return { get g() { for (;;) {} } }; }');
    expect(outcome(looping).error).toMatchObject({ errorType: 'Code', message: expect.stringMatching(/time limit/) });
  });
});

describe('the budget holds whatever the code catches', () => {
  const cases: Record<string, string> = {
    'a caught budget error': 'try { for (;;) {} } catch (e) {} return 1;',
    'a loop around a caught budget error': 'for (;;) { try { for (;;) {} } catch (e) {} }',
    'a finally that loops': 'try { for (;;) {} } finally { for (;;) {} }',
    'recursion that catches its own overflow':
      'const f = (n) => { try { return f(n + 1); } catch (e) { return f(n + 1); } }; return f(0);',
    'a callback of a built-in': '[1, 2, 3].forEach(function again() { for (;;) {} });',
    'an iterator that never ends':
      'const it = { [Symbol.iterator]() { return { next() { return { done: false, value: 1 }; } }; } }; return [...it].length;',
    'a getter read in a loop of a built-in':
      'const o = {}; Object.defineProperty(o, "length", { get() { for (;;) {} } }); return Array.prototype.map.call(o, (x) => x);',
    'a sort comparator': 'return [3, 1, 2].sort(() => { for (;;) {} });',
  };
  it.each(Object.entries(cases))('%s', async (_name, body) => {
    const module = await load(`function request(ctx) { ${body} }`);
    const result = outcome(module);
    expect(result.error).toMatchObject({
      errorType: 'Code',
      message: expect.stringMatching(/50 ms resolver time limit/),
    });
    // The next evaluation of the same module starts with a fresh budget.
    const next = await load('function request(ctx) { return 1; }');
    expect(outcome(next).value).toBe(1);
  });

  it('a module whose first run loops is refused at load', async () => {
    await expect(load('for (;;) {}\nfunction request() { return 1; }')).rejects.toBeInstanceOf(ResolverCodeError);
  });
});

describe('allocations a built-in makes in one call are capped', () => {
  const cases: Record<string, string> = {
    'fill of a huge array': 'return new ([].constructor)(2 ** 30).fill(0).length;',
    'spread of a huge array': 'return [...Array(2 ** 30)].length;',
    'Array.from a huge length': 'return Array.from({ length: 2 ** 30 }).length;',
    'map over a huge sparse array': 'return Array(2 ** 30).map((x) => x).length;',
    repeat: "return 'x'.repeat(2 ** 28).length;",
    padEnd: "return 'x'.padEnd(2 ** 29).length;",
    'concat doubling': 'let a = [1]; for (const _ of Array(40).fill(0)) { a = a.concat(a); } return a.length;',
    'JSON.parse of a huge text': "return JSON.parse('[' + '0,'.repeat(2 ** 23) + '0]').length;",
  };
  it.each(Object.entries(cases))('%s', async (_name, body) => {
    const module = await load(`function request(ctx) { ${body} }`);
    const result = outcome(module);
    expect(result.value).toBeUndefined();
    expect(result.error).toMatchObject({ errorType: 'Code' });
    expect(result.error.message).toMatch(/RangeError|time limit/);
  });

  it('the host is untouched: its prototypes and built-ins are its own', async () => {
    const module = await load(
      'function request(ctx) { Object.prototype.polluted = 1; Array.prototype.fill = null; JSON.parse = null; return ({}).polluted; }',
    );
    expect(outcome(module).value).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof Array.prototype.fill).toBe('function');
    expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
  });
});

describe('fuzz: hostile values through ctx.args', () => {
  const key = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'length', ''),
    fc.string(),
  );
  const value = fc.letrec((tie) => ({
    any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
    leaf: fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    list: fc.array(tie('any'), { maxLength: 5 }),
    map: fc.dictionary(key, tie('any'), { maxKeys: 5 }).map((d) => JSON.parse(JSON.stringify(d))),
  })).any;
  const object = fc.dictionary(key, value, { maxKeys: 6 }).map((d) => JSON.parse(JSON.stringify(d)));

  it('every value arrives as data, is returned unchanged, and pollutes nothing', async () => {
    const module = await load(`function request(ctx) {
      const merged = Object.assign({}, ctx.args);
      const keys = Object.keys(ctx.args);
      return { echo: ctx.args, keys, fresh: ({}).polluted === undefined && [].polluted === undefined, merged: typeof merged };
    }`);
    fc.assert(
      fc.property(object, (args) => {
        const { value, error } = outcome(module, args);
        expect(error).toBeUndefined();
        const out = value as { echo: unknown; keys: string[]; fresh: boolean };
        expect(out.echo).toEqual(args);
        expect(out.keys).toEqual(Object.keys(args));
        expect(out.fresh).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 1_000_000, interruptAfterTimeLimit: FUZZ_MS, markInterruptAsFailure: false },
    );
  });
});

describe('instrumented code keeps its meaning', () => {
  it('resolver code stays strict: with is refused, arguments.callee and sloppy this are unavailable', async () => {
    await expect(load('function request(ctx) { with (ctx) { return args; } }')).rejects.toBeInstanceOf(
      ResolverCodeError,
    );
    const module = await load(
      'function request(ctx) { "use strict"; const f = function () { return this; }; return [f() === undefined, (function () { return typeof this; })()]; }',
    );
    expect(outcome(module).value).toEqual([true, 'undefined']);
  });

  it('text that closes the wrapper early is refused, so nothing runs outside the ticks', async () => {
    await expect(load('function request() { return 1; }\n})\n(function () {')).rejects.toBeInstanceOf(
      ResolverCodeError,
    );
  });
});
