// The functions runtime as the rest of the server sees it. Triggers (HTTP routes, schedules, stream mappings),
// the Lambda data source and the Lambda authorizer all invoke functions through this one port.
import type { InvocationTrigger } from '../trace/types.js';

/** Lambda's error shape, as the Invoke API and AppSync report it. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeResult =
  | { ok: true; payload: unknown; requestId: string; durationMs: number }
  | { ok: false; error: LambdaError; requestId: string; durationMs: number };

export interface InvokeOptions {
  /** 'Event' resolves as soon as the invocation is accepted; failures are retried and reach the function's destinations (asyncInvoke.ts). */
  invocationType?: 'RequestResponse' | 'Event';
  /** The caller's `X-Amzn-Trace-Id`, whose trace the invocation continues (`_X_AMZN_TRACE_ID`, functions/traceId.ts). */
  traceHeader?: string;
  /** What invoked the function, for the journal (trace/types.ts); default 'invoke', or 'async' for 'Event'. */
  trigger?: InvocationTrigger;
}

export interface FunctionRuntime {
  /** The names of the app's functions. */
  names(): string[];
  /**
   * Runs the function with `event` on a warm instance when one is free, a new one (a cold start) otherwise,
   * queueing past the function's concurrency. Never throws for handler failures: they come back as `ok: false`.
   * Throws only for an unknown function name.
   */
  invoke(name: string, event: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  close(): Promise<void>;
}
