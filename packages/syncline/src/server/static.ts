// Serves the app's web folder (`web.dir`) at `/`, and `/syncline.json`, the endpoints the page served there
// configures Amplify from. On AWS the folder sits behind CloudFront or Amplify Hosting and the endpoints come
// from `amplify_outputs.json`; `/syncline.json` exists for local development only.
import { createReadStream, realpathSync, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { AppModel } from '../app/model.js';

/** The body of `GET /syncline.json`. */
export interface DevelopmentOutputs {
  graphql: string | null;
  realtime: string | null;
  region: string;
  apiKey: string | null;
  /** Base URL of the functions' HTTP routes. */
  http: string;
}

export const OUTPUTS_PATH = '/syncline.json';

/** Hashed file names live here (Vite's and esbuild's convention), so they never change content and cache forever. */
const IMMUTABLE_PREFIX = '/assets/';
const RESERVED = /^\/graphql(\/|$)/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Answers GET and HEAD for the web folder and `/syncline.json`; returns false for any request it does not serve,
 * so the caller's own 404 applies. Call it after the API and function routes: they keep priority.
 */
export function staticHandler(
  app: () => AppModel,
): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  return (req, res, path) => {
    const current = app();
    if (!current.web || (req.method !== 'GET' && req.method !== 'HEAD') || RESERVED.test(path)) return false;
    if (path === OUTPUTS_PATH) {
      sendOutputs(req, res, current);
      return true;
    }
    return sendFile(req, res, current.web.dir, path);
  };
}

function sendOutputs(req: IncomingMessage, res: ServerResponse, app: AppModel) {
  // Built from the address the page used, so it works at http:// and https://, as localhost or 127.0.0.1, and
  // its requests stay same-origin.
  const secure = Boolean((req.socket as TLSSocket).encrypted);
  const host = req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
  const base = `${secure ? 'https' : 'http'}://${host}`;
  const outputs: DevelopmentOutputs = {
    graphql: app.graphql ? `${base}/graphql` : null,
    realtime: app.graphql ? `${secure ? 'wss' : 'ws'}://${host}/graphql/realtime` : null,
    region: app.region,
    apiKey: app.graphql?.apiKeys[0]?.value ?? null,
    http: base,
  };
  const body = JSON.stringify(outputs);
  // The API key is for the page served here, not for any site open in the same browser: no CORS on this one.
  res.removeHeader('access-control-allow-origin');
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendFile(req: IncomingMessage, res: ServerResponse, dir: string, path: string): boolean {
  let relative: string;
  try {
    relative = decodeURIComponent(path);
  } catch {
    return false;
  }
  // Hidden files (.env, .git) are never served; backslashes or NUL never name a file here; and `//host` would
  // make the directory redirect below point at another site.
  if (
    path.startsWith('//') ||
    /[\\\0]/.test(relative) ||
    relative.split('/').some((segment) => segment.startsWith('.'))
  )
    return false;

  const root = realpathIfAny(dir);
  if (!root) return false;
  let file = resolve(root, `.${relative}`);
  let stats = statIfAny(file);
  if (stats?.isDirectory()) {
    if (!path.endsWith('/')) {
      // Relative URLs in the folder's index.html resolve against the folder only with the trailing slash.
      const q = req.url?.indexOf('?') ?? -1;
      res.writeHead(301, { location: `${path}/${q === -1 ? '' : req.url!.slice(q)}` }).end();
      return true;
    }
    file = join(file, 'index.html');
    stats = statIfAny(file);
  }
  if (!stats?.isFile()) return false;
  // Containment is checked on the real path, so neither `..` nor a symbolic link leads out of the folder.
  const real = realpathIfAny(file);
  if (!real?.startsWith(root + sep)) return false;

  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': path.startsWith(IMMUTABLE_PREFIX) ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (notModified(req, etag, stats)) {
    res.writeHead(304, headers).end();
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}

function notModified(req: IncomingMessage, etag: string, stats: Stats): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch) return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(stats.mtimeMs / 1000) * 1000 <= since;
}

/** The file's stats, or undefined when it is missing or unreadable. */
export function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The path with every symlink resolved, or undefined when it does not resolve. */
export function realpathIfAny(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
