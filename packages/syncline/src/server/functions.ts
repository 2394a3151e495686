// The functions capability: the Lambda-compatible runtime and what triggers it over HTTP and on a schedule.
// (Stream mappings, which also invoke functions, belong to the streams capability.)
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import { newNodeId } from '../cluster/leases.js';
import { postgresScheduleClaims } from '../cluster/leasesSchedules.js';
import { postgresSecretStore } from '../cluster/secretsPostgres.js';
import { createFunctionRuntime, type FunctionsOptions, type LocalFunctionRuntime } from '../functions/index.js';
import type { TableEngine } from '../tables/index.js';
import { isPostgresStorage } from '../tables/storage/postgres.js';
import type { Clock } from '../triggers/clock.js';
import { createHttpApi, type HttpApi } from '../triggers/httpApi.js';
import { type Schedules, startSchedules } from '../triggers/schedules.js';
import type { Capability, ServerContext } from './capability.js';
import type { TablesCapability } from './tables.js';

export interface FunctionsServerOptions extends FunctionsOptions {
  /** Drives the schedules; tests pass a ManualClock (triggers/clock.ts). */
  clock?: Clock;
  /** How long an HTTP route waits for its function before the gateway gives up (default 30 s, as HTTP APIs). */
  httpIntegrationTimeoutMs?: number;
  /** Start the triggered functions' instances at load (default true); false: each starts on its first event. */
  prewarm?: boolean;
}

/** One app version's functions: the runtime, its HTTP routes and its schedules. */
interface MountedFunctions {
  runtime: LocalFunctionRuntime;
  http: HttpApi;
  schedules: Schedules;
  close(): Promise<void>;
}

export interface FunctionsCapability extends Capability {
  /** The runtime serving now; there from `start` on. */
  readonly runtime: LocalFunctionRuntime;
  /** The runtime a reload in progress prepared (the GraphQL API of that version is built on it), else `runtime`. */
  readonly upcoming: LocalFunctionRuntime;
}

/**
 * Functions and their triggers: the runtime (worker-thread instances per function), the HTTP API routes (which
 * answer CORS themselves, under http.cors) and the schedules. Each app version gets its own; a reload prepares the
 * next, and the previous closes once everything switched over.
 */
export function functionsCapability(
  ctx: ServerContext,
  tables: TablesCapability,
  settings: FunctionsServerOptions | undefined,
): FunctionsCapability {
  let current: MountedFunctions | undefined;
  let staged: MountedFunctions | undefined;
  // /ready waits for the triggered functions' first instances: traffic sent then finds them warm.
  let warming: Promise<void> | undefined;
  const mounted = () => {
    if (!current) throw new Error('functions are not started');
    return current;
  };
  const mount = (app: AppModel) =>
    mountFunctions(app, {
      log: ctx.log,
      tables: tables.engine,
      settings: { ...settings, onInvoked: ctx.onInvoked, journal: ctx.journal },
      endpoints: ctx.endpoints,
    });
  return {
    name: 'functions',
    get runtime() {
      return mounted().runtime;
    },
    get upcoming() {
      return (staged ?? mounted()).runtime;
    },
    routes: [
      {
        ownsCors: true,
        // Only method, path and headers are read: the fast path asks the same question.
        matches: (r) => mounted().http.handles(r, r.path),
        serve: (req, res, path) => {
          const http = mounted().http;
          const observe = ctx.observe;
          if (observe) {
            const started = performance.now();
            res.once('finish', () =>
              observe.request({
                api: 'http',
                operation: http.routeKey(req.method ?? 'GET', path) ?? 'no route',
                status: res.statusCode,
                durationMs: performance.now() - started,
                traceId: req.headers['x-amzn-trace-id'] as string | undefined,
              }),
            );
          }
          void http.handle(req, res, path);
        },
      },
    ],
    start() {
      current = mount(ctx.app());
    },
    // Functions run once the server listens (their environment names its URLs): warm the triggered ones then.
    listening() {
      warming = prewarm(mounted().runtime, ctx.app(), ctx.log, settings);
      void warming.then(() => {
        warming = undefined;
      });
    },
    reload(next) {
      const prepared = mount(next);
      staged = prepared;
      const previous = mounted();
      return {
        commit() {
          current = prepared;
          staged = undefined;
          void prewarm(prepared.runtime, next, ctx.log, settings);
        },
        async abort() {
          staged = undefined;
          await prepared.close();
        },
        retire: () => previous.close(),
      };
    },
    health: () =>
      current === undefined
        ? { ready: false }
        : warming
          ? { ready: false, detail: 'starting the triggered functions' }
          : { ready: true },
    metrics: () => ({ functions: Object.keys(ctx.app().functions).length }),
    async close() {
      await current?.close();
      current = undefined;
    },
  };
}

