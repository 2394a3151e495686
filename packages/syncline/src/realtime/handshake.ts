// AppSync's three ways to carry the connection's auth header object on the WebSocket upgrade:
// `?header=<base64 JSON>&payload=e30=`, a `header-<base64url JSON>` entry in Sec-WebSocket-Protocol, or plain
// HTTP headers. Older clients put standard base64 in the query string without URL-encoding it, so the raw query
// is read by hand: URLSearchParams would turn its `+` into spaces.
import type { IncomingMessage } from 'node:http';
import { normalizeHeaders } from './operations.js';

export type HandshakeAuth = { ok: true; headers: Record<string, string> } | { ok: false; reason: string };

export function offeredSubprotocols(req: IncomingMessage): string[] {
  const raw = req.headers['sec-websocket-protocol'];
  if (!raw) return [];
  return raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

function decodeHeaderObject(encoded: string): Record<string, string> | undefined {
  // Node's base64 decoder reads both the standard and the URL-safe alphabet, padded or not.
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    return normalizeHeaders(parsed as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function rawQueryParam(url: string | undefined, name: string): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (!url || q === -1) return undefined;
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq) !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1));
    } catch {
      return part.slice(eq + 1);
    }
  }
  return undefined;
}

export function handshakeAuth(req: IncomingMessage): HandshakeAuth {
  const fromQuery = rawQueryParam(req.url, 'header');
  if (fromQuery !== undefined) {
    const headers = decodeHeaderObject(fromQuery);
    return headers ? { ok: true, headers } : { ok: false, reason: 'the header query parameter is not base64 JSON' };
  }
  const entry = offeredSubprotocols(req).find((p) => p.startsWith('header-'));
  if (entry) {
    const headers = decodeHeaderObject(entry.slice('header-'.length));
    return headers
      ? { ok: true, headers }
      : { ok: false, reason: 'the header- subprotocol entry is not base64url JSON' };
  }
  return { ok: true, headers: normalizeHeaders(req.headers) };
}
