// Composes the capabilities onto one HTTP listener. No business logic lives here: each route hands the request
// to the module that owns it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { loadApp } from '../app/load.js';
import type { AppModel } from '../app/model.js';
import { type AuthEnvironment, apiIdFor } from '../auth/authenticate.js';
import { dynamodbSignatureVerifier } from '../auth/dynamodbSignatures.js';
import { LocalIssuer } from '../auth/localIssuer.js';
import { type ClusterState, createCluster, type PubSubOption } from '../cluster/index.js';
import { dynamodbDataSource } from '../datasources/dynamodb.js';
import { lambdaDataSource } from '../datasources/lambda.js';
import { type FunctionRuntime, type LocalFunctionRuntime, listFunctionCredentials } from '../functions/index.js';
import { createGraphqlApi, type DataSourceFactory, type GraphqlApi } from '../graphql/api.js';
import { createRealtime, type Realtime, type RealtimeSettings } from '../realtime/index.js';
import { DEFAULT_RESOLVER_LIMITS, type ResolverLimits } from '../resolvers/sandbox.js';
import type { TableEngine } from '../tables/index.js';
import { createStreamRecorder } from '../tables/streams/index.js';
import { devCertificate, type TlsMaterial } from './devCertificate.js';
import { listenDual } from './dualListener.js';
import type { FastRouter } from './fastHttp/connection.js';
import { type FunctionsCapability, type FunctionsServerOptions, mountFunctions } from './functions.js';
import { graphqlEndpoint } from './graphqlHttp.js';
import { createLogger, type LogLevel } from './logger.js';
import { staticHandler } from './static.js';
import { createEventing, STREAMS_TARGET } from './streams.js';
import { DYNAMODB_TARGET, dynamodbEndpoint, ensureDeclaredTables, openTables } from './tables.js';
import { buildWeb } from './webBuild.js';

export interface ServerOptions {
  /** The app folder (holding syncline.config.ts). */
  dir: string;
  port?: number;
  host?: string;
  /** Data folder; ':memory:' keeps nothing. Default `<dir>/.syncline`. */
  data?: string;
  /**
   * `postgres://…`: tables, streams and checkpoints live in PostgreSQL, shared by every node given the same URL
   * (docs/cluster.md). Default: embedded SQLite in the data folder.
   */
  database?: string;
  log?: LogLevel | Logger;
  /** Certificate for the TLS side of the port (wss:// for Amplify); default: a generated dev certificate. */
  tls?: TlsMaterial;
  realtime?: Partial<RealtimeSettings>;
  /** How often items past their TTL are deleted (default 5000 ms); 0 = only by `sweepTtl()`. */
  ttlSweepIntervalMs?: number;
  /** Require SigV4 on the DynamoDB API, by the app's AWS_IAM credentials or the functions' (default false). */
  verifyDynamoDBSignatures?: boolean;
  /** Serve the development token issuer at `/.well-known/` (default true; `syncline start` turns it off). */
  localIssuer?: boolean;
  /** Functions runtime settings (concurrency default, idle timeout, the schedules' clock). */
  functions?: FunctionsServerOptions;
  /** Cluster fan-out of mutations: `redis://…`, `nats://…`, or an adapter (docs/cluster.md); default in-process. */
  pubsub?: PubSubOption;
  /** Bounds of one resolver evaluation: time budget, array and string caps (docs/graphql.md, "Resolver limits"). */
  resolverLimits?: Partial<ResolverLimits>;
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
  /** The development token issuer (docs/auth.md); undefined when turned off. */
  readonly localIssuer: LocalIssuer | undefined;
  /** The functions runtime: invoke, per-function stats and logs, the injected credentials. */
  readonly functions: LocalFunctionRuntime;
  /** The pub/sub link to the other nodes: adapter, connection state, counters (docs/cluster.md). */
  readonly cluster: { state(): ClusterState };
  /** Loads the app folder again and swaps it in; on error the running version stays and the error is thrown. */
  reload(): Promise<void>;
  /** Deletes items past their TTL now (the background sweeper does it every `ttlSweepIntervalMs`); returns how many. */
  sweepTtl(): number;
  close(): Promise<void>;
}

