// The one WebSocket upgrade dispatcher: every capability's upgrade routes (AppSync realtime and graphql-ws today;
// Event APIs and API Gateway WebSocket APIs next) by path, then by the subprotocols the client offers. An upgrade
// no route takes is refused with 404 before any WebSocket handshake.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpgradeRoute } from './capability.js';

export type UpgradeDispatcher = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';

export function createUpgradeDispatcher(routes: readonly UpgradeRoute[]): UpgradeDispatcher {
  return (req, socket, head) => {
    const path = upgradePath(req.url);
    const candidates = routes.filter((r) => r.paths.includes(path) && r.enabled());
    if (candidates.length === 0) {
      socket.end(NOT_FOUND);
      return;
    }
    const offered = offeredSubprotocols(req.headers['sec-websocket-protocol']);
    const route = candidates.find((r) => r.subprotocols.some((p) => offered.has(p))) ?? candidates[0];
    route.handle(req, socket, head);
  };
}

// Amplify appends `/realtime` to whatever endpoint it was given, so a root endpoint arrives as `//realtime`.
export function upgradePath(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  const path = (url && q !== -1 ? url.slice(0, q) : (url ?? '/')).replace(/\/{2,}/g, '/');
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function offeredSubprotocols(header: string | undefined): Set<string> {
  return new Set((header ?? '').split(',').map((p) => p.trim()));
}
