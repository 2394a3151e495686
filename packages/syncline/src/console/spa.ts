// The built console (the `@syncline/console` package's dist/, built with the package, never at server start),
// served under /_console/ with the single-page app's fallback to index.html, and at / for apps without a web
// front end. The folder is found lazily, so a server started before the console was built serves it once it is.
import { createReadStream, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { realpathIfAny, statIfAny } from '../server/static.js';
import { ConsoleError, notFound } from './http.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Longer paths name no file of the console; they are refused before any file system call. */
const MAX_PATH = 1024;

export const NOT_BUILT = 'The console is not built: run npm run build.';

/** The console's dist folder, or undefined while it is not built (or not installed). */
export function consoleDistFinder(explicit?: string): () => string | undefined {
  let found: string | undefined;
  return () => {
    if (found) return found;
    let dir = explicit;
    if (!dir) {
      try {
        dir = join(dirname(createRequire(import.meta.url).resolve('@syncline/console/package.json')), 'dist');
      } catch {
        return undefined;
      }
    }
    const root = realpathIfAny(dir);
    if (root && statIfAny(join(root, 'index.html'))?.isFile()) found = root;
    return found;
  };
}

/**
 * Serves `relative` (the path below the console's mount, starting with `/`, still URL-encoded) from `root`.
 * `fallback`: a path naming no file gets index.html (the app's client-side routes), unless it looks like an
 * asset (has an extension), which gets 404. Without `fallback` a missing file returns false (not ours).
 */
export function serveConsoleFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  relative: string,
  fallback: boolean,
): boolean {
  const file = safeFile(root, relative);
  let target = file && statIfAny(file)?.isFile() ? file : undefined;
  if (!target && file && statIfAny(file)?.isDirectory() && relative.endsWith('/')) {
    const index = join(file, 'index.html');
    if (statIfAny(index)?.isFile()) target = index;
  }
  if (!target) {
    if (!fallback) return false;
    if (file === undefined || extname(relative) !== '') throw notFound('No such file in the console.');
    target = join(root, 'index.html');
  }
  const real = realpathIfAny(target);
  // Containment on the real path: neither `..` nor a symbolic link leads out of the folder.
  if (!real || !(real + sep).startsWith(root + sep) || real === root) throw notFound('No such file in the console.');
  const stats = statIfAny(real);
  if (!stats?.isFile()) throw notFound('No such file in the console.');
  sendFile(req, res, real, stats, relative.startsWith('/assets/'));
  return true;
}

/** Whether `relative` names a file of the console, safely (the same checks as serving it). */
export function consoleFileExists(root: string, relative: string): boolean {
  const file = safeFile(root, relative);
  return file !== undefined && statIfAny(file)?.isFile() === true;
}

/** The file `relative` names inside `root`, or undefined for a path that could name nothing safe. */
function safeFile(root: string, relative: string): string | undefined {
  if (relative.length > MAX_PATH) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  // No NUL or backslash ever names a file here; and no segment starting with a dot (`..`, `.env`).
  if (/[\\\0]/.test(decoded) || decoded.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  const file = resolve(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, stats: Stats, immutable: boolean): void {
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
    // The console acts with the operator's rights: no other site may frame it.
    'x-frame-options': 'DENY',
    'content-security-policy': "frame-ancestors 'none'",
  };
  if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': stats.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

export function notBuilt(): ConsoleError {
  return new ConsoleError(404, 'NotFoundException', NOT_BUILT);
}
