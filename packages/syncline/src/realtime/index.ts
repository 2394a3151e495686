// Realtime: the subscription hub and the transports that feed it. The server hands WebSocket upgrades and SSE
// requests here and reports every mutation through `onMutation`; nothing else moves subscription data.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { GraphqlApi } from '../graphql/api.js';
import type { MutationEvent } from '../graphql/mutationEvent.js';
import { SendBudget } from './backpressure.js';
import { handshakeAuth } from './handshake.js';
import { SubscriptionHub } from './hub.js';
import type { ConnectionListing } from './listing.js';
import { invalidationCalls, type OperationEnv } from './operations.js';
import { APPSYNC_SUBPROTOCOL, AppSyncProtocol } from './protocols/appsync.js';
import { GRAPHQL_TRANSPORT_WS_SUBPROTOCOL, GraphqlTransportWsProtocol } from './protocols/graphqlTransportWs.js';
import { SseProtocol } from './protocols/sse.js';
import { DEFAULT_REALTIME_SETTINGS, type RealtimeSettings } from './settings.js';

export type { HubStats, Registration, SubscriptionSink } from './hub.js';
export { SubscriptionHub } from './hub.js';
export type { ConnectionListing, SubscriptionListing } from './listing.js';
export type { RealtimeSettings } from './settings.js';

export interface Realtime {
  readonly hub: SubscriptionHub;
  /** For `server.on('upgrade')`: serves `/graphql/realtime`, `/graphql` (and `/realtime` for root endpoints). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** GraphQL over SSE; `accepts` tells the router which requests are its. */
  readonly sse: Pick<SseProtocol, 'accepts' | 'handle'>;
  /** The HTTP GraphQL handler's hook: publishes mutation results and applies invalidations. */
  /** Returns how many subscribers on this node were delivered to (the journal's `delivery` span). */
  onMutation(event: MutationEvent): number;
  /** Applies a mutation's effect that another cluster node published (its `forward`ed HubEvent). */
  apply(event: HubEvent): void;
  connections(): { appsync: number; graphqlTransportWs: number };
  /** The WebSocket connections and their subscriptions now (the console's realtime page). */
  listConnections(): ConnectionListing[];
  /** Connections dropped for falling behind (backpressure.ts), since start. */
  drops(): number;
  close(): void;
}

/**
 * One mutation's effect on subscriptions, in terms every node's hub understands: the values published to which
 * subscription fields, and the invalidation calls. This is what the cluster carries between nodes.
 */
export interface HubEvent {
  publishes: { fields: readonly string[]; value: Record<string, unknown> }[];
  invalidations: { field: string; payload: Record<string, unknown> }[];
}

const REALTIME_PATHS = new Set(['/graphql/realtime', '/graphql', '/realtime']);

// Amplify appends `/realtime` to whatever endpoint it was given, so a root endpoint arrives as `//realtime`.
function realtimePath(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  const path = (url && q !== -1 ? url.slice(0, q) : (url ?? '/')).replace(/\/{2,}/g, '/');
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function createRealtime(options: {
  api: () => GraphqlApi | undefined;
  log: Logger;
  settings?: Partial<RealtimeSettings>;
  /** Hands each mutation's HubEvent to the other nodes (cluster/fanout.ts); absent on a single node. */
  forward?: (event: HubEvent) => void;
}): Realtime {
  const settings: RealtimeSettings = { ...DEFAULT_REALTIME_SETTINGS, ...options.settings };
  const log = options.log;
  const hub = new SubscriptionHub((error, stage) => log.error({ err: error, stage }, 'subscription delivery failed'));

  const forward = options.forward;
  const onMutation = (event: MutationEvent): number => {
    const api = options.api();
    if (!api) return 0;
    if (forward) return forwardMutation(api, event, forward);
    let delivered = 0;
    for (const { responseKey, fieldName } of event.rootFields) {
      const fields = api.schema.subscriptionsByMutation.get(fieldName);
      const value = event.result.data?.[responseKey];
      if (fields && value != null) delivered += hub.publish(fields, value);
    }
    for (const call of invalidationCalls(event.invalidations)) hub.invalidate(call.field, call.payload);
    return delivered;
  };
  const apply = (event: HubEvent): number => {
    let delivered = 0;
    for (const { fields, value } of event.publishes) delivered += hub.publish(fields, value);
    for (const call of event.invalidations) hub.invalidate(call.field, call.payload);
    return delivered;
  };
  // In a cluster the event is built once, applied here (local subscribers never wait for the broker) and sent on.
  const forwardMutation = (api: GraphqlApi, event: MutationEvent, send: (event: HubEvent) => void): number => {
    const publishes: HubEvent['publishes'] = [];
    for (const { responseKey, fieldName } of event.rootFields) {
      const fields = api.schema.subscriptionsByMutation.get(fieldName);
      const value = event.result.data?.[responseKey];
      // The hub ignores anything but objects; so do the other nodes.
      if (fields && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        publishes.push({ fields, value: value as Record<string, unknown> });
      }
    }
    const hubEvent: HubEvent = { publishes, invalidations: invalidationCalls(event.invalidations) };
    if (publishes.length === 0 && hubEvent.invalidations.length === 0) return 0;
    const delivered = apply(hubEvent);
    send(hubEvent);
    return delivered;
  };

  const env: OperationEnv = { api: options.api, onMutation };
  const budget = new SendBudget(settings.maxBufferedBytes, settings.maxTotalBufferedBytes);
  const shared = { env, hub, settings, log, budget };
  const appsync = new AppSyncProtocol(shared);
  const transportWs = new GraphqlTransportWsProtocol(shared);
  const sse = new SseProtocol(shared);

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    maxPayload: settings.maxFrameBytes,
    handleProtocols: (protocols) => {
      if (protocols.has(GRAPHQL_TRANSPORT_WS_SUBPROTOCOL) && !protocols.has(APPSYNC_SUBPROTOCOL)) {
        return GRAPHQL_TRANSPORT_WS_SUBPROTOCOL;
      }
      return protocols.has(APPSYNC_SUBPROTOCOL) ? APPSYNC_SUBPROTOCOL : false;
    },
  });

  const timer = setInterval(() => {
    const now = Date.now();
    appsync.tick(now);
    transportWs.tick(now);
    sse.tick();
  }, settings.keepAliveMs);
  timer.unref();

  return {
    hub,
    sse,
    onMutation,
    apply,
    handleUpgrade(req, socket, head) {
      if (!REALTIME_PATHS.has(realtimePath(req.url)) || !options.api()) {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (ws.protocol === GRAPHQL_TRANSPORT_WS_SUBPROTOCOL) transportWs.accept(ws, req);
        else appsync.accept(ws, handshakeAuth(req));
      });
    },
    connections: () => ({ appsync: appsync.size, graphqlTransportWs: transportWs.size }),
    listConnections: () => [...appsync.list(), ...transportWs.list()],
    drops: () => budget.dropped,
    close() {
      clearInterval(timer);
      appsync.terminateAll();
      transportWs.terminateAll();
      sse.close();
    },
  };
}
