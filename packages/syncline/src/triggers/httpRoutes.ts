// The functions' HTTP routes and API Gateway HTTP API's route selection: the most specific path wins (literal
// segments over `{param}` over a greedy `{proxy+}`), and a route with a method wins over `ANY` on the same path.
import type { AppModel } from '../app/model.js';

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface HttpRoute {
  functionName: string;
  /** Upper case, or 'ANY'. */
  method: string;
  /** As configured: '/orders/{id}'. */
  path: string;
  /** 'GET /orders/{id}', API Gateway's routeKey. */
  routeKey: string;
  payload: '1.0' | '2.0';
  segments: Segment[];
}

export interface RouteMatch {
  route: HttpRoute;
  pathParameters: Record<string, string> | null;
}

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

function parsePath(path: string): Segment[] {
  return path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const greedy = /^\{([A-Za-z0-9_.-]+)\+\}$/.exec(part);
      if (greedy) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{([A-Za-z0-9_.-]+)\}$/.exec(part);
      if (param) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: part };
    });
}

function specificity(a: HttpRoute, b: HttpRoute): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (!x || !y) return x ? -1 : 1;
    if (RANK[x.kind] !== RANK[y.kind]) return RANK[x.kind] - RANK[y.kind];
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

/** Every `http` event of the app, most specific first. */
export function compileRoutes(app: AppModel): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of Object.values(app.functions)) {
    for (const event of fn.events) {
      if (event.type !== 'http') continue;
      routes.push({
        functionName: fn.name,
        method: event.method,
        path: event.path,
        routeKey: `${event.method} ${event.path}`,
        payload: event.payload,
        segments: parsePath(event.path),
      });
    }
  }
  return routes.sort(specificity);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchPath(route: HttpRoute, parts: string[]): Record<string, string> | null | false {
  const params: Record<string, string> = {};
  let any = false;
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i];
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return false;
      params[segment.name] = parts.slice(i).map(decode).join('/');
      return params;
    }
    if (i >= parts.length) return false;
    if (segment.kind === 'literal') {
      if (decode(parts[i]) !== segment.value) return false;
    } else {
      if (!parts[i]) return false;
      params[segment.name] = decode(parts[i]);
      any = true;
    }
  }
  if (parts.length !== route.segments.length) return false;
  return any ? params : null;
}

/** The route serving `method path`, or null (API Gateway answers 404). */
export function matchRoute(routes: HttpRoute[], method: string, path: string): RouteMatch | null {
  const parts = path.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method) continue;
    const params = matchPath(route, parts);
    if (params !== false) return { route, pathParameters: params };
  }
  return null;
}

/** True when some route serves `path` with any method (the gateway then owns the request, even a 404). */
export function servesPath(routes: HttpRoute[], path: string): boolean {
  const parts = path.split('/').slice(1);
  return routes.some((route) => matchPath(route, parts) !== false);
}
