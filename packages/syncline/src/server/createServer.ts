// Composes the capabilities onto one HTTP listener. No business logic lives here: each route hands the request
// to the module that owns it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadApp } from '../app/load.js';
import type { AppModel } from '../app/model.js';
import { dynamodbDataSource } from '../datasources/dynamodb.js';
import { createGraphqlApi, type DataSourceFactory, type GraphqlApi } from '../graphql/api.js';
import { createRealtime, type Realtime, type RealtimeSettings } from '../realtime/index.js';
import type { TableEngine } from '../tables/index.js';
import { devCertificate, type TlsMaterial } from './devCertificate.js';
import { listenDual } from './dualListener.js';
import { graphqlHttpHandler } from './graphqlHttp.js';
import { createLogger, type LogLevel } from './logger.js';
import { DYNAMODB_TARGET, dynamodbHttpHandler, ensureDeclaredTables, openTables } from './tables.js';

export interface ServerOptions {
  /** The app folder (holding syncline.config.ts). */
  dir: string;
  port?: number;
  host?: string;
  /** Data folder; ':memory:' keeps nothing. Default `<dir>/.syncline`. */
  data?: string;
  log?: LogLevel | Logger;
  /** Certificate for the TLS side of the port (wss:// for Amplify); default: a generated dev certificate. */
  tls?: TlsMaterial;
  realtime?: Partial<RealtimeSettings>;
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
  /** The generated certificate to trust for wss:// (`path` is null for ':memory:'); undefined with `tls` given. */
  readonly devCertificate: { cert: string; path: string | null } | undefined;
  readonly realtime: Realtime;
  /** Loads the app folder again and swaps it in; on error the running version stays and the error is thrown. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<SynclineServer> {
  const dir = resolve(options.dir);
  const data = options.data === ':memory:' ? ':memory:' : resolve(options.data ?? join(dir, '.syncline'));
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'info');

  let app = await loadApp(dir, { data });
  const tables = openTables(data, app.region);
  const buildApi = (next: AppModel) => {
    ensureDeclaredTables(tables, next, log);
    return next.graphql
      ? createGraphqlApi(next.graphql, { log, dataSourceFactory: dataSources(next, tables) })
      : undefined;
  };
  let api: GraphqlApi | undefined;
  try {
    api = await buildApi(app);
  } catch (error) {
    tables.storage.close();
    throw error;
  }
  const dynamodb = dynamodbHttpHandler(tables, log);

  const realtime = createRealtime({ api: () => api, log, settings: options.realtime });

  const graphql = graphqlHttpHandler({
    api: () => api!,
    log,
    onMutation: realtime.onMutation,
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
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && typeof target === 'string' && target.startsWith(DYNAMODB_TARGET)) {
      void dynamodb(req, res, target);
      return;
    }
    const path = pathOf(req.url);
    if (api && realtime.sse.accepts(req, path)) {
      void realtime.sse.handle(req, res);
      return;
    }
    if (path === '/graphql' && api && (req.method === 'POST' || req.method === 'GET')) {
      void graphql(req, res);
      return;
    }
    notFound(res);
  };

  const tls = options.tls ? { ...options.tls, certPath: null } : await devCertificate(data);
  const listener = await listenDual({
    port: options.port ?? 4000,
    host: options.host ?? '127.0.0.1',
    tls,
    request: route,
    upgrade: realtime.handleUpgrade,
    keepAliveTimeout: 65_000,
  });
  const address = listener.address;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${host}:${address.port}`;
  const endpoints: Endpoints = {
    graphql: `${base}/graphql`,
    realtime: `ws://${host}:${address.port}/graphql/realtime`,
    http: base,
    dynamodb: base,
  };

  return {
    endpoints,
    get app() {
      return app;
    },
    get apiKey() {
      return app.graphql?.apiKeys[0]?.value;
    },
    devCertificate: options.tls ? undefined : { cert: tls.cert, path: tls.certPath },
    realtime,
    async reload() {
      const nextApp = await loadApp(dir, { data });
      const nextApi: GraphqlApi | undefined = nextApp.graphql
        ? await createGraphqlApi(nextApp.graphql, { log })
        : undefined;
      app = nextApp;
      api = nextApi;
    },
    async close() {
      realtime.close();
      await listener.close();
      tables.storage.close();
    },
  };
}

function dataSources(app: AppModel, tables: TableEngine): DataSourceFactory {
  return (ds) => {
    if (ds.type !== 'AMAZON_DYNAMODB') return undefined;
    const configured = String(ds.config.tableName);
    // `tableName` may name the table's key in the config or its DynamoDB name.
    const tableName = app.tables[configured]?.name ?? configured;
    return dynamodbDataSource(ds.name, tableName, tables);
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
