import type { HostSlot, RuntimeHost } from '../../../src/resolvers/host.js';
import type { ResolverError } from '../../../src/resolvers/signals.js';

/** A RuntimeHost that records every call, behind a slot that always returns it. */
export function fakeHost(authType = 'API Key Authorization') {
  const calls = {
    errors: [] as ResolverError[],
    filters: [] as unknown[],
    invalidationFilters: [] as unknown[],
    invalidations: [] as unknown[],
    evictions: [] as unknown[][],
  };
  const host: RuntimeHost = {
    appendError: (error) => void calls.errors.push(error),
    setSubscriptionFilter: (filter) => void calls.filters.push(filter),
    setSubscriptionInvalidationFilter: (filter) => void calls.invalidationFilters.push(filter),
    invalidateSubscriptions: (spec) => void calls.invalidations.push(spec),
    evictFromApiCache: (typeName, fieldName, keys) => void calls.evictions.push([typeName, fieldName, keys]),
    authType: () => authType,
  };
  const slot: HostSlot = { current: () => host };
  return { slot, calls };
}

/** Runs `fn` and returns what it threw (failing the test if it returned). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
