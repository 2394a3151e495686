// Each resolver module lives in its own V8 context, prepared once at load: the built-ins are installed as
// globals (AppSync exposes util, runtime and extensions as globals too) and the bundle runs once, so a request
// only calls plain functions. A context per module keeps one resolver's globals from leaking into another.
import vm from 'node:vm';
import { BUILTINS_GLOBAL, EXPORTS_GLOBAL } from './bundle.js';

export interface ResolverModule {
  request?: (ctx: unknown) => unknown;
  response?: (ctx: unknown) => unknown;
}

export interface Builtins {
  util: unknown;
  runtime: unknown;
  extensions: unknown;
  dynamodb: unknown;
}

export interface SandboxConsole {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

// APPSYNC_JS's JSON.parse returns an empty string for invalid JSON instead of throwing (resolvers cannot catch).
const PRELUDE = `(() => {
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) { try { return parse(text, reviver); } catch { return ''; } };
})();`;

export function loadResolverModule(
  code: string,
  file: string,
  builtins: Builtins,
  console: SandboxConsole,
): ResolverModule {
  const { util, runtime, extensions } = builtins;
  const log = (...args: unknown[]) => console.log(...args);
  const error = (...args: unknown[]) => console.error(...args);
  const context = vm.createContext({
    [BUILTINS_GLOBAL]: builtins,
    util,
    runtime,
    extensions,
    console: { log, info: log, debug: log, warn: error, error },
  });
  vm.runInContext(PRELUDE, context);
  vm.runInContext(code, context, { filename: file });
  const exports = (context as Record<string, unknown>)[EXPORTS_GLOBAL] as ResolverModule;
  return { request: exports.request, response: exports.response };
}
