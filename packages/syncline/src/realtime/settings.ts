// Tunables of the realtime endpoints, with AppSync's values as defaults.

export interface RealtimeSettings {
  /** How often `ka` (AppSync) or an SSE comment is sent. AppSync: every 60 s; Amplify warns after 65 s. */
  keepAliveMs: number;
  /** Announced in `connection_ack`; also how long a connection may stay without `connection_init`. */
  connectionTimeoutMs: number;
  /** AppSync closes every connection after 24 hours. */
  lifetimeMs: number;
  maxSubscriptionsPerConnection: number;
  /**
   * Bytes a connection may owe its peer (sent, not yet confirmed read: user space and both kernels' socket
   * buffers) before it is closed as a slow consumer.
   */
  maxBufferedBytes: number;
  /** The same across all connections of the server, so any number of paused consumers stays bounded. */
  maxTotalBufferedBytes: number;
  /** graphql-transport-ws: time allowed between the upgrade and `connection_init`. */
  connectionInitWaitMs: number;
  /** Largest inbound frame accepted. */
  maxFrameBytes: number;
}

export const DEFAULT_REALTIME_SETTINGS: RealtimeSettings = {
  keepAliveMs: 60_000,
  connectionTimeoutMs: 300_000,
  lifetimeMs: 24 * 60 * 60 * 1000,
  maxSubscriptionsPerConnection: 100,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxTotalBufferedBytes: 256 * 1024 * 1024,
  connectionInitWaitMs: 3_000,
  maxFrameBytes: 1024 * 1024,
};
