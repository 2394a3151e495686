// A read-only view of the realtime connections and their subscriptions, for the console: who is connected, over
// which protocol, authenticated how, listening to which field with which filter. Built on request from the
// protocols' own maps; nothing is kept for it on the delivery path.
import type { SubscriptionHandle } from './hub.js';

export interface SubscriptionListing {
  /** The client's operation id. */
  id: string;
  /** The Subscription field. */
  field: string;
  /** The enhanced filter the resolver set, else the arguments the client wrote (AppSync's argument filter). */
  filter?: unknown;
  variables?: Record<string, unknown> | null;
}

export interface ConnectionListing {
  id: string;
  protocol: 'appsync' | 'graphql-transport-ws';
  /** Epoch ms. */
  connectedAt: number;
  /** The auth mode the connection was accepted with; null before it was. */
  auth: { mode: string } | null;
  subscriptions: SubscriptionListing[];
}

/** A protocol connection's subscriptions, by client id; those still starting (`pending`) are not listed yet. */
export function listSubscriptions(
  subscriptions: ReadonlyMap<string, SubscriptionHandle | { readonly pending: true }>,
): SubscriptionListing[] {
  const out: SubscriptionListing[] = [];
  for (const [id, entry] of subscriptions) {
    if (!('registration' in entry)) continue;
    const { field, source } = entry.registration;
    out.push({ id, field, filter: source?.filter, variables: source?.variables });
  }
  return out;
}
