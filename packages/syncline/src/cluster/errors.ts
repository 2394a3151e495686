// Errors of cluster configuration: a bad `--pubsub` URL stops the start with this message, not a stack trace.
export class ClusterConfigError extends Error {
  override readonly name = 'ClusterConfigError';
}

/** The broker did not answer when the node started; the node does not start half-connected. */
export class BrokerUnreachableError extends Error {
  override readonly name = 'BrokerUnreachableError';
}
