// The composition root: the capabilities in one list, started in order and closed in reverse (server/lifecycle.ts),
// put on one port (server/listen.ts). No business logic and no capability-specific routing lives here; adding a
// capability is its own folder and one line of the list (docs/decisions/0008-capabilities.md).
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type LoadOptions, loadApp } from '../app/load.js';
import type { AppModel } from '../app/model.js';
import type { LocalIssuer } from '../auth/localIssuer.js';
import type { OperatorCredential } from '../auth/operatorCredentials.js';
import type { ClusterState, PubSubOption } from '../cluster/index.js';
import { postgresSecretStore } from '../cluster/secretsPostgres.js';
import { type ConsoleAccess, consoleCapability } from '../console/index.js';
import { eventbridgeCapability } from '../eventbridge/index.js';
import type { LocalFunctionRuntime } from '../functions/index.js';
import { healthCapability } from '../health/index.js';
import { type MetricsAccess, metricsAllowed } from '../metrics/access.js';
import { createServerMetrics, metricsCapability } from '../metrics/index.js';
import type { Realtime, RealtimeSettings } from '../realtime/index.js';
import { DEFAULT_RESOLVER_LIMITS, type ResolverLimits } from '../resolvers/sandbox.js';
import {
  createJournal,
  type Journal,
  type OtlpSettings,
  otlpFromEnv,
  otlpSettings,
  traceExportCapability,
} from '../trace/index.js';
import type { Capability, Endpoints, ServerContext } from './capability.js';

export type { Endpoints } from './capability.js';

import { type DevCertificate, devCertificate, type TlsMaterial } from './devCertificate.js';
import { serverDoor } from './door.js';
import { type FunctionsServerOptions, functionsCapability } from './functions.js';
import { graphqlCapability } from './graphql.js';
import { issuerCapability } from './issuer.js';
import { startCapabilities } from './lifecycle.js';
import { listenCapabilities } from './listen.js';
import { type ListenerLimits, listenerLimits } from './listenerLimits.js';
import { createLogger, type LogLevel } from './logger.js';
import { observers, type ServerObserver } from './observe.js';
import { realtimeCapability } from './realtime.js';
import { streamsCapability } from './streams.js';
import { openSharedStorage, tablesCapability } from './tables.js';
import { webCapability } from './web.js';
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
  /**
   * Every AWS API (DynamoDB, DynamoDB Streams) requires a valid SigV4 signature by a known credential whose
   * policies allow the request (docs/auth.md). Default false, like DynamoDB Local; `syncline start` sets it.
   */
  requireSignatures?: boolean;
  /** The former name of `requireSignatures`, which it now means. */
  verifyDynamoDBSignatures?: boolean;
  /** The operator's credentials and their IAM policies, for the AWS APIs' door (`--credentials`). */
  credentials?: OperatorCredential[];
  /** Serve the development token issuer at `/.well-known/` (default true; `syncline start` turns it off). */
  localIssuer?: boolean;
  /** Functions runtime settings (concurrency default, idle timeout, the schedules' clock). */
  functions?: FunctionsServerOptions;
  /** Cluster fan-out of mutations: `redis://…`, `nats://…`, or an adapter (docs/cluster.md); default in-process. */
  pubsub?: PubSubOption;
  /** Head, request and idle times, the connection cap and the head size of the listener (docs/limits.md). */
  listener?: Partial<ListenerLimits>;
  /** How the definition is read: the file in `dir` to use, `--param`, `--stage` (app/loaders/types.ts). */
  load?: Omit<LoadOptions, 'data'>;
  /** Bounds of one resolver evaluation: time budget, array and string caps (docs/graphql.md, "Resolver limits"). */
  resolverLimits?: Partial<ResolverLimits>;
  /**
   * Who may read GET /metrics (metrics/access.ts): 'open' (default, as `dev`), 'operators' (HTTP Basic with an
   * operator credential; `start`'s default) or 'off'.
   */
  metrics?: MetricsAccess;
  /** Told of each answered request (the CLI's access log, server/accessLog.ts). */
  observe?: ServerObserver;
  /**
   * Who may use the console at /_console (docs/console.md): 'open' (default, as `dev`), 'operators' (HTTP Basic
   * with an operator credential; `start --console`) or 'off' (`start`'s default).
   */
  console?: ConsoleAccess;
  /** The built console's folder (default: the `@syncline/console` package's dist/). */
  consoleDist?: string;
  /** What the console reports the server runs as (default 'dev'; `syncline start` says 'start'). */
  mode?: 'dev' | 'start';
  /** HTTP data sources' per-request timeout (default 10 s) and response cap (default 5 MB) (docs/graphql.md). */
  httpDataSources?: { timeoutMs?: number; maxResponseBytes?: number };
  /**
   * Export spans over OTLP/HTTP to this endpoint (a base URL, `/v1/traces` appended, or settings); default: the
   * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT environment variables; false: never (docs/operations.md, "Traces").
   */
  otlp?: string | OtlpSettings | false;
}

