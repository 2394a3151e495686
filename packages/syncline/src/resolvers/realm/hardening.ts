// Runs first inside every resolver realm, before any resolver code: takes away what APPSYNC_JS does not offer and
// what could outlive or outgrow one evaluation, and caps the built-ins that allocate or loop in one native call,
// where the budget's checks in resolver code cannot interrupt them.

export interface Caps {
  /** Largest array a built-in may walk or build. */
  maxArrayLength: number;
  /** Longest string a built-in may build in one call. */
  maxStringLength: number;
}

// Promises and finalizers would run resolver code after its evaluation ended, outside the budget; shared memory,
// buffers and WebAssembly allocate outside the JS heap; Proxy and eval are not part of APPSYNC_JS either.
const REMOVED = [
  'Promise',
  'SharedArrayBuffer',
  'Atomics',
  'ArrayBuffer',
  'DataView',
  'WebAssembly',
  'FinalizationRegistry',
  'WeakRef',
  'Proxy',
  'eval',
  'Function',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

/** A built-in asked to allocate or walk past a cap: fails the evaluation even where APPSYNC_JS swallows errors. */
export class ResourceLimit extends RangeError {}

export function harden(caps: Caps): void {
  const g = globalThis as Record<string, unknown>;
  const { apply } = Reflect;
  const { defineProperty, getOwnPropertyDescriptor, getOwnPropertyNames } = Object;
  for (const name of REMOVED) delete g[name];

  // Node.js formats a realm's stack traces through that realm's `Error.prepareStackTrace`, handing it call sites
  // of every frame, host frames included. Fixing it to undefined (and `Error` itself) closes that door.
  defineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false });
  defineProperty(g, 'Error', { value: Error, writable: false, configurable: false });

  const tooLong = (what: string, n: number, max: number) =>
    new ResourceLimit(`${what}: length ${n} exceeds the resolver limit of ${max}`);
  const lengthOf = (value: unknown): number => {
    if (value === null || value === undefined) return 0;
    const n = Number((value as { length?: unknown }).length);
    return Number.isFinite(n) ? n : 0;
  };
  const wrap = (target: object, key: PropertyKey, check: (self: unknown, args: unknown[]) => void) => {
    const d = getOwnPropertyDescriptor(target, key);
    if (!d || typeof d.value !== 'function') return;
    const original = d.value as (...args: unknown[]) => unknown;
    const name = typeof key === 'string' ? key : 'iterator';
    const guarded = {
      [name](this: unknown, ...args: unknown[]) {
        check(this, args);
        return apply(original, this, args);
      },
    }[name];
    defineProperty(target, key, { ...d, value: guarded });
  };

  const arrayCheck = (self: unknown) => {
    const n = lengthOf(self);
    if (n > caps.maxArrayLength) throw tooLong('Array', n, caps.maxArrayLength);
  };
  for (const key of getOwnPropertyNames(Array.prototype)) {
    if (key !== 'constructor' && key !== 'length') wrap(Array.prototype, key, arrayCheck);
  }
  // Spread and for-of read this; replacing it also turns off V8's fast paths that would skip the check.
  wrap(Array.prototype, Symbol.iterator, arrayCheck);
  wrap(Array, 'from', (_self, args) => arrayCheck(args[0]));
  wrap(Array, 'of', (_self, args) => arrayCheck(args));

  const stringCheck = (what: string, n: number) => {
    if (n > caps.maxStringLength) throw tooLong(what, n, caps.maxStringLength);
  };
  wrap(String.prototype, 'repeat', (self, args) =>
    stringCheck('String.prototype.repeat', String(self).length * Number(args[0])),
  );
  wrap(String.prototype, 'padStart', (_self, args) => stringCheck('String.prototype.padStart', Number(args[0])));
  wrap(String.prototype, 'padEnd', (_self, args) => stringCheck('String.prototype.padEnd', Number(args[0])));
  wrap(String.prototype, 'concat', (self, args) =>
    stringCheck(
      'String.prototype.concat',
      args.reduce((n: number, a) => n + String(a).length, String(self).length),
    ),
  );
  wrap(JSON, 'parse', (_self, args) => stringCheck('JSON.parse', String(args[0]).length));
}
