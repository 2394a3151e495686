// Cluster fan-out of mutations. The origin node applies a mutation's HubEvent to its own hub at once (realtime
// does that before calling `forward`) and publishes it once to the app's channel; every other node applies what it
// receives to its hub, which matches, renders and serializes per selection as for a local mutation. A node skips
// its own echo by the origin id, so nobody gets a payload twice. Delivery between nodes is at most once: what is
// published while the broker is unreachable is dropped and counted, and nothing is replayed.

import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { HubEvent } from '../realtime/index.js';
import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import { BrokerUnreachableError } from './errors.js';
import { messageText, type PubSub, type PubSubMessage, type PubSubState } from './pubsub.js';

export interface ClusterCounters {
  /** Mutation events sent to the broker. */
  published: number;
  /** Mutation events received from other nodes and applied to this node's hub. */
  received: number;
  /** Mutation events not sent because the broker was unreachable (or refused them, e.g. over its size limit). */
  dropped: number;
  /** Messages on the channel that were not a known envelope. */
  malformed: number;
  /** Times the broker connection was lost, and times it came back. */
  disconnects: number;
  reconnects: number;
}

export interface ClusterState extends ClusterCounters {
  adapter: PubSub['kind'];
  /** The broker, password masked; `memory` for the in-process default. */
  target: string;
  /** This node's id in the envelopes it publishes. */
  nodeId: string;
  /** The channel (Redis) or subject (NATS) carrying mutation events; known once started. */
  channel: string | undefined;
  state: PubSubState;
  /** When the current state began (ms since the epoch). */
  since: number;
}

export interface ClusterFanout {
  readonly nodeId: string;
  /** For realtime's `forward`; undefined when nobody else can listen, which keeps a single node's path direct. */
  readonly forward: ((event: HubEvent) => void) | undefined;
  /** Subscribes to `syncline.<namespace>.mutations` and connects; rejects if the broker cannot be reached. */
  start(namespace: string, apply: (event: HubEvent) => void): Promise<void>;
  /**
   * API cache evictions (`extensions.evictFromApiCache`) shared with the other nodes on `syncline.<namespace>.cache`:
   * `publish` sends one (no-op on a private bus), `onReceive` sets who applies the other nodes' evictions.
   */
  readonly evictions: {
    publish(eviction: CacheEviction): void;
    onReceive(apply: (eviction: CacheEviction) => void): void;
  };
  state(): ClusterState;
  close(): Promise<void>;
}

const MALFORMED_LOG_INTERVAL_MS = 60_000;

export const channelFor = (namespace: string) => `syncline.${namespace}.mutations`;
export const cacheChannelFor = (namespace: string) => `syncline.${namespace}.cache`;

/** One `extensions.evictFromApiCache(typeName, fieldName, keyValues)` call. */
export interface CacheEviction {
  typeName: string;
  fieldName: string;
  keys: Record<string, unknown>;
}

const eviction = z.object({
  v: z.literal(1),
  t: z.string().min(1).max(1024),
  f: z.string().min(1).max(1024),
  k: z.record(z.string(), z.unknown()),
});

export function createClusterFanout(pubsub: PubSub, log: Logger): ClusterFanout {
  const nodeId = randomBytes(6).toString('base64url');
  const echoPrefix = `${nodeId}\n`;
  const counters: ClusterCounters = {
    published: 0,
    received: 0,
    dropped: 0,
    malformed: 0,
    disconnects: 0,
    reconnects: 0,
  };
  let channel: string | undefined;
  let cacheChannel: string | undefined;
  let applyEviction: ((eviction: CacheEviction) => void) | undefined;
  let since = Date.now();
  let lastMalformedLog = 0;

  pubsub.onState((state, error) => {
    const now = Date.now();
    const downMs = now - since;
    since = now;
    if (state === 'disconnected') {
      counters.disconnects++;
      log.warn(
        { pubsub: pubsub.target, err: error },
        'lost the pub/sub broker; reconnecting. Until then mutations fan out to this node only',
      );
    } else if (state === 'connected' && counters.disconnects > counters.reconnects) {
      counters.reconnects++;
      log.info({ pubsub: pubsub.target, downMs }, `pub/sub broker back after ${downMs} ms; cluster fan-out resumed`);
    }
  });

  const receive = (apply: (event: HubEvent) => void) => (message: PubSubMessage) => {
    const text = messageText(message);
    if (text.startsWith(echoPrefix)) return;
    const event = decodeEnvelope(text);
    if (!event) {
      counters.malformed++;
      const now = Date.now();
      if (now - lastMalformedLog > MALFORMED_LOG_INTERVAL_MS) {
        lastMalformedLog = now;
        log.warn(
          { channel, malformed: counters.malformed },
          'ignored a message on the cluster channel that is not a Syncline mutation event',
        );
      }
      return;
    }
    counters.received++;
    try {
      apply(event);
    } catch (error) {
      log.error({ err: error }, 'applying a mutation event from another node failed');
    }
  };

  const forward = (event: HubEvent) => {
    if (channel === undefined) return;
    let sent: boolean;
    try {
      sent = pubsub.publish(channel, encodeEnvelope(nodeId, event));
    } catch (error) {
      log.warn({ err: error, channel }, 'the pub/sub broker refused a mutation event');
      sent = false;
    }
    if (sent) counters.published++;
    else counters.dropped++;
  };

  const receiveEviction = (message: PubSubMessage) => {
    const text = messageText(message);
    if (text.startsWith(echoPrefix)) return;
    let parsed: z.infer<typeof eviction> | undefined;
    try {
      parsed = eviction.parse(JSON.parse(text.slice(text.indexOf('\n') + 1)));
    } catch {
      counters.malformed++;
      return;
    }
    try {
      applyEviction?.({ typeName: parsed.t, fieldName: parsed.f, keys: parsed.k });
    } catch (error) {
      log.error({ err: error }, 'applying a cache eviction from another node failed');
    }
  };

  return {
    nodeId,
    forward: pubsub.local ? undefined : forward,
    evictions: {
      publish(e) {
        if (pubsub.local || cacheChannel === undefined) return;
        const message = `${nodeId}\n${JSON.stringify({ v: 1, t: e.typeName, f: e.fieldName, k: e.keys })}`;
        try {
          if (!pubsub.publish(cacheChannel, message)) counters.dropped++;
        } catch (error) {
          log.warn({ err: error, channel: cacheChannel }, 'the pub/sub broker refused a cache eviction');
          counters.dropped++;
        }
      },
      onReceive(apply) {
        applyEviction = apply;
      },
    },
    async start(namespace, apply) {
      channel = channelFor(namespace);
      await pubsub.subscribe(channel, receive(apply));
      if (!pubsub.local) {
        cacheChannel = cacheChannelFor(namespace);
        await pubsub.subscribe(cacheChannel, receiveEviction);
      }
      try {
        await pubsub.connect();
      } catch (error) {
        throw new BrokerUnreachableError(
          `cannot reach the pub/sub broker at ${pubsub.target}: ${(error as Error).message}`,
        );
      }
      since = Date.now();
      if (!pubsub.local) log.info({ pubsub: pubsub.target, channel, nodeId }, 'cluster fan-out connected');
    },
    state: () => ({
      adapter: pubsub.kind,
      target: pubsub.target,
      nodeId,
      channel,
      state: pubsub.state,
      since,
      ...counters,
    }),
    close: () => pubsub.close(),
  };
}
