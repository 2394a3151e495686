// The messages between the server and a function's worker thread. Events and results cross as JSON text:
// Lambda hands handlers parsed JSON and serializes what they return, so JSON (not structured clone) is the
// faithful transport, and a string is also the cheapest thing to post.
import type { LambdaError } from './types.js';

/** What a worker is started with (`workerData`). */
export interface WorkerSpec {
  /** Absolute path of the bundled handler module. */
  bundle: string;
  /** The export to call. */
  exportName: string;
  /** `path/file.export` as configured, for Lambda's HandlerNotFound message. */
  handlerName: string;
  functionName: string;
  memorySize: number;
  invokedFunctionArn: string;
  logGroupName: string;
  logStreamName: string;
  /** The Syncline server's own URL: `fetch` calls to it carry the invocation's trace (worker.ts). */
  serverUrl?: string;
}

export type ToWorker = {
  type: 'invoke';
  requestId: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch ms at which the server stops the invocation (context.getRemainingTimeInMillis counts down to it). */
  deadline: number;
  /** `_X_AMZN_TRACE_ID` for this invocation (functions/traceId.ts). */
  traceId: string;
};

export type ConsoleLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'TRACE';

export type FromWorker =
  | { type: 'ready' }
  | { type: 'initError'; error: LambdaError }
  | { type: 'log'; requestId: string | null; level: ConsoleLevel; message: string; time: number }
  | { type: 'result'; requestId: string; ok: true; payload: string }
  | { type: 'result'; requestId: string; ok: false; error: LambdaError }
  /** The runtime is about to exit (uncaught exception, unhandled rejection): the instance is gone. */
  | { type: 'fatal'; requestId: string | null; error: LambdaError };
