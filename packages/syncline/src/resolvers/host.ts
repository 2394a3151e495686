import type { ResolverError } from './signals.js';

/**
 * What the APPSYNC_JS built-ins (`util`, `extensions`, `runtime`) need from the engine while one handler runs.
 * Handlers are synchronous, so the engine sets the current host right before calling `request`/`response`
 * and the built-ins read it through `current()`; one set of built-ins serves every request.
 */
export interface RuntimeHost {
  /** `util.appendError`: recorded for the response, the handler keeps running. */
  appendError(error: ResolverError): void;
  /** `extensions.setSubscriptionFilter(filterJsonObject)`: only valid in a subscription resolver's response. */
  setSubscriptionFilter(filter: unknown): void;
  /** `extensions.setSubscriptionInvalidationFilter(filterJsonObject)`. */
  setSubscriptionInvalidationFilter(filter: unknown): void;
  /** `extensions.invalidateSubscriptions({ subscriptionField, payload })` from a mutation resolver. */
  invalidateSubscriptions(spec: unknown): void;
  /** `extensions.evictFromApiCache(typeName, fieldName, keyValuePair)`: removes that entry of the API cache. */
  evictFromApiCache(typeName: string, fieldName: string, keys: unknown): void;
  /** The auth mode of the request, for `util.authType()`: 'API Key Authorization', 'IAM Authorization', ... */
  authType(): string;
}

export interface HostSlot {
  current(): RuntimeHost;
}