/**
 * Functions triggered by HTTP routes, table streams and schedules are started at load, so their first event is
 * not a cold start (the reference app's first order took seconds). In the background: the server is ready
 * without waiting, and an event arriving meanwhile waits for the instance being started instead of making another.
 */
function prewarm(
  runtime: LocalFunctionRuntime,
  app: AppModel,
  log: Logger,
  settings: FunctionsServerOptions | undefined,
): Promise<void> {
  if (settings?.prewarm === false) return Promise.resolve();
  const names = warmFunctionNames(app);
  if (names.length === 0) return Promise.resolve();
  const started = performance.now();
  return runtime.prewarm(names).then(
    () => log.debug({ functions: names, ms: Math.round(performance.now() - started) }, 'functions prewarmed'),
    (err) => log.debug({ err }, 'prewarm failed'),
  );
}

/**
 * The functions an event reaches without a person waiting on a cold start: those with triggers (routes, streams,
 * schedules, rules), those behind Lambda data sources (the first query that resolves through them), and the Lambda
 * authorizers (every request in that mode waits on them).
 */
export function warmFunctionNames(app: AppModel): string[] {
  const names = new Set<string>();
  for (const fn of Object.values(app.functions)) if (fn.events.length > 0) names.add(fn.name);
  const graphql = app.graphql;
  if (graphql) {
    for (const ds of Object.values(graphql.dataSources)) {
      if (ds.type === 'AWS_LAMBDA' && typeof ds.config.functionName === 'string') names.add(ds.config.functionName);
    }
    for (const provider of [graphql.authentication, ...graphql.additionalAuthentications]) {
      const fn = provider.type === 'AWS_LAMBDA' ? provider.config?.functionName : undefined;
      if (typeof fn === 'string') names.add(fn);
    }
  }
  return [...names].filter((name) => name in app.functions);
}

function mountFunctions(
  app: AppModel,
  options: {
    log: Logger;
    tables: TableEngine;
    endpoints: () => { http: string; graphql?: string; realtime?: string };
    settings?: FunctionsServerOptions;
  },
): MountedFunctions {
  const { log, tables, settings = {} } = options;
  const storage = tables.storage;
  const runtime = createFunctionRuntime({
    ...settings,
    app,
    log,
    accountId: tables.accountId,
    describeTable: (TableName) => {
      try {
        return tables.describeTable({ TableName }).Table as { TableArn?: string; LatestStreamArn?: string };
      } catch {
        return {};
      }
    },
    endpoints: options.endpoints,
    // Every node of a cluster gives a function the same credentials, so any node accepts what it signs.
    credentials: isPostgresStorage(storage) ? postgresSecretStore(storage, 'function-credentials:') : undefined,
  });
  const http = createHttpApi({
    app,
    runtime,
    log,
    accountId: tables.accountId,
    integrationTimeoutMs: settings.httpIntegrationTimeoutMs,
    journal: settings.journal,
  });
  const schedules = startSchedules({
    app,
    runtime,
    log,
    accountId: tables.accountId,
    clock: settings.clock,
    // On PostgreSQL the app may run on several nodes: each fire is claimed by one.
    claims: isPostgresStorage(storage) ? postgresScheduleClaims(storage, newNodeId()) : undefined,
  });
  return {
    runtime,
    http,
    schedules,
    async close() {
      schedules.close();
      await runtime.close();
    },
  };
}
