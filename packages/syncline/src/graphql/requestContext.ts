// Everything one GraphQL request carries through execution: who asked, how, and what the resolvers recorded.
import type { AuthType } from '../app/model.js';
import type { AppSyncErrorEntry } from './errors.js';

export interface RequestAuth {
  mode: AuthType;
  /** `ctx.identity`: null for API keys, the mode's identity shape otherwise. */
  identity: unknown;
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
}

export function newRequestContext(
  requestId: string,
  auth: RequestAuth,
  headers: Record<string, string>,
  domainName: string | null = null,
): RequestContext {
  return { requestId, auth, headers, domainName, appendedErrors: [], invalidations: [] };
}
