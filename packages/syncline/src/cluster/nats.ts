// NATS core pub/sub through the `nats` client. One connection carries both directions; the client reconnects on
// its own (forever here, a node should not give up on its broker) and re-sends its subscriptions before it
// reports `reconnect`. `noEcho` keeps the server from sending a node its own messages. Plain core NATS, not
// JetStream: fan-out is best-effort, and a stream would only replay stale payloads to subscribers.
import { connect, Events, type NatsConnection } from 'nats';
import type { PubSub, PubSubHandler } from './pubsub.js';
import { StateCell } from './stateCell.js';

export interface NatsPubSubOptions {
  /** Wait between reconnect attempts (default 500 ms, plus jitter). */
  reconnectTimeWaitMs?: number;
}

export function createNatsPubSub(servers: string[], target: string, options: NatsPubSubOptions = {}): PubSub {
  const cell = new StateCell();
  const pending: [string, PubSubHandler][] = [];
  let nc: NatsConnection | undefined;

  const listen = (connection: NatsConnection, subject: string, handler: PubSubHandler) => {
    connection.subscribe(subject, { callback: (error, msg) => error || handler(msg.data) });
  };

  const watch = async (connection: NatsConnection) => {
    for await (const status of connection.status()) {
      if (status.type === Events.Disconnect) cell.set('disconnected', new Error(`disconnected from ${status.data}`));
      else if (status.type === Events.Reconnect) cell.set('connected');
    }
  };

  return {
    kind: 'nats',
    target,
    local: false,
    get state() {
      return cell.state;
    },
    async connect() {
      nc = await connect({
        servers,
        name: 'syncline',
        noEcho: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? 500,
      });
      for (const [subject, handler] of pending.splice(0)) listen(nc, subject, handler);
      void watch(nc);
      cell.set('connected');
    },
    publish(subject, message) {
      // The client would buffer while reconnecting and flush stale messages later; drop them instead, as Redis does.
      if (!nc || cell.state !== 'connected') return false;
      nc.publish(subject, message);
      return true;
    },
    async subscribe(subject, handler) {
      if (nc) listen(nc, subject, handler);
      else pending.push([subject, handler]);
    },
    onState: (listener) => cell.on(listener),
    async close() {
      cell.set('closed');
      if (nc && !nc.isClosed()) await nc.close();
    },
  };
}