export async function createServer(options: ServerOptions): Promise<SynclineServer> {
  const dir = resolve(options.dir);
  const data = options.data === ':memory:' ? ':memory:' : resolve(options.data ?? join(dir, '.syncline'));
  const log = typeof options.log === 'object' ? options.log : createLogger(options.log ?? 'info');
  // A bad pub/sub URL fails here, before anything is opened; the broker is connected just before listening.
  const cluster = createCluster(options.pubsub, log);

  let app = await loadApp(dir, { data });
  await buildWeb(app, log);
  // Stream records are written by the engine's change hook, inside each write's transaction.
  const recorder = createStreamRecorder();
  const tables = openTables(data, app.region, recorder.onChange, options.database);
  const authEnvironment = (next: AppModel, runtime: LocalFunctionRuntime): AuthEnvironment => ({
    region: next.region,
    apiId: apiIdFor(next.name),
    functions: () => runtime,
    credentials: () => listFunctionCredentials(runtime),
  });
  const buildApi = (next: AppModel, runtime: LocalFunctionRuntime) => {
    ensureDeclaredTables(tables, next, log);
    return next.graphql
      ? createGraphqlApi(next.graphql, {
          log,
          dataSourceFactory: dataSources(next, tables, runtime),
          auth: authEnvironment(next, runtime),
          resolverLimits: { ...DEFAULT_RESOLVER_LIMITS, ...options.resolverLimits },
        })
      : undefined;
  };
  // Functions learn the server's URLs once it listens (their environment references them).
  let listening: Endpoints | undefined;
  const mount = (next: AppModel) =>
    mountFunctions(next, { log, tables, settings: options.functions, endpoints: () => listening! });
  let functions: FunctionsCapability;
  try {
    functions = mount(app);
  } catch (error) {
    tables.storage.close();
    throw error;
  }
  let api: GraphqlApi | undefined;
  try {
    api = await buildApi(app, functions.runtime);
  } catch (error) {
    await functions.close();
    tables.storage.close();
    throw error;
  }
  const dynamodb = dynamodbEndpoint(
    tables,
    log,
    options.verifyDynamoDBSignatures
      ? dynamodbSignatureVerifier({ app: () => app, credentials: () => listFunctionCredentials(functions.runtime) })
      : undefined,
  );
  const localIssuer = options.localIssuer === false ? undefined : await LocalIssuer.open(data);
  const eventing = createEventing({ tables, recorder, log, ttlSweepIntervalMs: options.ttlSweepIntervalMs });

  const realtime = createRealtime({ api: () => api, log, settings: options.realtime, forward: cluster.forward });
  try {
    await cluster.start(cluster.namespaceFor(app.name), realtime.apply);
  } catch (error) {
    await cluster.close();
    realtime.close();
    await eventing.close();
    await functions.close();
    tables.storage.close();
    throw error;
  }

  const graphql = graphqlEndpoint({
    api: () => api!,
    log,
    onMutation: realtime.onMutation,
  });

  const notFound = (res: ServerResponse) => {
    const body = JSON.stringify({ errors: [{ errorType: 'NotFoundException', message: 'No route for this path.' }] });
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const web = staticHandler(() => app);

  const route = (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url);
    // Function routes answer CORS as configured under http.cors, so they come before AppSync's.
    if (functions.http.handles(req, path)) {
      void functions.http.handle(req, res, path);
      return;
    }
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const target = req.headers['x-amz-target'];
    if (req.method === 'POST' && typeof target === 'string' && target.startsWith(DYNAMODB_TARGET)) {
      void dynamodb.http(req, res, target);
      return;
    }
    if (req.method === 'POST' && typeof target === 'string' && target.startsWith(STREAMS_TARGET)) {
      void eventing.handle(req, res, target);
      return;
    }
    if (api && realtime.sse.accepts(req, path)) {
      void realtime.sse.handle(req, res);
      return;
    }
    if (path === '/graphql' && api && (req.method === 'POST' || req.method === 'GET')) {
      graphql.http(req, res);
      return;
    }
    if (localIssuer && path.startsWith('/.well-known/') && localIssuer.handle(req, res, path)) return;
    if (web(req, res, path)) return;
    notFound(res);
  };

  // The AWS JSON APIs' requests and GraphQL POSTs, when node:http's general handling is not needed (decision
  // 0006); the same precedence as `route`. Browser requests (an Origin header) stay on the general path, which
  // answers CORS, and so do SSE subscriptions.
  const fastRouter: FastRouter = (head) => {
    if (head.method !== 'POST' || head.headers.origin !== undefined) return undefined;
    const target = head.headers['x-amz-target'];
    if (target !== undefined) {
      if (target.startsWith(DYNAMODB_TARGET)) return dynamodb.fast;
      if (target.startsWith(STREAMS_TARGET)) return eventing.fast;
      return undefined;
    }
    if (!api || pathOf(head.url) !== '/graphql' || head.headers.accept?.includes('text/event-stream')) return undefined;
    return graphql.fast;
  };

  const tls = options.tls ? { ...options.tls, certPath: null } : await devCertificate(data);
  const listener = await listenDual({
    port: options.port ?? 4000,
    host: options.host ?? '127.0.0.1',
    tls,
    request: route,
    upgrade: realtime.handleUpgrade,
    keepAliveTimeout: 65_000,
    fast: { router: fastRouter, onError: (err) => log.error({ err }, 'request failed') },
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
  listening = endpoints;
  // Stream mappings start once functions can run; they invoke whichever runtime is current after a reload.
  await eventing.startMappings(app, () => functions.runtime);

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
    cluster,
    localIssuer,
    get functions() {
      return functions.runtime;
    },
    async reload() {
      const nextApp = await loadApp(dir, { data });
      await buildWeb(nextApp, log);
      const nextFunctions = mount(nextApp);
      let nextApi: GraphqlApi | undefined;
      try {
        // The same assembly as at start: declared tables get their new shape, then the API is built.
        nextApi = await buildApi(nextApp, nextFunctions.runtime);
      } catch (error) {
        await nextFunctions.close();
        throw error;
      }
      const previous = functions;
      app = nextApp;
      api = nextApi;
      functions = nextFunctions;
      await eventing.startMappings(nextApp, () => functions.runtime);
      await previous.close();
    },
    sweepTtl: () => eventing.sweepTtl(),
    async close() {
      // Mappings stop first, so no poller invokes a runtime that is shutting down.
      await eventing.close();
      await functions.close();
      realtime.close();
      await cluster.close();
      await listener.close();
      tables.storage.close();
    },
  };
}

function dataSources(app: AppModel, tables: TableEngine, functions: FunctionRuntime): DataSourceFactory {
  return (ds) => {
    if (ds.type === 'AWS_LAMBDA') return lambdaDataSource(ds.name, String(ds.config.functionName), functions);
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
