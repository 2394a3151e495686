// The functions runtime of one server: a pool of worker-thread instances per function, each handler bundled
// on its first cold start, its environment resolved once the server knows its URLs, its console output kept
// per function and written to the server log.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AppModel, FunctionModel } from '../app/model.js';
import type { SecretStore } from '../app/secrets.js';
import type { JournalWriter } from '../trace/journal.js';
import { createAsyncInvoker } from './asyncInvoke.js';
import { bundleHandler, bundleWorkerRuntime, createBuildDir, HandlerBuildError } from './bundle.js';
import { type FunctionCredentials, generateCredentials, keptCredentials } from './credentials.js';
import { compileEnvironment, type EnvironmentTemplate, lambdaEnvironment } from './environment.js';
import { FunctionInstance } from './instance.js';
import { type FunctionLogEntry, LogRing, writeToServerLog } from './logs.js';
import { FunctionPool, type FunctionStats } from './pool.js';
import type { FunctionRuntime, InvokeOptions, InvokeResult } from './types.js';

export interface FunctionsOptions {
  /** Concurrency of a function without `reservedConcurrency`. Default 10. */
  defaultConcurrency?: number;
  /** Invocations that may wait per function before being throttled. Default 10,000. */
  maxQueue?: number;
  /** An idle instance is stopped after this long. Default 10 minutes. */
  idleTimeoutMs?: number;
  /** Console lines kept per function. Default 1,000. */
  logCapacity?: number;
  /** Waits before the first and second retry of a failed asynchronous invocation. Default 1 and 2 minutes, as Lambda. */
  asyncRetryDelaysMs?: number[];
  /** Told of every finished invocation (metrics): keep it cheap, it runs on the invocation path. */
  onInvoked?: (functionName: string, durationMs: number, ok: boolean) => void;
  /** Where invocations and their spans are recorded (trace/journal.ts). */
  journal?: JournalWriter;
}

export interface FunctionRuntimeOptions extends FunctionsOptions {
  app: AppModel;
  log: Logger;
  accountId: string;
  /** The table's ARNs by DynamoDB table name (for `${tables.X.arn}` and `${tables.X.streamArn}`). */
  describeTable: (tableName: string) => { TableArn?: string; LatestStreamArn?: string };
  /** The server's URLs; asked when the first instance of a function starts (the server listens by then). */
  endpoints: () => { http: string; graphql?: string; realtime?: string };
  processEnv?: NodeJS.ProcessEnv;
  /** Where each function's credentials are kept (a cluster's database); default: fresh ones for this runtime. */
  credentials?: SecretStore;
}

/** The runtime as the server holds it: the port plus what the console and the auth capability read. */
export interface LocalFunctionRuntime extends FunctionRuntime {
  stats(name: string): FunctionStats;
  /** Console and platform lines of a function, oldest first (bounded). */
  logs(name: string): FunctionLogEntry[];
  /** The credentials injected into each function (one set per function, per server start). */
  credentials(): FunctionCredentials[];
  /** Starts one instance of each named function ahead of its first invocation (no cold start on it). */
  prewarm(names: readonly string[]): Promise<void>;
}

/** The credentials the runtime injects, for the auth capability to accept SigV4 signatures made with them. */
export function listFunctionCredentials(runtime: LocalFunctionRuntime): FunctionCredentials[] {
  return runtime.credentials();
}

export class UnknownFunctionError extends Error {
  constructor(name: string) {
    super(`Function not found: ${name}`);
    this.name = 'ResourceNotFoundException';
  }
}

interface Entry {
  model: FunctionModel;
  pool: FunctionPool;
  logs: LogRing;
  credentials: FunctionCredentials;
  environment: EnvironmentTemplate;
  bundle?: Promise<string>;
}

const INIT_TIMEOUT_MS = 10_000;

