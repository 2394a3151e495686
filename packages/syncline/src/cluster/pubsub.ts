// The cluster's pub/sub port: what a node needs from a broker to tell the other nodes about mutations. Adapters
// (memory, redis, nats) are thin; everything Syncline-specific (what a message holds, who skips its own echo)
// lives above this port in fanout.ts.

/** A message as the adapter received it: bytes from a broker, or the published value itself in memory. */
export type PubSubMessage = string | Uint8Array;

export type PubSubHandler = (message: PubSubMessage) => void;

/**
 * `connecting` until the first connection is ready; `connected` while messages flow both ways; `disconnected`
 * while the client reconnects on its own (publishes are dropped, not queued); `closed` after close().
 */
export type PubSubState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface PubSub {
  readonly kind: 'memory' | 'redis' | 'nats';
  /** The broker address with any password masked, for logs and metrics. */
  readonly target: string;
  /**
   * True when no other node can receive what this one publishes (a private in-memory bus): the fan-out then
   * skips encoding and publishing altogether, so one node costs what it cost before clustering.
   */
  readonly local: boolean;
  readonly state: PubSubState;
  /** Resolves once connected (subscriptions made before are in place); rejects if the first connection fails. */
  connect(): Promise<void>;
  /** Sends without waiting; returns false when the message was dropped because the broker is unreachable. */
  publish(channel: string, message: PubSubMessage): boolean;
  /** Subscriptions survive reconnects: the adapter subscribes again before reporting `connected`. */
  subscribe(channel: string, handler: PubSubHandler): Promise<void>;
  /** Called on every state change, with the error that caused a loss when the client gave one. */
  onState(listener: (state: PubSubState, error?: Error) => void): () => void;
  close(): Promise<void>;
}

/** Turns a message into text; brokers hand over bytes, the memory adapter the published string. */
export function messageText(message: PubSubMessage): string {
  return typeof message === 'string'
    ? message
    : Buffer.from(message.buffer, message.byteOffset, message.byteLength).toString('utf8');
}
