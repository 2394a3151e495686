// Each resolver module runs in a V8 context of its own whose every object is made inside it: the realm's runtime
// (realm/inside.ts) creates the built-ins there, `ctx` crosses in as JSON text and results cross out as JSON text,
// so no host function, prototype, error or promise is reachable from resolver code. Code generation from strings
// is off, promises and their microtasks stay in the realm, and every evaluation runs under a time budget
// (realm/instrument.ts). docs/decisions/0007-resolver-isolation.md says why this shape and what it costs.
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BUILTINS_GLOBAL, EXPORTS_GLOBAL, ResolverCodeError } from './bundle.js';
import { contextPatchJson, ownContextText, type ResolverContext, replaceArgs, sharedContextJson } from './context.js';
import type { RuntimeHost } from './host.js';
import { realmRuntimeScript } from './realm/build.js';
import { instrument } from './realm/instrument.js';
import { EarlyReturn, ResolverError } from './signals.js';

// A backtracking regular expression runs in one native call, where no tick can stop it: `util.matches('^(a+)+$', …)`
// would hold the server's thread for ever. This V8 flag re-runs any regexp that backtracks excessively on V8's
// linear-time engine, which answers such patterns at once. It is process-wide (host regexps gain the same guard)
// and cannot help patterns the linear engine does not support (backreferences, lookarounds): docs/security.md.
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

export interface ResolverLimits {
  /** Time budget of one handler evaluation, in ms (default 100). */
  cpuMs: number;
  /** Largest array a built-in may walk or build in one call (default 1,000,000). */
  maxArrayLength: number;
  /** Longest string a built-in may build in one call (default 16 Mi characters). */
  maxStringLength: number;
}

export const DEFAULT_RESOLVER_LIMITS: ResolverLimits = {
  cpuMs: 100,
  maxArrayLength: 1_000_000,
  maxStringLength: 16 * 1024 * 1024,
};

/** `none`: the request handler, a NONE data source (the payload becomes ctx.result), then the response handler. */
export type HandlerName = 'request' | 'response' | 'none';

export interface ResolverModule {
  readonly file: string;
  has(handler: HandlerName): boolean;
  /**
   * Runs a handler on a copy of `ctx`; `ctx.stash` takes the handler's changes. Returns the handler's value, or
   * throws the host's ResolverError / EarlyReturn, or a ResolverError of type `Code` for a
   * runtime error or an exhausted budget. Effects (appendError, subscription filters, ...) go to `host`.
   * `last`: the engine reads nothing of `ctx` after this handler (a unit resolver's response, a pipeline's after
   * handler), so its stash need not come back.
   */
  run(handler: HandlerName, ctx: ResolverContext, host: RuntimeHost, shared?: string, last?: boolean): unknown;
}

export interface SandboxConsole {
  log(line: string): void;
}

type RealmApi = {
  load(factory: unknown): string;
  call(
    name: string,
    args: string,
    source: string,
    info: string,
    variables: string,
    patchJson: string,
    sharedJson: string,
    authType: string,
    last: boolean,
  ): string;
  resume(name: string, patchJson: string, authType: string, last: boolean): string;
};

interface Outcome {
  k: 'ok' | 'early' | 'error' | 'code' | 'budget';
  v?: unknown;
  s?: Record<string, unknown>;
  /** The args a `sharesArgs` module changed. */
  a?: Record<string, unknown>;
  fx?: unknown[][];
  log?: string[];
  skipTo?: 'END' | 'NEXT';
  m?: string;
  t?: string | null;
  d?: unknown;
  i?: unknown;
}

/** A runtime error in resolver code, as AppSync reports it: errorType `Code`. */
export class CodeError extends ResolverError {
  constructor(message: string) {
    super(message, 'Code');
    this.name = 'CodeError';
  }
}

export async function loadResolverModule(
  code: string,
  file: string,
  console: SandboxConsole,
  limits: ResolverLimits = DEFAULT_RESOLVER_LIMITS,
): Promise<ResolverModule> {
  const tick = `__synclineTick${randomBytes(8).toString('hex')}`;
  let wrapped: string;
  try {
    wrapped = instrument(`(function () {\n"use strict";\n${code}\nreturn ${EXPORTS_GLOBAL};\n})`, tick);
  } catch (error) {
    throw new ResolverCodeError(file, [`${file}: ${(error as Error).message}`]);
  }
  return loadRealmModule(file, console, limits, tick, (context) =>
    vm.runInContext(wrapped, context, { filename: file }),
  );
}

/**
 * A realm for one module: `factory(context)` evaluates the module's (instrumented, `tick`-calling) code in the new
 * context and answers the function whose call, under the budget, returns the module's `request`/`response`
 * handlers. APPSYNC_JS files and VTL templates (resolvers/vtl) both load through here.
 */
