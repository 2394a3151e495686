import { ResolverError } from '../signals.js';

/**
 * A built-in called with arguments AppSync would reject. It surfaces like `util.error`: the handler stops and the
 * field's error names the built-in, so the resolver author sees the cause instead of a later `undefined` crash.
 */
export function misuse(builtin: string, message: string): ResolverError {
  return new ResolverError(`${builtin}: ${message}`);
}
