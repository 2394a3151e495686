// Everything one GraphQL request carries through execution: who asked, how, and what the resolvers recorded.
import type { AuthType } from '../app/model.js';
import type { AppSyncErrorEntry } from './errors.js';

export interface RequestAuth {
  mode: AuthType;
  /** `ctx.identity`: null for API keys, the mode's identity shape otherwise. */
  identity: unknown;
  /** User pools: the caller's `cognito:groups`, for `cognito_groups` on auth directives. */
  groups?: readonly string[];
  /** Lambda authorizer: fields (`Type.field`) this caller reads as null with an Unauthorized error. */
  deniedFields?: ReadonlySet<string>;
}

export interface RequestContext {
  requestId: string;
  auth: RequestAuth;
  /** Lower-case header names. */
  headers: Record<string, string>;
  domainName: string | null;
  /** Errors from `util.appendError`, added to the response after execution. */
  appendedErrors: AppSyncErrorEntry[];
  /** Set by a subscription resolver's response handler. */
  subscriptionFilter?: unknown;
  subscriptionInvalidationFilter?: unknown;
  /** `extensions.invalidateSubscriptions` calls made by mutation resolvers. */
  invalidations: unknown[];
  /** Resolver invocations so far, against the API's resolverCountLimit. */
  resolverCount: number;
  /** Entries `extensions.evictFromApiCache` removed; reported as `extensions.apiCacheEntriesDeleted`. */
  apiCacheEntriesDeleted?: number;
}

export function newRequestContext(
  requestId: string,
  auth: RequestAuth,
  headers: Record<string, string>,
  domainName: string | null = null,
): RequestContext {
  return { requestId, auth, headers, domainName, appendedErrors: [], invalidations: [], resolverCount: 0 };
}
