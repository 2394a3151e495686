// Composes the capabilities onto one HTTP listener. No business logic lives here: each route hands the request
// to the module that owns it.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadApp } from '../app/load.js';
import type { AppModel } from '../app/model.js';
import { createGraphqlApi, type GraphqlApi } from '../graphql/api.js';
import { graphqlHttpHandler } from './graphqlHttp.js';
import { createLogger, type LogLevel } from './logger.js';

export interface ServerOptions {
  /** The app folder (holding syncline.config.ts). */
  dir: string;
  port?: number;
  host?: string;
  /** Data folder; ':memory:' keeps nothing. Default `<dir>/.syncline`. */
  data?: string;
  log?: LogLevel | Logger;
}

export interface Endpoints {
  graphql: string;
  realtime?: string;
  http: string;
  dynamodb?: string;
}

export interface SynclineServer {
  readonly endpoints: Endpoints;
  readonly app: AppModel;
  /** The first API key, for printing and for tests. */
  readonly apiKey: string | undefined;
  /** Loads the app folder again and swaps it in; on error the running version stays and the error is thrown. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<SynclineServer> {
  const dir = resolve(options.dir);
  const data = options.data === ':memory:' ? ':memory:' : resolve(options.data ?? join(dir, '.syncline'));
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'info');

  let app = await loadApp(dir, { data });
  let api = app.graphql ? await createGraphqlApi(app.graphql, { log }) : undefined;

  const graphql = graphqlHttpHandler({
    api: () => api!,
    log,
  });

  const notFound = (res: ServerResponse) => {
    const body = JSON.stringify({ errors: [{ errorType: 'NotFoundException', message: 'No route for this path.' }] });
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const route = (req: IncomingMessage, res: ServerResponse) => {
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const path = pathOf(req.url);
    if (path === '/graphql' && api && (req.method === 'POST' || req.method === 'GET')) {
      void graphql(req, res);
      return;
    }
    notFound(res);
  };

  const http: Server = createHttpServer({ keepAliveTimeout: 65_000 }, route);
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(options.port ?? 4000, options.host ?? '127.0.0.1', () => {
      http.off('error', fail);
      ok();
    });
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${host}:${address.port}`;
  const endpoints: Endpoints = { graphql: `${base}/graphql`, http: base };

  return {
    endpoints,
    get app() {
      return app;
    },
    get apiKey() {
      return app.graphql?.apiKeys[0]?.value;
    },
    async reload() {
      const nextApp = await loadApp(dir, { data });
      const nextApi: GraphqlApi | undefined = nextApp.graphql
        ? await createGraphqlApi(nextApp.graphql, { log })
        : undefined;
      app = nextApp;
      api = nextApi;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((ok) => http.close(() => ok()));
    },
  };
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
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
