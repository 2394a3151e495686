// The resolver realm's own runtime, bundled by realm/build.ts and evaluated inside each resolver's V8 context before
// its code. Everything resolver code can touch is made here, in the realm: the built-ins, `ctx` (parsed from the
// JSON the host sends), and the errors and signals it throws. The host and the realm exchange strings only: the
// host calls `call(handler, ctxJson, authType)` and gets back one JSON text saying what happened (ok, early return,
// util.error, runtime error, budget exhausted) with the effects to apply and the log lines to write.
//
// The budget: realm/instrument.ts puts a call to the tick function at the top of every function body and loop body
// of resolver code, so nothing in resolver code runs long without ticking; once the evaluation's deadline passes
// every tick throws, whatever the code catches, until the host's call returns.
import type { HostSlot, RuntimeHost } from '../host.js';
import { EarlyReturn, ResolverError } from '../signals.js';
import { createBuiltins } from '../utils/index.js';
import { type Caps, harden, ResourceLimit } from './hardening.js';
import { seed } from './random.js';

export interface RealmOptions extends Caps {
  /** Name of the realm global resolver code calls to tick (instrument.ts inserts calls to it). */
  tick: string;
  /** Wall-clock budget of one evaluation (handler call, or the module's first run). */
  cpuMs: number;
  /** Budget of the module's first run when it differs (the VTL engine initializes velocityjs there). */
  loadMs?: number;
  /** 64 hex digits from the host's CSPRNG, for util.autoId and friends. */
  seed: string;
  /** Names the realm exposes the built-ins under for the bundle's `@aws-appsync/utils` imports. */
  builtinsGlobal: string;
  /** At most this many console lines are kept per evaluation (AppSync keeps 1 MB of logs per request). */
  maxLogLines: number;
  /**
   * A VTL pipeline function or before/after template: its changes to `ctx.args` reach the next template, as on
   * AppSync (Amplify's auth functions put `owner` into `$ctx.args.input` for the data function to write).
   */
  sharesArgs?: boolean;
}

type Handler = (ctx: unknown) => unknown;
type Ctx = Record<string, unknown>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

class BudgetExhausted {}

