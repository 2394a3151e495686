// Redis pub/sub through ioredis. Two connections, as Redis requires: a subscriber (in subscribe mode it accepts
// nothing else) and a publisher. ioredis reconnects both on its own; this adapter subscribes again itself on every
// `ready`, so `connected` is reported only once the subscriptions are back in place. The publisher has no offline
// queue: a publish while Redis is unreachable is dropped and reported, not replayed late.
import { Redis, type RedisOptions } from 'ioredis';
import type { PubSub, PubSubHandler } from './pubsub.js';
import { StateCell } from './stateCell.js';

export interface RedisPubSubOptions {
  /** Longest wait between reconnect attempts (default 2000 ms); attempts back off by 100 ms each. */
  maxReconnectDelayMs?: number;
}

export function createRedisPubSub(url: string, target: string, options: RedisPubSubOptions = {}): PubSub {
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  const common: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, maxDelay),
  };
  const pub = new Redis(url, { ...common, connectionName: 'syncline-pub', enableAutoPipelining: true });
  const sub = new Redis(url, { ...common, connectionName: 'syncline-sub', autoResubscribe: false });
  const cell = new StateCell();
  const handlers = new Map<string, Set<PubSubHandler>>();
  let subscribed = false;
  let lastError: Error | undefined;

  const update = () => {
    if (pub.status === 'ready' && sub.status === 'ready' && subscribed) cell.set('connected');
    else if (cell.state === 'connected') cell.set('disconnected', lastError);
  };
  const resubscribe = async () => {
    subscribed = false;
    try {
      if (handlers.size > 0) await sub.subscribe(...handlers.keys());
      subscribed = true;
    } catch (error) {
      // The connection dropped again while subscribing; the next `ready` tries again.
      lastError = error as Error;
    }
    update();
  };
  for (const client of [pub, sub]) {
    // Without an error listener ioredis would print every failed reconnect attempt; the state says enough.
    client.on('error', (error: Error) => {
      lastError = error;
    });
    client.on('close', () => {
      if (client === sub) subscribed = false;
      update();
    });
  }
  pub.on('ready', update);
  sub.on('ready', () => void resubscribe());
  sub.on('message', (channel: string, message: string) => {
    const set = handlers.get(channel);
    if (set) for (const handler of set) handler(message);
  });

  return {
    kind: 'redis',
    target,
    local: false,
    get state() {
      return cell.state;
    },
    async connect() {
      let off = () => {};
      // `ready` (with its resubscribe) runs around connect() resolving; wait until the subscriptions are back too.
      const subscribedNow = new Promise<void>((resolve) => {
        off = cell.on((state) => state === 'connected' && resolve());
      });
      try {
        await Promise.all([pub.connect(), sub.connect()]);
        update();
        await subscribedNow;
      } catch (error) {
        pub.disconnect();
        sub.disconnect();
        throw error;
      } finally {
        off();
      }
    },
    publish(channel, message) {
      if (pub.status !== 'ready') return false;
      pub.publish(channel, typeof message === 'string' ? message : Buffer.from(message)).catch((error: Error) => {
        lastError = error;
      });
      return true;
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(handler);
      if (sub.status === 'ready' && subscribed) await sub.subscribe(channel);
    },
    onState: (listener) => cell.on(listener),
    async close() {
      cell.set('closed');
      // quit() waits for pending replies but hangs on a dead link; disconnect() stops the reconnect loop at once.
      await Promise.all(
        [pub, sub].map((client) =>
          client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect(),
        ),
      );
    },
  };
}
