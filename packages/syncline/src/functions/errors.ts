// Lambda's error values: the shapes the Invoke API returns for handler errors and for the runtime's own failures
// (timeouts, exits, throttles), with Lambda's errorType names and message wording.
import type { LambdaError } from './types.js';

/** A thrown value as Lambda's Node.js runtime reports it: Errors by name, anything else by its `typeof`. */
export function toLambdaError(error: unknown): LambdaError {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error && 'stack' in error)) {
    const e = error as Error;
    return {
      errorType: e.name || 'Error',
      errorMessage: String(e.message ?? ''),
      trace: typeof e.stack === 'string' ? e.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

export const timedOut = (requestId: string, seconds: number): LambdaError => ({
  errorType: 'Sandbox.Timedout',
  errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
});

export const runtimeExited = (requestId: string, code: number | null): LambdaError => ({
  errorType: 'Runtime.ExitError',
  errorMessage:
    code === 0 || code === null
      ? `RequestId: ${requestId} Error: Runtime exited without providing a reason`
      : `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
});

export const outOfMemory = (requestId: string): LambdaError => ({
  errorType: 'Runtime.OutOfMemory',
  errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
});

export const throttled = (): LambdaError => ({ errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' });

export const shuttingDown = (): LambdaError => ({
  errorType: 'ServiceException',
  errorMessage: 'The function runtime is shutting down.',
});

/** Lambda refuses synchronous responses over 6 MB. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
export const responseTooLarge = (size: number): LambdaError => ({
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
});