export function createRealm(optionsJson: string) {
  const options = JSON.parse(optionsJson) as RealmOptions;
  const { parse, stringify } = JSON;
  // Captured before resolver code runs: it may redefine Symbol.hasInstance or prototypes' own methods, not these.
  const { apply } = Reflect;
  const protoOf = Object.prototype.isPrototypeOf;
  const protos = {
    budget: BudgetExhausted.prototype,
    limit: ResourceLimit.prototype,
    early: EarlyReturn.prototype,
    resolver: ResolverError.prototype,
    error: Error.prototype,
  };
  const is = (value: unknown, kind: keyof typeof protos) =>
    typeof value === 'object' && value !== null && (apply(protoOf, protos[kind], [value]) as boolean);
  const now = Date.now;
  const g = globalThis as Record<string, unknown>;
  const define = (name: string, value: unknown) =>
    Object.defineProperty(g, name, { value, writable: false, enumerable: false, configurable: false });

  let active = false;
  let tripped = false;
  let deadline = 0;
  let ticks = 0;
  let authType = '';
  let effects: unknown[][] = [];
  let logs: string[] = [];

  const tick = () => {
    if (!active || tripped) throw new BudgetExhausted();
    ticks = (ticks + 1) | 0;
    if ((ticks & 15) === 0 && now() > deadline) {
      tripped = true;
      throw new BudgetExhausted();
    }
  };

  const recorder: RuntimeHost = {
    appendError: (e) => effects.push(['appendError', e.message, e.errorType, e.data, e.errorInfo]),
    setSubscriptionFilter: (f) => effects.push(['setSubscriptionFilter', f]),
    setSubscriptionInvalidationFilter: (f) => effects.push(['setSubscriptionInvalidationFilter', f]),
    invalidateSubscriptions: (spec) => effects.push(['invalidateSubscriptions', spec]),
    evictFromApiCache: (t, f, k) => effects.push(['evictFromApiCache', t, f, k]),
    authType: () => authType,
  };
  const slot: HostSlot = {
    current() {
      if (!active) throw new ResolverError('util and extensions can only be used while a handler runs');
      return recorder;
    },
  };

  seed(options.seed);
  const builtins = createBuiltins(slot);
  harden(options);
  // APPSYNC_JS's JSON.parse returns an empty string for invalid JSON instead of throwing (resolvers cannot catch).
  const guardedParse = JSON.parse;
  JSON.parse = function parseOrBlank(text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) {
    try {
      return guardedParse(text, reviver);
    } catch (error) {
      if (is(error, 'budget') || is(error, 'limit')) throw error;
      return '';
    }
  } as typeof JSON.parse;

  const log = (...args: unknown[]) => {
    if (logs.length < options.maxLogLines) logs.push(args.map((a) => String(a)).join(' '));
  };
  const error = (...args: unknown[]) => log('ERROR', ...args);
  define(options.tick, tick);
  define(options.builtinsGlobal, builtins);
  define('util', builtins.util);
  define('runtime', builtins.runtime);
  define('extensions', builtins.extensions);
  define('console', Object.freeze({ log, info: log, debug: log, warn: error, error }));

  // Copies values out as JSON while the budget still runs: getters and toJSON are resolver code and tick; a
  // structure walked natively was built under the budget and the caps, and an exhausted budget is checked after.
  const out = (value: unknown): string | undefined => {
    const text = stringify(value);
    if (tripped) throw new BudgetExhausted();
    return text;
  };

  // identity, request and env are the same for every field of a request: parsed once, frozen so that one field's
  // handler cannot change what the next one reads.
  let sharedText = '';
  let sharedValue: Record<string, unknown> = {};
  const shared = (text: string) => {
    if (text !== sharedText) {
      sharedValue = deepFreeze(parse(`{${text}}`));
      sharedText = text;
    }
    return sharedValue;
  };

  const begin = (ms = options.cpuMs) => {
    active = true;
    tripped = false;
    ticks = 0;
    deadline = now() + ms;
    effects = [];
    logs = [];
  };

  // The args text a sharing module was handed, to send back only what it changed.
  let argsIn: string | undefined;
  const argsOut = (ctx: Ctx): string => {
    if (argsIn === undefined) return '';
    const a = out(ctx.args);
    return a === undefined || a === argsIn ? '' : `,"a":${a}`;
  };

  const failure = (caught: unknown, ctx: Ctx): string => {
    if (tripped || is(caught, 'budget')) return stringify({ k: 'budget', log: logs });
    try {
      const s = out(ctx.stash) ?? '{}';
      const fx = out(effects) ?? '[]';
      const tail = `,"s":${s},"fx":${fx}${argsOut(ctx)},"log":${stringify(logs)}}`;
      if (is(caught, 'early')) {
        const early = caught as EarlyReturn;
        const v = out(early.value);
        return `{"k":"early","skipTo":${stringify(early.skipTo)}${v === undefined ? '' : `,"v":${v}`}${tail}`;
      }
      if (is(caught, 'resolver')) {
        const e = caught as ResolverError;
        const head = stringify({ k: 'error', m: String(e.message), t: e.errorType ?? null });
        return `${head.slice(0, -1)},"d":${out(e.data) ?? 'null'},"i":${out(e.errorInfo) ?? 'null'}${tail}`;
      }
      const error = is(caught, 'error') ? (caught as Error) : undefined;
      const name = error ? String(error.name) : 'Error';
      const message = error ? String(error.message) : String(caught);
      return stringify({ k: 'code', m: `${name}: ${message}`, log: logs });
    } catch (again) {
      if (tripped || is(again, 'budget')) return stringify({ k: 'budget', log: logs });
      return stringify({ k: 'code', m: 'Error: resolver code failed', log: logs });
    }
  };

  let handlers: Record<string, Handler> = {};
  let kept: Ctx | undefined;

  // A fresh ctx is built from the host's texts (sandbox.ts) without parsing what is known: empty args and stash,
  // the first prev, a null source are literals (the host sends these very strings, so the checks compare
  // references), and `info` comes from one parsed copy per field with its variables and selection list made anew
  // for each call, since a handler may change them.
  const FRESH_PATCH = '{"stash":{},"prev":{"result":null}}';
  const { hasOwn } = Object;
  const data = (text: string): unknown => (text === '{}' ? {} : text === 'null' ? null : parse(text));
  let infoText = '';
  let infoParsed: { fieldName: string; parentTypeName: string; selectionSetList: string; selectionSetGraphQL: string };
  const infoOf = (text: string, variables: string) => {
    if (text !== infoText) {
      infoParsed = parse(text);
      infoText = text;
    }
    const { fieldName, parentTypeName, selectionSetList, selectionSetGraphQL } = infoParsed;
    return {
      fieldName,
      parentTypeName,
      variables: data(variables),
      selectionSetList: selectionSetList === '[]' ? [] : parse(selectionSetList),
      selectionSetGraphQL,
    };
  };

  const run = (name: string, auth: string, last: boolean, context: () => Ctx): string => {
    begin();
    authType = auth;
    let ctx: Ctx = {};
    try {
      ctx = context();
      argsIn = options.sharesArgs ? out(ctx.args) : undefined;
      let value: unknown;
      if (name === 'none') {
        // A NONE data source returns the request's payload: request and response run in one crossing.
        const request = handlers.request ? handlers.request(ctx) : {};
        ctx.result = request && typeof request === 'object' && 'payload' in request ? (request as Ctx).payload : null;
        delete ctx.error;
        deadline = now() + options.cpuMs;
        value = handlers.response ? handlers.response(ctx) : ctx.result;
      } else value = handlers[name](ctx);
      // The engine reads nothing of ctx after the last handler, so with no effects or logs to report the answer is
      // the value alone: a string as itself behind `s`, anything else as JSON behind `v` (an outcome starts `{`).
      if (last && effects.length === 0 && logs.length === 0) {
        if (typeof value === 'string') {
          if (tripped) throw new BudgetExhausted();
          return `s${value}`;
        }
        const v = out(value);
        if (v !== undefined) return `v${v}`;
      }
      const v = out(value);
      const s = out(ctx.stash) ?? '{}';
      const fx = effects.length ? `,"fx":${out(effects)}` : '';
      const log = logs.length ? `,"log":${stringify(logs)}` : '';
      return `{"k":"ok"${v === undefined ? '' : `,"v":${v}`},"s":${s}${fx}${argsOut(ctx)}${log}}`;
    } catch (caught) {
      return failure(caught, ctx);
    } finally {
      active = false;
    }
  };

  return {
    /** Runs the module's code (wrapped in a function by the host) once, under the budget. */
    load(factory: () => unknown): string {
      begin(options.loadMs ?? options.cpuMs);
      try {
        const exports = factory() as Record<string, unknown> | undefined;
        const found: Record<string, Handler> = {};
        for (const name of ['request', 'response']) {
          const fn = exports?.[name];
          if (typeof fn === 'function') found[name] = fn as Handler;
        }
        handlers = found;
        return stringify({ k: 'ok', v: Object.keys(found), log: logs });
      } catch (caught) {
        return failure(caught, { stash: {} });
      } finally {
        active = false;
      }
    },

    /**
     * A handler on a new ctx: its own members as texts (context.ts, ownContextText), what the engine changes
     * (`patchJson`), and the request's members (`sharedJson`, see shared above).
     */
    call(
      name: string,
      argsText: string,
      sourceText: string,
      infoText: string,
      variablesText: string,
      patchJson: string,
      sharedJson: string,
      auth: string,
      last: boolean,
    ): string {
      return run(name, auth, last, () => {
        const common = shared(sharedJson);
        const args = data(argsText);
        const source = data(sourceText);
        const info = infoOf(infoText, variablesText);
        let ctx: Ctx;
        if (patchJson === FRESH_PATCH) {
          ctx = { args, source, info, stash: {}, prev: { result: null } };
        } else {
          const patch = parse(patchJson) as Ctx;
          ctx = { args, source, info, stash: patch.stash, prev: patch.prev };
          if (hasOwn(patch, 'result')) ctx.result = patch.result;
          if (hasOwn(patch, 'error')) ctx.error = patch.error;
        }
        ctx.arguments = args;
        ctx.identity = common.identity;
        ctx.request = common.request;
        ctx.env = common.env;
        kept = ctx;
        return ctx;
      });
    },

    /** A handler on the ctx of the previous call, with the members the engine changed since (`patchJson`). */
    resume(name: string, patchJson: string, auth: string, last: boolean): string {
      return run(name, auth, last, () => {
        if (!kept) throw new Error('no resolver context to resume');
        const patch = parse(patchJson) as Ctx;
        for (const key of ['stash', 'prev', 'result', 'error']) {
          if (key in patch) kept[key] = patch[key];
          else delete kept[key];
        }
        if ('args' in patch) kept.args = kept.arguments = patch.args;
        return kept;
      });
    },
  };
}