export async function loadRealmModule(
  file: string,
  console: SandboxConsole,
  limits: ResolverLimits,
  tick: string,
  factoryOf: (context: vm.Context) => unknown,
  /** Budget of the module's first run, when not `limits.cpuMs`. */
  loadMs?: number,
  /** The module's changes to `ctx.args` reach the handlers after it (VTL pipeline templates; RealmOptions). */
  sharesArgs = false,
): Promise<ResolverModule> {
  // An ordinary global object of the new context (DONT_CONTEXTIFY), not a host object contextified: nothing of
  // the host's stands behind the global, whose prototype chain is the realm's own, and a global lookup (every
  // tick call, `util`, `JSON`, ...) is V8's fast one instead of a call into Node's interceptors (~125 ns each).
  const context = vm.createContext(vm.constants.DONT_CONTEXTIFY, {
    name: file,
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  const createRealm = (await realmRuntimeScript()).runInContext(context) as (options: string) => RealmApi;
  const realm = createRealm(
    JSON.stringify({
      tick,
      cpuMs: limits.cpuMs,
      loadMs,
      maxArrayLength: limits.maxArrayLength,
      maxStringLength: limits.maxStringLength,
      seed: randomBytes(32).toString('hex'),
      builtinsGlobal: BUILTINS_GLOBAL,
      maxLogLines: 1000,
      sharesArgs,
    }),
  );
  const factory = factoryOf(context);
  const loaded = decode(guarded(() => realm.load(factory)));
  writeLogs(loaded, console);
  if (loaded.k !== 'ok') {
    const why = loaded.k === 'budget' ? `its first run exceeded the ${loadMs ?? limits.cpuMs} ms budget` : loaded.m;
    throw new ResolverCodeError(file, [`${file}: ${why}`]);
  }
  const present = new Set(loaded.v as string[]);
  // The realm keeps the ctx of its last call: a unit resolver's response handler (or a pipeline function's) resumes
  // it with what the engine changed instead of sending the whole ctx again.
  let kept: ResolverContext | undefined;

  return {
    file,
    has: (handler) => handler === 'none' || present.has(handler),
    run(handler, ctx, host, shared, last = false) {
      const auth = host.authType();
      let text: unknown;
      if (kept === ctx) text = guarded(() => realm.resume(handler, contextPatchJson(ctx), auth, last));
      else {
        kept = ctx;
        const own = ownContextText(ctx);
        const patch = contextPatchJson(ctx);
        const common = shared ?? sharedContextJson(ctx);
        text = guarded(() =>
          realm.call(handler, own.args, own.source, own.info, own.variables, patch, common, auth, last),
        );
      }
      // A last handler's plain answer (inside.ts): the value alone, no outcome to decode.
      if (last && typeof text === 'string') {
        const kind = text.charCodeAt(0);
        if (kind === VALUE_STRING) return text.slice(1);
        if (kind === VALUE_JSON) return JSON.parse(text.slice(1));
      }
      const outcome = decode(text);
      writeLogs(outcome, console);
      if (outcome.s && typeof outcome.s === 'object') ctx.stash = outcome.s;
      if (outcome.a && typeof outcome.a === 'object') replaceArgs(ctx, outcome.a);
      for (const effect of outcome.fx ?? []) apply(effect, host);
      switch (outcome.k) {
        case 'ok':
          return outcome.v;
        case 'early':
          throw new EarlyReturn(outcome.v, outcome.skipTo === 'END' ? 'END' : 'NEXT');
        case 'error':
          throw new ResolverError(String(outcome.m), outcome.t ?? null, outcome.d ?? null, outcome.i ?? null);
        case 'budget':
          throw new CodeError(
            `Execution of the ${handler} handler exceeded the ${limits.cpuMs} ms resolver time limit`,
          );
        default:
          throw new CodeError(String(outcome.m));
      }
    },
  };
}

const VALUE_STRING = 's'.charCodeAt(0);
const VALUE_JSON = 'v'.charCodeAt(0);

// A throw out of the realm (only a stack overflow inside its own error handling could do it) carries a realm value:
// it is dropped unread, since reading it could run resolver code outside the budget.
function guarded(call: () => unknown): unknown {
  try {
    return call();
  } catch {
    return undefined;
  }
}

// The realm's answer is a string it built with its own JSON.stringify; anything else (it cannot happen short of
// an engine bug) is treated as a failed evaluation rather than touched.
function decode(text: unknown): Outcome {
  if (typeof text !== 'string') return { k: 'code', m: 'Error: resolver code failed' };
  return JSON.parse(text) as Outcome;
}

function writeLogs(outcome: Outcome, console: SandboxConsole) {
  if (!Array.isArray(outcome.log)) return;
  for (const line of outcome.log) console.log(String(line));
}

function apply(effect: unknown[], host: RuntimeHost) {
  switch (effect[0]) {
    case 'appendError':
      host.appendError(
        new ResolverError(
          String(effect[1]),
          (effect[2] as string | null) ?? null,
          effect[3] ?? null,
          effect[4] ?? null,
        ),
      );
      break;
    case 'setSubscriptionFilter':
      host.setSubscriptionFilter(effect[1]);
      break;
    case 'setSubscriptionInvalidationFilter':
      host.setSubscriptionInvalidationFilter(effect[1]);
      break;
    case 'invalidateSubscriptions':
      host.invalidateSubscriptions(effect[1]);
      break;
    case 'evictFromApiCache':
      host.evictFromApiCache(String(effect[1]), String(effect[2]), effect[3]);
      break;
  }
}
