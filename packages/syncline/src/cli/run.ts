// `syncline dev` and `syncline start`: start the server, print where it listens, reload on change in dev.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import chokidar from 'chokidar';
import type { Logger } from 'pino';
import { AppConfigError } from '../app/errors.js';
import type { AppModel } from '../app/model.js';
import { loadOperatorCredentials, type OperatorCredential } from '../auth/operatorCredentials.js';
import { ClusterConfigError } from '../cluster/index.js';
import type { ConsoleAccess } from '../console/index.js';
import { appBuses, appRules } from '../eventbridge/index.js';
import type { MetricsAccess } from '../metrics/access.js';
import { accessLog } from '../server/accessLog.js';
import { createServer } from '../server/createServer.js';
import { createLogger, createStderrJsonLogger, type LogFormat, type LogLevel } from '../server/logger.js';
import { trustStatus } from '../tls/trustStores.js';

export interface RunOptions {
  /** The app folder, or a definition file in it. */
  path: string;
  /** serverless.yml `--stage`. */
  stage?: string;
  /** `--stack`: a CDK cloud assembly's stack. */
  stack?: string;
  /** `--region`: overrides the definition's region. */
  region?: string;
  /** `--param Name=value`. */
  param?: Record<string, string>;
  watch: boolean;
  port: number;
  host: string;
  data?: string;
  json?: boolean;
  logLevel: LogLevel;
  /** Default: pretty on a terminal, JSON otherwise. */
  logFormat?: LogFormat;
  tlsCert?: string;
  tlsKey?: string;
  /** Require SigV4 and IAM policies on every AWS API (docs/auth.md): always in `start`, on request in `dev`. */
  requireSignatures: boolean;
  /** A JSON file of operator credentials and their policies (docs/auth.md). */
  credentials?: string;
  /** PostgreSQL URL for tables and streams (docs/cluster.md); default embedded SQLite. */
  database?: string;
  /** Cluster fan-out broker URL (docs/cluster.md). */
  pubsub?: string;
  /** Who may read GET /metrics (metrics/access.ts). */
  metrics?: MetricsAccess;
  /** `on`: an info line per request (server/accessLog.ts). */
  accessLog?: 'on' | 'off';
  /** OTLP/HTTP endpoint to export traces to; default OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT (docs/operations.md). */
  otlpEndpoint?: string;
  /** Who may use the console (console/access.ts): dev 'open', start 'off' unless --console ('operators'). */
  console?: ConsoleAccess;
}

/** Errors a user can fix in their app: printed as one readable message, not a stack trace. */
function describe(error: unknown): string {
  if (error instanceof AppConfigError || error instanceof ClusterConfigError) return error.message;
  const e = error as Error & { code?: string };
  if (e.code === 'EADDRINUSE') return `the port is already in use (${e.message})`;
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
}

/** A folder, or a definition file: the server runs in its folder and reads that file. */
function appLocation(path: string): { dir: string; file?: string } {
  const target = resolve(path);
  try {
    if (statSync(target).isFile()) return { dir: dirname(target), file: basename(target) };
  } catch {
    // Not there: the loader names the path in its error.
  }
  return { dir: target };
}

