// What one client connection may cost the listener, in time and in number: the bounds a slow or idle client meets
// on every path (fast HTTP, node:http, TLS, WebSocket upgrade). docs/limits.md states them for users.
import type { Logger } from 'pino';

export interface ListenerLimits {
  /**
   * A request head must be complete this long after its first byte; a new connection must send its first byte,
   * and a TLS handshake finish, within the same time. node:http's `headersTimeout` default.
   */
  headersTimeoutMs: number;
  /** A whole request, head and body, must arrive this long after its first byte (node:http's `requestTimeout`). */
  requestTimeoutMs: number;
  /** An answered connection with no request in progress is closed after this idle time. */
  keepAliveTimeoutMs: number;
  /** Open connections past this are closed as soon as they are accepted. */
  maxConnections: number;
  /** Larger request heads (request line and headers) are answered 431. */
  maxHeaderBytes: number;
}

export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  headersTimeoutMs: 60_000,
  // Stricter than node:http's 300 s: the largest body (DynamoDB's 16 MB) takes seconds on any working link.
  requestTimeoutMs: 120_000,
  // Longer than the 60 s idle timeout of AWS load balancers, so one in front never reuses a connection closed here.
  keepAliveTimeoutMs: 65_000,
  // Room under the usual 20,000 open files for the data files, the database and connections being closed.
  maxConnections: 10_000,
  maxHeaderBytes: 16 * 1024,
};

/** The limits with defaults filled in; a value that cannot work is refused at start, never at the first client. */
export function listenerLimits(given: Partial<ListenerLimits> = {}): ListenerLimits {
  const limits = { ...DEFAULT_LISTENER_LIMITS };
  for (const [name, value] of Object.entries(given) as [keyof ListenerLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new RangeError(`listener.${name} must be a positive integer, not ${value}`);
    limits[name] = value;
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new RangeError('listener.headersTimeoutMs must not exceed listener.requestTimeoutMs');
  return limits;
}

/**
 * How often node:http looks for requests past their time. Its default (30 s) would let a 60 s limit run to 90 s;
 * each look only walks the connections with a request in progress.
 */
export function checkIntervalMs(limits: ListenerLimits): number {
  return Math.min(1000, Math.max(25, Math.floor(limits.headersTimeoutMs / 4)));
}

/**
 * Logs, at most once per `everyMs`, that connections are being refused at the cap: one line when it is first
 * reached, then one per interval while it lasts, with the number refused since the last line.
 */
export function connectionCapLog(log: Logger, maxConnections: number, everyMs = 10_000): () => void {
  let lastLine = Number.NEGATIVE_INFINITY;
  let refused = 0;
  return () => {
    refused++;
    const now = Date.now();
    if (now - lastLine < everyMs) return;
    lastLine = now;
    log.warn(
      { maxConnections, refused },
      `connection limit reached: ${maxConnections} connections are open; new connections are closed until some end (listener.maxConnections)`,
    );
    refused = 0;
  };
}
