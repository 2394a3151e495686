// Slow consumers: a client that stops reading must not grow the server's memory without bound, nor delay anyone
// else. Every frame goes through here; once a connection has more than the allowed bytes waiting in its send
// buffer it is closed with a reason, and dropped outright shortly after since a non-reading peer never sees the
// close frame queued behind its backlog.
import type { WebSocket } from 'ws';

export const SLOW_CONSUMER_CLOSE_CODE = 1008;
const TERMINATE_GRACE_MS = 2_000;

/** Sends `text` unless the connection is closed or over its buffer bound; returns whether it was sent. */
export function sendBounded(ws: WebSocket, text: string, maxBufferedBytes: number): boolean {
  if (ws.readyState !== 1) return false;
  if (ws.bufferedAmount > maxBufferedBytes) {
    shed(ws, maxBufferedBytes);
    return false;
  }
  ws.send(text);
  return true;
}

function shed(ws: WebSocket, maxBufferedBytes: number) {
  ws.close(SLOW_CONSUMER_CLOSE_CODE, `Slow consumer: more than ${maxBufferedBytes} bytes waiting to be sent`);
  setTimeout(() => ws.terminate(), TERMINATE_GRACE_MS).unref();
}
