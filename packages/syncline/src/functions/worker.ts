// Lambda's Node.js runtime as it runs inside one worker thread: loads the handler once (the init phase), then
// runs one invocation at a time with Lambda's `context`, its callback semantics, its console line format and its
// error shapes. The server bundles this file at start (functions/bundle.ts); it imports node builtins only.
//
// "Wait for an empty event loop" is Lambda's own mechanism reproduced: while an invocation runs, the port to the
// server is unref'd, so when the handler's work drains Node emits `beforeExit`, exactly as it does in Lambda's
// runtime process. That is when a callback-style result is sent (callbackWaitsForEmptyEventLoop) and when a
// handler that never answered gets Lambda's `null`.
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { toLambdaError } from './errors.js';
import type { ConsoleLevel, FromWorker, ToWorker, WorkerSpec } from './protocol.js';
import type { LambdaError } from './types.js';

type Handler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

const spec = workerData as WorkerSpec;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

/** The invocation whose console output this is; stays set after it ends, as Lambda tags late output. */
let currentRequestId: string | null = null;
/** Set while an invocation has not been answered yet. */
let pending: ((error: unknown, result?: unknown) => void) | null = null;
/** A callback result held back until the event loop is empty. */
let held: { error: unknown; result: unknown } | null = null;

const CONSOLE_LEVELS: [keyof Console, ConsoleLevel][] = [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
];
for (const [method, level] of CONSOLE_LEVELS) {
  (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    let message = format(...args);
    if (method === 'trace') message = `Trace: ${message}\n${new Error().stack?.split('\n').slice(2).join('\n')}`;
    post({ type: 'log', requestId: currentRequestId, level, message, time: Date.now() });
  };
}

// Direct writes take the same ordered channel as console lines, so they land before the invocation's END.
for (const [stream, level] of [
  [process.stdout, 'INFO'],
  [process.stderr, 'ERROR'],
] as const) {
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) {
      if (line) post({ type: 'log', requestId: currentRequestId, level, message: line, time: Date.now() });
    }
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof stream.write;
}

// Node prints process warnings to stderr, which would reach the server log as ERROR lines, one per line of text.
// A warning is one WARN entry instead; the AWS SDK's notice that a future release needs a newer Node (printed at
// every cold start, about the SDK and not the function) is DEBUG, so it stays out of the way until asked for.
process.emitWarning = ((warning: string | Error, typeOrOptions?: unknown, code?: unknown) => {
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : ((typeOrOptions as { type?: string } | undefined)?.type ??
        (warning instanceof Error ? warning.name : 'Warning'));
  const text = warning instanceof Error ? warning.message : String(warning);
  const codeText = typeof code === 'string' ? ` [${code}]` : '';
  const sdkNotice = text.startsWith('NodeVersionSupportWarning') || type === 'NodeVersionSupportWarning';
  post({
    type: 'log',
    requestId: currentRequestId,
    level: sdkNotice ? 'DEBUG' : 'WARN',
    message: `(node) ${type}${codeText}: ${text}`,
    time: Date.now(),
  });
}) as typeof process.emitWarning;

// A call from the function back to this server (a GraphQL mutation made with plain `fetch`, as a stream function
// publishing changes does) carries the invocation's `X-Amzn-Trace-Id`, as the AWS SDK does for AWS calls, unless the
// caller set one: the server then records it in the invocation's trace. An unsigned header leaves SigV4 intact.
if (spec.serverUrl && typeof globalThis.fetch === 'function') {
  const server = new URL(spec.serverUrl);
  const loopback = new Set(['127.0.0.1', 'localhost', '[::1]', server.hostname]);
  const own = (url: string) => {
    try {
      const u = new URL(url);
      const port = u.port || (u.protocol === 'https:' ? '443' : '80');
      return port === server.port && loopback.has(u.hostname);
    } catch {
      return false;
    }
  };
  const fetch = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const trace = process.env._X_AMZN_TRACE_ID;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!trace || !own(url)) return fetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (headers.has('x-amzn-trace-id')) return fetch(input, init);
    headers.set('X-Amzn-Trace-Id', trace);
    return fetch(input, { ...init, headers });
  };
}

