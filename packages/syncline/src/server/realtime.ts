// The realtime capability: the subscription hub with its transports — AppSync's WebSocket protocol and graphql-ws
// through the server's upgrade dispatcher, SSE as an HTTP route — and the cluster fan-out that carries each
// mutation's effect to the other nodes' hubs.
import type { IncomingMessage } from 'node:http';
import { type Cluster, createCluster, type PubSubOption } from '../cluster/index.js';
import { createRealtime, type Realtime, type RealtimeSettings } from '../realtime/index.js';
import { APPSYNC_SUBPROTOCOL } from '../realtime/protocols/appsync.js';
import { GRAPHQL_TRANSPORT_WS_SUBPROTOCOL } from '../realtime/protocols/graphqlTransportWs.js';
import type { Capability, ServerContext } from './capability.js';
import type { GraphqlCapability } from './graphql.js';

export interface RealtimeCapability extends Capability {
  /** The hub and its transports; there from `start` on. */
  readonly realtime: Realtime;
  readonly cluster: Cluster;
}

/** Where AppSync's realtime endpoint is reached: Amplify appends `/realtime` to whatever endpoint it was given. */
const REALTIME_PATHS = ['/graphql/realtime', '/graphql', '/realtime'];

export function realtimeCapability(
  ctx: ServerContext,
  graphql: GraphqlCapability,
  options: { settings?: Partial<RealtimeSettings>; pubsub?: PubSubOption },
): RealtimeCapability {
  // Built now, so that a bad pub/sub URL fails before anything is opened; the broker connects in `start`.
  const cluster = createCluster(options.pubsub, ctx.log);
  let realtime: Realtime | undefined;
  const started = () => {
    if (!realtime) throw new Error('realtime is not started');
    return realtime;
  };
  graphql.onMutation((event) => realtime?.onMutation(event) ?? 0);
  // API cache evictions travel on their own channel: each node keeps its cache, every node forgets the entry.
  graphql.onCacheEviction((eviction) => cluster.evictions.publish(eviction));
  cluster.evictions.onReceive((eviction) => graphql.applyCacheEviction(eviction));
  return {
    name: 'realtime',
    cluster,
    get realtime() {
      return started();
    },
    routes: [
      {
        matches: (r) =>
          graphql.api() !== undefined && started().sse.accepts({ headers: r.headers } as IncomingMessage, r.path),
        serve: (req, res) => void started().sse.handle(req, res),
      },
    ],
    upgrades: [
      {
        paths: REALTIME_PATHS,
        subprotocols: [APPSYNC_SUBPROTOCOL, GRAPHQL_TRANSPORT_WS_SUBPROTOCOL],
        enabled: () => graphql.api() !== undefined,
        handle: (req, socket, head) => started().handleUpgrade(req, socket, head),
      },
    ],
    async start() {
      realtime = createRealtime({
        api: graphql.api,
        log: ctx.log,
        settings: options.settings,
        forward: cluster.forward,
      });
      await cluster.start(cluster.namespaceFor(ctx.app().name), realtime.apply);
    },
    health() {
      const { state, adapter } = cluster.state();
      return { ready: state === 'connected', detail: adapter === 'memory' ? undefined : `broker ${state}` };
    },
    metrics() {
      const connections = realtime?.connections() ?? { appsync: 0, graphqlTransportWs: 0 };
      const { published, received, dropped } = cluster.state();
      const hub = realtime?.hub.stats;
      return {
        ...connections,
        subscriptions: hub?.active ?? 0,
        published: hub?.published ?? 0,
        delivered: hub?.delivered ?? 0,
        oversized: hub?.oversized ?? 0,
        slowConsumersDropped: realtime?.drops() ?? 0,
        clusterPublished: published,
        clusterReceived: received,
        clusterDropped: dropped,
      };
    },
    async close() {
      // The broker first: no other node's event reaches a hub that is closing.
      await cluster.close();
      realtime?.close();
      realtime = undefined;
    },
  };
}