export interface SynclineServer {
  readonly endpoints: Endpoints;
  readonly app: AppModel;
  /** The first API key, for printing and for tests. */
  readonly apiKey: string | undefined;
  /** The generated certificate to trust for wss:// (`path` is null for ':memory:'); undefined with `tls` given. */
  /** What clients trust for the generated certificate: the user's local CA (tls/localCa.ts); unset with options.tls. */
  readonly devCertificate: { cert: string; path: string } | undefined;
  readonly realtime: Realtime;
  /** The development token issuer (docs/auth.md); undefined when turned off. */
  readonly localIssuer: LocalIssuer | undefined;
  /** The functions runtime: invoke, per-function stats and logs, the injected credentials. */
  readonly functions: LocalFunctionRuntime;
  /** The Prometheus registry served at /metrics. */
  readonly metrics: Registry;
  /** Recent traces, function invocations and stream deliveries, newest first (docs/operations.md, "Traces"). */
  readonly journal: Journal;
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
  // Bad limits fail here, before anything is opened.
  const limits = listenerLimits(options.listener);
  // A cluster keeps generated API keys in its shared database (docs/auth.md), so that opens before the app loads.
  const shared = options.database ? openSharedStorage(options.database, log) : undefined;
  const apiKeys = shared && postgresSecretStore(shared, 'api-key:');
  // And the key that signs DynamoDB resolvers' nextTokens, so a page fetched from one node continues on another.
  const tokenKey =
    shared && Buffer.from(postgresSecretStore(shared, 'next-token-key:').keep('dynamodb', newTokenKey), 'base64');
  let app = await loadApp(dir, { ...options.load, data, apiKeys }).catch((error) => {
    shared?.close();
    throw error;
  });
  let endpoints: Endpoints | undefined;
  let capabilities: Capability[] = [];
  let realtime: ReturnType<typeof realtimeCapability> | undefined;
  const metrics = createServerMetrics({
    capabilities: () => capabilities,
    cluster: () => realtime?.cluster.state() ?? { adapter: 'memory', state: 'connecting' },
  });
  const ctx: ServerContext = {
    dir,
    data,
    log,
    app: () => app,
    endpoints: () => endpoints!,
    observe: observers([metrics.observer, ...(options.observe ? [options.observe] : [])]),
    onInvoked: metrics.invoked,
    onStreamBatch: metrics.streamBatch,
    journal: createJournal(),
  };

