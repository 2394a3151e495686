// The one HTTP router, used by both listener paths so that precedence is declared once (by the order of the
// routes): node:http's request handler and the fast path's route picker (decision 0006) ask the same `matches`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute, RouteRequest } from './capability.js';
import type { FastRoute, FastRouter } from './fastHttp/connection.js';

export interface Router {
  request(req: IncomingMessage, res: ServerResponse): void;
  fast: FastRouter;
}

export function createRouter(routes: readonly HttpRoute[]): Router {
  const own = routes.filter((r) => r.ownsCors);
  const shared = routes.filter((r) => !r.ownsCors);
  const ordered = [...own, ...shared];

  const request = (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url);
    const asked: RouteRequest = { method: req.method ?? 'GET', path, headers: req.headers };
    for (const route of own) {
      if (route.matches(asked) && route.serve(req, res, path) !== false) return;
    }
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    for (const route of shared) {
      if (route.matches(asked) && route.serve(req, res, path) !== false) return;
    }
    notFound(res);
  };

  // Only POSTs without an Origin header are candidates: browser requests stay on node:http, which answers CORS.
  const fast: FastRouter = (head): FastRoute | undefined => {
    if (head.method !== 'POST' || head.headers.origin !== undefined) return undefined;
    const asked: RouteRequest = { method: head.method, path: pathOf(head.url), headers: head.headers };
    for (const route of ordered) {
      if (route.matches(asked)) return route.fast;
    }
    return undefined;
  };

  return { request, fast };
}

export function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function notFound(res: ServerResponse) {
  const body = JSON.stringify({ errors: [{ errorType: 'NotFoundException', message: 'No route for this path.' }] });
  res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// AppSync answers CORS preflights for any origin; browsers running the app from a dev server need the same.
function setCors(req: IncomingMessage, res: ServerResponse) {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'origin');
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET,POST,PUT,PATCH,DELETE,OPTIONS');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('access-control-max-age', '86400');
  }
}