export async function runServer(options: RunOptions): Promise<number> {
  // --json keeps stdout for the endpoints line alone; the logs go on, as JSON lines, on stderr.
  const log = options.json
    ? createStderrJsonLogger(options.logLevel)
    : createLogger(options.logLevel, (options.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty');
  const { dir, file } = appLocation(options.path);
  const started = performance.now();
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) {
    process.stderr.write('syncline: --tls-cert and --tls-key go together\n');
    return 1;
  }
  let tls: { cert: string; key: string } | undefined;
  try {
    if (options.tlsCert && options.tlsKey) {
      tls = { cert: readFileSync(options.tlsCert, 'utf8'), key: readFileSync(options.tlsKey, 'utf8') };
    }
  } catch (error) {
    process.stderr.write(`syncline: cannot read the TLS files: ${(error as Error).message}\n`);
    return 1;
  }
  let credentials: OperatorCredential[];
  try {
    credentials = loadOperatorCredentials({ file: options.credentials, env: process.env });
  } catch (error) {
    process.stderr.write(`syncline: cannot read the credentials: ${(error as Error).message}\n`);
    return 1;
  }
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  const startServer = () =>
    createServer({
      dir,
      load: { file, stage: options.stage, stack: options.stack, region: options.region, params: options.param },
      port: options.port,
      host: options.host,
      data: options.data,
      log,
      tls,
      requireSignatures: options.requireSignatures,
      credentials,
      database: options.database,
      pubsub: options.pubsub,
      metrics: options.metrics,
      otlp: options.otlpEndpoint,
      console: options.console ?? (options.watch ? 'open' : 'off'),
      mode: options.watch ? 'dev' : 'start',
      observe: options.accessLog === 'on' ? accessLog(log) : undefined,
      // The development token issuer is for `syncline dev` only.
      localIssuer: options.watch,
    });
  const announce = (running: NonNullable<typeof server>) => {
    const ms = Math.round(performance.now() - started);
    printBanner(running, options, credentials, ms);
    // What the definition asks of AWS alone (logging, WAF, X-Ray…): said once, not on every reload.
    for (const notice of running.app.notices ?? []) log.info(notice);
  };
  // In dev, a change either reloads the running app or, when it never started (broken at start), starts it.
  const onChange = async () => {
    if (server) return server.reload();
    server = await startServer();
    announce(server);
  };
  // Watching starts before the server so the ready line never precedes it (a change made right after "ready"
  // must be seen): `watchApp` resolves once chokidar has scanned the folder.
  const watcher = options.watch
    ? await watchApp(
        dir,
        log,
        onChange,
        // The web folder is read on each request, so a change there needs no reload; and its build writes it,
        // so a reload there would build again, forever.
        (path) => {
          const web = server?.app.web;
          return web !== undefined && isInside(path, web.dir);
        },
        () => server !== undefined,
      )
    : undefined;
  try {
    server = await startServer();
  } catch (error) {
    // dev on a broken app waits for the fix (the watcher starts it); a port in use or a bad flag is not fixed by
    // editing the app, so those end it, as `start` ends on any error.
    if (!watcher || !waitsForFix(error)) {
      await watcher?.close();
      process.stderr.write(`syncline: cannot start ${resolve(options.path)}\n${describe(error)}\n`);
      return 1;
    }
    log.error(`cannot start ${resolve(options.path)}; waiting for a change to try again:\n${describe(error)}`);
  }
  if (server) announce(server);

  const stop = async () => {
    await watcher?.close();
    await server?.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

/** Errors that a change to the app can fix; the others (port in use, cluster flags) end `dev` too. */
function waitsForFix(error: unknown): boolean {
  if (error instanceof ClusterConfigError) return false;
  const code = (error as { code?: string }).code;
  return code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL';
}

function printBanner(
  server: Awaited<ReturnType<typeof createServer>>,
  options: RunOptions,
  credentials: readonly OperatorCredential[],
  ms: number,
) {
  const { endpoints } = server;
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({
        ...endpoints,
        apiKey: server.apiKey ?? null,
        ca: server.devCertificate?.path ?? null,
        console: consoleUrl(server, options),
      })}\n`,
    );
    return;
  }
  const lines = [
    `Syncline is running ${server.app.name} (ready in ${ms} ms)`,
    `  GraphQL   ${endpoints.graphql}`,
    endpoints.realtime ? `  Realtime  ${endpoints.realtime}` : undefined,
    endpoints.dynamodb ? `  DynamoDB  ${endpoints.dynamodb} ${doorLine(options, credentials)}` : undefined,
    usesEventBridge(server.app)
      ? `  Events    ${endpoints.http} (EventBridge PutEvents; buses ${[...appBuses(server.app)].join(', ')})`
      : undefined,
    server.apiKey ? `  API key   ${server.apiKey}` : undefined,
    server.app.web ? `  Web       ${endpoints.http}/` : undefined,
    consoleLine(server, options, credentials),
    ...tlsLines(server.devCertificate),
  ].filter(Boolean);
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/** The console's address: at / when the app has no pages of its own (it is under /_console/ too); null when off. */
function consoleUrl(server: Awaited<ReturnType<typeof createServer>>, options: RunOptions): string | null {
  const access = options.console ?? (options.watch ? 'open' : 'off');
  if (access === 'off') return null;
  return server.app.web ? `${server.endpoints.http}/_console/` : `${server.endpoints.http}/`;
}

/** Where the console is, and who may use it; nothing when it is off. */
function consoleLine(
  server: Awaited<ReturnType<typeof createServer>>,
  options: RunOptions,
  credentials: readonly OperatorCredential[],
): string | undefined {
  const url = consoleUrl(server, options);
  if (!url) return undefined;
  if (options.console !== 'operators') return `  Console   ${url}`;
  const who =
    credentials.length === 0
      ? 'operators only, and none is configured: see --credentials'
      : 'operators only: HTTP Basic with an access key id and its secret';
  return `  Console   ${url} (${who})`;
}

/** The dev certificate's CA, whether it is trusted here, and the line Node clients need. */
function tlsLines(ca: { cert: string; path: string } | undefined): string[] {
  if (!ca) return [];
  const places = trustStatus(ca.cert);
  const trust = places.length ? `trusted in ${places.join(', ')}` : 'not trusted yet: run `syncline trust`';
  return [
    `  TLS       same port for https:// and wss://; local CA ${ca.path} (${trust})`,
    `  Node      NODE_EXTRA_CA_CERTS=${ca.path}`,
  ];
}

/** What the banner says about the AWS APIs' door, so nobody runs `dev` open without knowing it. */
function doorLine(options: RunOptions, credentials: readonly OperatorCredential[]): string {
  if (!options.requireSignatures) return '(open: no signature required, like DynamoDB Local)';
  if (credentials.length === 0) {
    return "(SigV4 required; no operator credentials, so only the app's functions may call it — see --credentials)";
  }
  const n = credentials.length;
  return `(SigV4 required; ${n} operator credential${n === 1 ? '' : 's'} and the functions')`;
}

// Not the app's: installed packages, the data folder, git, build output; and editors' scratch files (vim's
// .swp/.swx and its `4913` probe, backups ending in ~, emacs's .#lock and #autosave#).
const IGNORED = /(^|[\\/])(node_modules|\.syncline|\.git|dist)([\\/]|$)/;
const SCRATCH = /(\.sw[a-px]|~|^4913|^\.#.*|^#.*#)$/;

const isInside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);

interface AppWatcher {
  close(): Promise<void>;
}

/**
 * Watches the app folder with chokidar, which follows files replaced by rename (editors' atomic saves, `sed -i`),
 * new files and folders, and deletes — Node's own recursive watch lost a file after its first rename-save, so the
 * server went on with stale code. Resolves once the initial scan is done.
 */
async function watchApp(
  dir: string,
  log: Logger,
  reload: () => Promise<void>,
  ignored: (path: string) => boolean,
  serving: () => boolean,
): Promise<AppWatcher> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let changed: string | undefined;
  const watcher = chokidar.watch(dir, {
    ignoreInitial: true,
    // A save by rename is one change, not a delete and an add.
    atomic: true,
    ignored: (path) => {
      const rel = relative(dir, path);
      return rel !== '' && (IGNORED.test(rel) || SCRATCH.test(basename(path)) || ignored(path));
    },
  });
  watcher.on('all', (_event, path) => {
    changed = path;
    clearTimeout(timer);
    // Editors write a file in several steps; one reload per burst.
    timer = setTimeout(() => {
      const file = changed;
      running = running.then(async () => {
        const started = performance.now();
        const wasServing = serving();
        try {
          await reload();
          log.info(
            `${wasServing ? 'reloaded' : 'started'} after a change to ${file ? relative(dir, file) : dir} in ${Math.round(performance.now() - started)} ms`,
          );
        } catch (error) {
          log.error(
            wasServing
              ? `reload failed; still serving the last good version:\n${describe(error)}`
              : `cannot start yet; waiting for the next change:\n${describe(error)}`,
          );
        }
      });
    }, 40);
  });
  watcher.on('error', (error) => log.warn({ err: error }, 'file watcher error'));
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** An app with buses or rules of its own: the banner names the EventBridge endpoint (it is served for every app). */
function usesEventBridge(app: AppModel): boolean {
  return Boolean(app.eventBuses?.length) || appRules(app).length > 0;
}