process.on('uncaughtException', (error) => die(toLambdaError(error)));
process.on('unhandledRejection', (reason) => {
  const e = toLambdaError(reason);
  die({
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: reason instanceof Error ? `${e.errorType}: ${e.errorMessage}` : String(reason),
    trace: e.trace,
  });
});

/** Like Lambda's runtime after an uncaught error: report it for the running invocation, then exit. */
function die(error: LambdaError): never {
  post({ type: 'fatal', requestId: pending ? currentRequestId : null, error });
  process.exit(1);
}

process.on('beforeExit', () => {
  if (!pending) return;
  const answer = pending;
  if (held) answer(held.error, held.result);
  else answer(null, null);
});

let handler: Handler | undefined;

async function init(): Promise<void> {
  try {
    const mod = await import(pathToFileURL(spec.bundle).href);
    const fn = mod[spec.exportName] ?? mod.default?.[spec.exportName];
    if (typeof fn !== 'function') {
      post({
        type: 'initError',
        error: {
          errorType: 'Runtime.HandlerNotFound',
          errorMessage: `${spec.handlerName} is undefined or not exported`,
          trace: [],
        },
      });
      return;
    }
    handler = fn as Handler;
    post({ type: 'ready' });
  } catch (error) {
    const e = toLambdaError(error);
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      e.errorMessage = `Error: ${e.errorMessage}`;
      e.errorType = 'Runtime.ImportModuleError';
    }
    post({ type: 'initError', error: e });
  }
}

function invoke(message: ToWorker): void {
  const { requestId, deadline } = message;
  currentRequestId = requestId;
  // As Lambda's Node runtime does before each invocation: the X-Ray SDK and Powertools Tracer read it here.
  process.env._X_AMZN_TRACE_ID = message.traceId;
  held = null;
  let answered = false;
  const answer = (error: unknown, result?: unknown) => {
    if (answered) return;
    answered = true;
    pending = null;
    held = null;
    port.ref();
    // Lambda treats any truthy first callback argument as the error.
    if (error !== null && error !== undefined) {
      post({ type: 'result', requestId, ok: false, error: toLambdaError(error) });
      return;
    }
    let payload: string;
    try {
      payload = JSON.stringify(result === undefined ? null : result) ?? 'null';
    } catch (e) {
      post({
        type: 'result',
        requestId,
        ok: false,
        error: {
          errorType: 'Runtime.MalformedHandlerResponse',
          errorMessage: `Unable to stringify response body: ${(e as Error).message}`,
          trace: [],
        },
      });
      return;
    }
    post({ type: 'result', requestId, ok: true, payload });
  };
  pending = answer;

  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: spec.invokedFunctionArn,
    memoryLimitInMB: String(spec.memorySize),
    awsRequestId: requestId,
    logGroupName: spec.logGroupName,
    logStreamName: spec.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error?: unknown, result?: unknown) => answer(error, result),
    succeed: (result?: unknown) => answer(null, result),
    fail: (error?: unknown) => answer(error ?? new Error('handled')),
  };
  const callback = (error?: unknown, result?: unknown) => {
    if (answered || held) return;
    if (context.callbackWaitsForEmptyEventLoop) held = { error, result };
    else answer(error, result);
  };

  // The port stays unref'd while the handler works, so an empty event loop shows as `beforeExit`.
  port.unref();
  let out: unknown;
  try {
    out = handler!(JSON.parse(message.event), context, callback);
  } catch (error) {
    answer(error);
    return;
  }
  if (out && typeof (out as Promise<unknown>).then === 'function') {
    (out as Promise<unknown>).then(
      (result) => answer(null, result),
      (error) => answer(error ?? new Error('The handler rejected without a reason')),
    );
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'invoke') invoke(message);
});
void init();