  const tables = tablesCapability(ctx, { database: shared });
  const functions = functionsCapability(ctx, tables, options.functions);
  const eventbridge = eventbridgeCapability(ctx, functions, () => tables.engine.accountId);
  const graphql = graphqlCapability(ctx, tables, functions, {
    tokenKey,
    resolverLimits: { ...DEFAULT_RESOLVER_LIMITS, ...options.resolverLimits },
    httpDataSources: options.httpDataSources,
    eventBus: eventbridge.bus,
  });
  realtime = realtimeCapability(ctx, graphql, { settings: options.realtime, pubsub: options.pubsub });
  const streams = streamsCapability(ctx, tables, functions, { ttlSweepIntervalMs: options.ttlSweepIntervalMs });
  const issuer = options.localIssuer === false ? undefined : issuerCapability(ctx);
  const otlp =
    options.otlp === false
      ? undefined
      : typeof options.otlp === 'string'
        ? otlpSettings(options.otlp)
        : (options.otlp ?? otlpFromEnv(process.env));
  // Start order; route precedence after function routes and the AWS JSON APIs; close in reverse.
  capabilities = [
    // First to start, last to close: spans recorded while the others close are still exported.
    ...(otlp ? [traceExportCapability(ctx, otlp)] : []),
    tables,
    functions,
    graphql,
    realtime,
    streams,
    eventbridge,
    ...(issuer ? [issuer] : []),
    healthCapability(() => capabilities),
    metricsCapability(metrics, metricsAllowed(options.metrics ?? 'open', options.credentials ?? [])),
    // Before the web front end: /_console is the console's even when the app serves its own pages at /.
    consoleCapability(
      ctx,
      {
        mode: options.mode ?? 'dev',
        tables,
        functions,
        graphql,
        realtime,
        issuer,
        awsJsonApis: () => capabilities.flatMap((c) => c.awsJsonApis ?? []),
        journal: ctx.journal,
      },
      { access: options.console ?? 'open', credentials: options.credentials ?? [], distDir: options.consoleDist },
    ),
    webCapability(ctx),
  ];

  const running = await startCapabilities(capabilities);
  tables.engine.storage.onCommit = metrics.storageCommit;
  const requireSignatures = options.requireSignatures ?? options.verifyDynamoDBSignatures ?? false;
  const door = requireSignatures
    ? serverDoor(ctx, tables.engine.accountId, functions, options.credentials ?? [], () => graphql.roles.list())
    : undefined;
  let tls: TlsMaterial & Partial<DevCertificate>;
  let listener: Awaited<ReturnType<typeof listenCapabilities>>;
  try {
    tls = options.tls ?? (await devCertificate());
    const port = options.port ?? 4000;
    listener = await listenCapabilities(capabilities, {
      port,
      host: options.host ?? '127.0.0.1',
      tls,
      door,
      log,
      limits,
      observe: ctx.observe,
      journal: ctx.journal,
    });
  } catch (error) {
    await running.close();
    throw error;
  }
  endpoints = endpointsOf(listener.address);
  await running.listening().catch(async (error) => {
    await listener.close();
    throw error;
  });

  return {
    endpoints,
    get app() {
      return app;
    },
    get apiKey() {
      return app.graphql?.apiKeys[0]?.value;
    },
    devCertificate: tls.ca && tls.caPath ? { cert: tls.ca, path: tls.caPath } : undefined,
    realtime: realtime.realtime,
    cluster: realtime.cluster,
    metrics: metrics.registry,
    journal: ctx.journal,
    localIssuer: issuer?.issuer,
    get functions() {
      return functions.runtime;
    },
    async reload() {
      const next = await loadApp(dir, { ...options.load, data, apiKeys });
      await running.reload(next, () => {
        app = next;
      });
    },
    sweepTtl: () => streams.sweepTtl(),
    async close() {
      await listener.close();
      await running.close();
    },
  };
}

const newTokenKey = () => randomBytes(32).toString('base64');

function endpointsOf(address: { family: string; address: string; port: number }): Endpoints {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${host}:${address.port}`;
  return {
    graphql: `${base}/graphql`,
    realtime: `ws://${host}:${address.port}/graphql/realtime`,
    http: base,
    dynamodb: base,
  };
}
