// The cluster: how nodes of one app learn about each other's mutations (pub/sub fan-out). The server builds one
// from its `pubsub` option; the in-memory default keeps a single node exactly as fast as without clustering.
import type { Logger } from 'pino';
import { type ClusterFanout, createClusterFanout } from './fanout.js';
import { createMemoryPubSub } from './memory.js';
import { createNatsPubSub } from './nats.js';
import type { PubSub } from './pubsub.js';
import { createRedisPubSub } from './redis.js';
import { parsePubSubUrl } from './url.js';

export { BrokerUnreachableError, ClusterConfigError } from './errors.js';
export type { ClusterCounters, ClusterFanout, ClusterState } from './fanout.js';
export { createMemoryPubSub, MemoryBus } from './memory.js';
export type { PubSub, PubSubMessage, PubSubState } from './pubsub.js';
export { parsePubSubUrl } from './url.js';

/** What `createServer({ pubsub })` accepts: a URL (`redis://…`, `nats://…`, `memory`) or an adapter it will own. */
export type PubSubOption = string | PubSub;

export interface Cluster extends ClusterFanout {
  /** The namespace the channel is named for: `?namespace=` from the URL, else the app's name. */
  namespaceFor(appName: string): string;
}

/** Validates the option and builds the adapter without connecting; throws ClusterConfigError on a bad URL. */
export function createCluster(option: PubSubOption | undefined, log: Logger): Cluster {
  let pubsub: PubSub;
  let namespace: string | undefined;
  if (option === undefined) pubsub = createMemoryPubSub();
  else if (typeof option !== 'string') pubsub = option;
  else {
    const target = parsePubSubUrl(option);
    namespace = target.namespace;
    if (target.kind === 'memory') pubsub = createMemoryPubSub();
    else if (target.kind === 'redis') pubsub = createRedisPubSub(target.url, target.display);
    else pubsub = createNatsPubSub(target.servers, target.display);
  }
  const fanout = createClusterFanout(pubsub, log);
  return Object.assign(fanout, { namespaceFor: (appName: string) => namespace ?? appName });
}
