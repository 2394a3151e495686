// Lambda's asynchronous invocation (InvocationType Event): the caller gets its acceptance at once. A failed attempt
// (an error, a crash, a timeout) is tried again up to maximumRetryAttempts times, waiting one minute and then two
// as Lambda does; a throttled one (no concurrency left) goes back to the queue without using a retry, tried again
// after 1 s, doubling up to 5 min. Either way only while the event is younger than maximumEventAge, and every
// attempt keeps the first one's request id. The outcome reaches the function's destination as Lambda's invocation
// record, and every retry and every dropped event is noted in the function's log.
import { randomUUID } from 'node:crypto';
import type { AsyncInvokeModel } from '../app/model.js';
import type { InvocationCause } from './pool.js';
import type { InvokeResult } from './types.js';

/** Lambda's waits before the first and the second retry. */
export const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** Lambda's wait after a throttle: 1 s, doubling per throttle of the same event, at most 5 min. */
export const LAMBDA_THROTTLE_BACKOFF_MS = { first: 1_000, max: 300_000 } as const;
const THROTTLED = 'TooManyRequestsException';

export interface AsyncInvokerOptions {
  /** One attempt, synchronously, under the given request id. */
  run(name: string, event: unknown, requestId: string, cause: InvocationCause): Promise<InvokeResult>;
  config(name: string): AsyncInvokeModel;
  arn(name: string): string;
  note(name: string, requestId: string, message: string): void;
  retryDelaysMs?: readonly number[];
  throttleBackoffMs?: { first: number; max: number };
  now?: () => number;
}

export interface AsyncInvoker {
  /** Accepts the event and returns at once, as Lambda answers an Event invocation (202, no payload). */
  accept(name: string, event: unknown, cause?: InvocationCause): InvokeResult;
  close(): void;
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** An event's earlier attempts: those that failed in the function and those throttled; when the first was made. */
interface Attempts {
  failures: number;
  throttles: number;
  firstAt: number;
}

/** How an event ended: after `count` attempts, the last of which gave `result`. */
interface Outcome {
  name: string;
  requestId: string;
  condition: Condition;
  count: number;
  event: unknown;
  result: InvokeResult;
}

export function createAsyncInvoker(options: AsyncInvokerOptions): AsyncInvoker {
  const delays = options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
  const backoff = options.throttleBackoffMs ?? LAMBDA_THROTTLE_BACKOFF_MS;
  const now = options.now ?? Date.now;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Lambda's invocation record, as destinations receive it. */
  const record = ({ name, requestId, condition, count, event, result }: Outcome) => ({
    version: '1.0',
    timestamp: new Date(now()).toISOString(),
    requestContext: {
      requestId,
      functionArn: `${options.arn(name)}:$LATEST`,
      condition,
      approximateInvokeCount: count,
    },
    requestPayload: event,
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(result.ok ? {} : { functionError: 'Unhandled' }),
    },
    responsePayload: result.ok
      ? result.payload
      : {
          errorMessage: result.error.errorMessage,
          errorType: result.error.errorType,
          ...(result.error.trace ? { stackTrace: result.error.trace } : {}),
        },
  });

  const settle = (outcome: Outcome) => {
    const { name, requestId, condition, count } = outcome;
    const config = options.config(name);
    const target = condition === 'Success' ? config.onSuccess : config.onFailure;
    if (condition !== 'Success') {
      options.note(name, requestId, `Asynchronous event dropped after ${count} attempt(s): ${condition}`);
    }
    if (target) accept(target, record(outcome));
  };

  /** Runs the attempt that follows `tries`. */
  const attempt = async (name: string, event: unknown, requestId: string, tries: Attempts, cause: InvocationCause) => {
    const result = await options.run(name, event, requestId, cause);
    if (closed) return;
    const count = 1 + tries.failures + tries.throttles;
    if (result.ok) {
      settle({ name, requestId, condition: 'Success', count, event, result });
      return;
    }
    const config = options.config(name);
    const throttled = result.error.errorType === THROTTLED;
    const next: Attempts = {
      failures: tries.failures + (throttled ? 0 : 1),
      throttles: tries.throttles + (throttled ? 1 : 0),
      firstAt: tries.firstAt,
    };
    if (!throttled && next.failures > config.maximumRetryAttempts) {
      settle({ name, requestId, condition: 'RetriesExhausted', count, event, result });
      return;
    }
    const delay = throttled
      ? Math.min(backoff.max, backoff.first * 2 ** (next.throttles - 1))
      : delays[Math.min(next.failures - 1, delays.length - 1)];
    if (now() + delay - tries.firstAt > config.maximumEventAgeSeconds * 1000) {
      settle({ name, requestId, condition: 'EventAgeExceeded', count, event, result });
      return;
    }
    options.note(
      name,
      requestId,
      throttled
        ? `Asynchronous invocation throttled; queued again for ${delay / 1000} s`
        : `Asynchronous invocation failed (${result.error.errorType}); retry ${next.failures} of ${config.maximumRetryAttempts} in ${delay / 1000} s`,
    );
    const timer = setTimeout(() => {
      timers.delete(timer);
      attempt(name, event, requestId, next, cause).catch((error) =>
        options.note(name, requestId, `Asynchronous invocation could not run: ${String(error)}`),
      );
    }, delay);
    timers.add(timer);
  };

  const accept = (name: string, event: unknown, cause: InvocationCause = { trigger: 'async' }): InvokeResult => {
    const requestId = randomUUID();
    if (!closed) {
      attempt(name, event, requestId, { failures: 0, throttles: 0, firstAt: now() }, cause).catch((error) =>
        options.note(name, requestId, `Asynchronous invocation could not run: ${String(error)}`),
      );
    }
    return { ok: true, payload: null, requestId, durationMs: 0 };
  };

  return {
    accept,
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