/** Throws AppConfigError for a function whose environment references something unknown. */
export function createFunctionRuntime(options: FunctionRuntimeOptions): LocalFunctionRuntime {
  const { app, log } = options;
  const processEnv = options.processEnv ?? process.env;
  const entries = new Map<string, Entry>();
  let buildDir: string | undefined;
  let workerRuntime: Promise<string> | undefined;

  const arn = (name: string) => `arn:aws:lambda:${app.region}:${options.accountId}:function:${name}`;
  const asyncInvoker = createAsyncInvoker({
    run: (name, event, requestId, cause) => get(name).pool.invoke(event, requestId, cause),
    config: (name) => get(name).model.async,
    arn,
    note: (name, requestId, message) => {
      const entry = entries.get(name);
      const line: FunctionLogEntry = { time: Date.now(), requestId, level: 'WARN', message };
      entry?.logs.push(line);
      writeToServerLog(log.child({ function: name }), line);
    },
    retryDelaysMs: options.asyncRetryDelaysMs,
  });

  const spawn = async (entry: Entry): Promise<FunctionInstance> => {
    buildDir ??= createBuildDir(app.dir);
    const dir = buildDir;
    workerRuntime ??= bundleWorkerRuntime(dir);
    entry.bundle ??= bundleHandler(entry.model, dir);
    let bundle: string;
    try {
      bundle = await entry.bundle;
    } catch (error) {
      entry.bundle = undefined; // a fixed file builds on the next invocation
      if (error instanceof HandlerBuildError) throw error.lambdaError;
      throw error;
    }
    const runtime = await workerRuntime;
    const fn = entry.model;
    const urls = options.endpoints();
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    const logStreamName = `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const env = {
      ...lambdaEnvironment(app, fn, entry.credentials, urls.http, logStreamName, processEnv),
      ...entry.environment({
        app,
        graphqlUrl: urls.graphql,
        realtimeUrl: urls.realtime,
        httpUrl: urls.http,
        describeTable: options.describeTable,
      }),
    };
    const fnLog = log.child({ function: fn.name });
    const instance: FunctionInstance = new FunctionInstance({
      runtime,
      spec: {
        bundle,
        exportName: fn.handler.export,
        handlerName: env._HANDLER,
        functionName: fn.name,
        memorySize: fn.memorySize,
        invokedFunctionArn: arn(fn.name),
        logGroupName: `/aws/lambda/${fn.name}`,
        logStreamName,
        serverUrl: urls.http,
      },
      env,
      initTimeoutMs: INIT_TIMEOUT_MS,
      onLog: (requestId, level, message, time) => {
        const line = { time, requestId, level, message };
        entry.logs.push(line);
        writeToServerLog(fnLog, line);
      },
      onEnd: (ended) => entry.pool.forget(ended),
    });
    return instance;
  };

  for (const fn of Object.values(app.functions)) {
    const environment = compileEnvironment(app, fn, processEnv);
    const logs = new LogRing(options.logCapacity ?? 1000);
    const fnLog = log.child({ function: fn.name });
    const entry: Entry = {
      model: fn,
      logs,
      environment,
      credentials: options.credentials
        ? keptCredentials(options.credentials, fn.name, options.accountId)
        : generateCredentials(fn.name, options.accountId),
      pool: undefined as unknown as FunctionPool,
    };
    entry.pool = new FunctionPool({
      functionName: fn.name,
      timeoutSeconds: fn.timeout,
      memorySize: fn.memorySize,
      concurrency: fn.reservedConcurrency ?? options.defaultConcurrency ?? 10,
      maxQueue: options.maxQueue ?? 10_000,
      idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60_000,
      spawn: () => spawn(entry),
      onFinished: options.onInvoked,
      journal: options.journal,
      log: (line) => {
        logs.push(line);
        writeToServerLog(fnLog, line);
      },
    });
    entries.set(fn.name, entry);
  }

  const get = (name: string): Entry => {
    const entry = entries.get(name);
    if (!entry) throw new UnknownFunctionError(name);
    return entry;
  };

  return {
    names: () => [...entries.keys()],
    invoke(name: string, event: unknown, invokeOptions?: InvokeOptions): Promise<InvokeResult> {
      const entry = get(name);
      const cause = { traceHeader: invokeOptions?.traceHeader, trigger: invokeOptions?.trigger };
      if (invokeOptions?.invocationType === 'Event') {
        return Promise.resolve(asyncInvoker.accept(name, event, { ...cause, trigger: cause.trigger ?? 'async' }));
      }
      return entry.pool.invoke(event, undefined, cause);
    },
    stats: (name) => ({ ...get(name).pool.stats }),
    logs: (name) => get(name).logs.list(),
    credentials: () => [...entries.values()].map((e) => e.credentials),
    async prewarm(names) {
      await Promise.all(names.map((name) => entries.get(name)?.pool.prewarm()));
    },
    async close() {
      asyncInvoker.close();
      await Promise.all([...entries.values()].map((e) => e.pool.close()));
      if (buildDir) rmSync(buildDir, { recursive: true, force: true });
    },
  };
}
