// `syncline dev` and `syncline start`: start the server, print where it listens, reload on change in dev.
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import { AppConfigError } from '../app/errors.js';
import type { AppModel } from '../app/model.js';
import { loadOperatorCredentials, type OperatorCredential } from '../auth/operatorCredentials.js';
import { ClusterConfigError } from '../cluster/index.js';
import { appBuses, appRules } from '../eventbridge/index.js';
import { createServer } from '../server/createServer.js';
import { createLogger, createStderrJsonLogger, type LogLevel } from '../server/logger.js';

export interface RunOptions {
  /** The app folder, or a definition file in it. */
  path: string;
  /** serverless.yml `--stage`. */
  stage?: string;
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
  const log = options.json ? createStderrJsonLogger(options.logLevel) : createLogger(options.logLevel);
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
  // Watching starts before the server so the ready line never precedes it: on Linux, Node's recursive
  // watch scans subfolders asynchronously, and a change made right after "ready" must still be seen.
  const watcher = options.watch
    ? watchApp(
        dir,
        log,
        () => server?.reload() ?? Promise.resolve(),
        // The web folder is read on each request, so a change there needs no reload; and its build writes it,
        // so a reload there would build again, forever.
        (path) => {
          const web = server?.app.web;
          return web !== undefined && isInside(path, web.dir);
        },
      )
    : undefined;
  try {
    server = await createServer({
      dir,
      load: { file, stage: options.stage, region: options.region, params: options.param },
      port: options.port,
      host: options.host,
      data: options.data,
      log,
      tls,
      requireSignatures: options.requireSignatures,
      credentials,
      database: options.database,
      pubsub: options.pubsub,
      // The development token issuer is for `syncline dev` only.
      localIssuer: options.watch,
    });
  } catch (error) {
    watcher?.close();
    process.stderr.write(`syncline: cannot start ${resolve(options.path)}\n${describe(error)}\n`);
    return 1;
  }
  const ms = Math.round(performance.now() - started);
  const { endpoints } = server;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...endpoints, apiKey: server.apiKey ?? null })}\n`);
  } else {
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
      server.devCertificate?.path
        ? `  TLS       same port; trust ${relative(process.cwd(), server.devCertificate.path)} for https:// and wss://`
        : undefined,
    ].filter(Boolean);
    process.stdout.write(`\n${lines.join('\n')}\n\n`);
  }
  // What the definition asks of AWS alone (logging, WAF, X-Ray…): said once, not on every reload.
  for (const notice of server.app.notices ?? []) log.info(notice);

  const running = server;
  const stop = async () => {
    watcher?.close();
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
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

const IGNORED = /(^|[\\/])(node_modules|\.syncline|\.git|dist)([\\/]|$)/;

const isInside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);

function watchApp(
  dir: string,
  log: Logger,
  reload: () => Promise<void>,
  ignored: (path: string) => boolean,
): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  return watch(dir, { recursive: true }, (_event, file) => {
    if (file && (IGNORED.test(file) || ignored(resolve(dir, file)))) return;
    clearTimeout(timer);
    // Editors write a file in several steps; one reload per burst.
    timer = setTimeout(() => {
      running = running.then(async () => {
        const started = performance.now();
        try {
          await reload();
          log.info(
            `reloaded after a change to ${file ? relative(dir, resolve(dir, file)) : dir} in ${Math.round(performance.now() - started)} ms`,
          );
        } catch (error) {
          log.error(`reload failed; still serving the last good version:\n${describe(error)}`);
        }
      });
    }, 40);
  });
}

/** An app with buses or rules of its own: the banner names the EventBridge endpoint (it is served for every app). */
function usesEventBridge(app: AppModel): boolean {
  return Boolean(app.eventBuses?.length) || appRules(app).length > 0;
}
