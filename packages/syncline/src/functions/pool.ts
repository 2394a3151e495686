// The instances of one function: warm ones are reused (module scope survives between invocations), new ones
// are started (cold starts) up to the function's concurrency, and invocations past it wait in a queue — where
// Lambda would throttle, a local server is kinder to wait. Every invocation leaves Lambda's START / END / REPORT
// lines in the function's log.
import { randomUUID } from 'node:crypto';
import { epochNow } from '../trace/ids.js';
import type { JournalWriter } from '../trace/journal.js';
import type { InvocationTrigger } from '../trace/types.js';
import { MAX_RESPONSE_BYTES, responseTooLarge, shuttingDown, throttled, toLambdaError } from './errors.js';
import type { FunctionInstance, Outcome } from './instance.js';
import type { FunctionLogEntry } from './logs.js';
import { type InvocationTrace, invocationTrace } from './traceId.js';
import type { InvokeResult, LambdaError } from './types.js';

export interface FunctionStats {
  invocations: number;
  coldStarts: number;
  errors: number;
  timeouts: number;
  throttles: number;
  /** Invocations running now, and the most that ever ran at once. */
  running: number;
  peakConcurrency: number;
  /** Invocations waiting for a free instance. */
  queued: number;
  /** Live instances, busy or idle. */
  instances: number;
}

export interface PoolOptions {
  functionName: string;
  timeoutSeconds: number;
  memorySize: number;
  concurrency: number;
  /** Most invocations that may wait; past it they are throttled (TooManyRequestsException). */
  maxQueue: number;
  /** An idle instance is stopped after this long, as Lambda reclaims idle environments. */
  idleTimeoutMs: number;
  /** Starts an instance; rejects with the Lambda error when the handler cannot be built. */
  spawn: (pool: FunctionPool) => Promise<FunctionInstance>;
  log: (entry: FunctionLogEntry) => void;
  /** Told of every finished invocation, with its duration (metrics). */
  onFinished?: (functionName: string, durationMs: number, ok: boolean) => void;
  /** Where every invocation and its span are recorded (the console's Functions and Traces pages). */
  journal?: JournalWriter;
}

/** How one invocation came about. */
export interface InvocationCause {
  /** The caller's `X-Amzn-Trace-Id`, whose trace the invocation continues. */
  traceHeader?: string;
  /** What invoked it, for the journal; default 'invoke'. */
  trigger?: InvocationTrigger;
}

export class FunctionPool {
  private readonly idle: FunctionInstance[] = [];
  private readonly instances = new Set<FunctionInstance>();
  private readonly idleTimers = new Map<FunctionInstance, NodeJS.Timeout>();
  private readonly waiting: ((granted: boolean) => void)[] = [];
  private slotsInUse = 0;
  private closed = false;
  /** A prewarm in progress: an invocation arriving meanwhile waits for its instance instead of starting another. */
  private warming: Promise<void> | undefined;
  readonly stats: FunctionStats = {
    invocations: 0,
    coldStarts: 0,
    errors: 0,
    timeouts: 0,
    throttles: 0,
    running: 0,
    peakConcurrency: 0,
    queued: 0,
    instances: 0,
  };

  constructor(private readonly options: PoolOptions) {}

  /** One synchronous attempt; asynchronous invocations (asyncInvoke.ts) keep their first attempt's request id. */
  invoke(event: unknown, requestId: string = randomUUID(), cause: InvocationCause = {}): Promise<InvokeResult> {
    const eventJson = JSON.stringify(event === undefined ? null : event);
    const trace = invocationTrace(cause.traceHeader);
    const journal = this.options.journal;
    if (!journal) return this.run(requestId, eventJson, trace);
    const start = epochNow();
    return this.run(requestId, eventJson, trace).then((result) => {
      this.record(journal, result, start, trace, cause.trigger ?? 'invoke');
      return result;
    });
  }

  private record(
    journal: JournalWriter,
    result: InvokeResult,
    start: number,
    trace: InvocationTrace,
    trigger: InvocationTrigger,
  ) {
    const { functionName } = this.options;
    const { requestId, durationMs } = result;
    const error = result.ok
      ? undefined
      : { errorType: result.error.errorType, errorMessage: result.error.errorMessage };
    journal.invocation({
      functionName,
      requestId,
      trigger,
      start,
      durationMs,
      ok: result.ok,
      error,
      traceId: trace.root,
    });
    journal.span({
      traceId: trace.root,
      spanId: trace.segment,
      parentSpanId: trace.parent,
      name: functionName,
      kind: 'function',
      start,
      durationMs,
      status: result.ok ? 'ok' : 'error',
      attributes: error
        ? { 'faas.invocation_id': requestId, 'faas.trigger': trigger, 'error.type': error.errorType }
        : { 'faas.invocation_id': requestId, 'faas.trigger': trigger },
    });
  }

  /**
   * Starts one instance ahead of the first invocation (bundle, worker, handler module loaded), so that invocation
   * is warm. Failures are not reported here: the first invocation builds again and reports them as Lambda would.
   */
  prewarm(): Promise<void> {
    if (this.closed || this.options.concurrency === 0 || this.instances.size > 0) return Promise.resolve();
    this.warming ??= (async () => {
      let instance: FunctionInstance;
      try {
        instance = await this.options.spawn(this);
      } catch {
        return;
      }
      this.instances.add(instance);
      this.stats.instances = this.instances.size;
      const initError = await instance.ready;
      if (initError || this.closed) {
        this.forget(instance);
        await instance.terminate();
        return;
      }
      this.makeIdle(instance);
    })().finally(() => {
      this.warming = undefined;
    });
    return this.warming;
  }

  /** Called by an instance that ended on its own (crash, exit, timeout). */
  forget(instance: FunctionInstance): void {
    if (!this.instances.delete(instance)) return;
    this.stats.instances = this.instances.size;
    const i = this.idle.indexOf(instance);
    if (i !== -1) this.idle.splice(i, 1);
    clearTimeout(this.idleTimers.get(instance));
    this.idleTimers.delete(instance);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const grant of this.waiting.splice(0)) grant(false);
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all([...this.instances].map((i) => i.terminate()));
    this.instances.clear();
    this.idle.length = 0;
  }

  private async run(requestId: string, eventJson: string, trace: InvocationTrace): Promise<InvokeResult> {
    const started = performance.now();
    const fail = (error: LambdaError): InvokeResult => ({
      ok: false,
      error,
      requestId,
      durationMs: performance.now() - started,
    });
    if (this.closed) return fail(shuttingDown());
    if (!(await this.acquireSlot())) {
      if (this.closed) return fail(shuttingDown());
      this.stats.throttles++;
      return fail(throttled());
    }
    try {
      if (this.warming && this.idle.length === 0) await this.warming;
      let instance = this.takeIdle();
      let cold = false;
      if (!instance) {
        cold = true;
        this.stats.coldStarts++;
        try {
          instance = await this.options.spawn(this);
        } catch (error) {
          const lambdaError = error && typeof error === 'object' && 'errorType' in error;
          return this.finish(
            requestId,
            started,
            { ok: false, error: lambdaError ? (error as LambdaError) : toLambdaError(error) },
            0,
          );
        }
        this.instances.add(instance);
        this.stats.instances = this.instances.size;
      }
      const initError = await instance.ready;
      if (initError) {
        this.forget(instance);
        return this.finish(requestId, started, { ok: false, error: initError }, instance.initDurationMs);
      }
      this.stats.invocations++;
      this.stats.running++;
      this.stats.peakConcurrency = Math.max(this.stats.peakConcurrency, this.stats.running);
      this.platform(requestId, `START RequestId: ${requestId} Version: $LATEST`);
      const runStarted = performance.now();
      const outcome = await instance.run(requestId, eventJson, this.options.timeoutSeconds, trace.header);
      this.stats.running--;
      if (instance.alive && !this.closed) this.makeIdle(instance);
      else this.forget(instance);
      return this.finish(requestId, runStarted, outcome, cold ? instance.initDurationMs : 0, started);
    } finally {
      this.releaseSlot();
    }
  }

  private finish(
    requestId: string,
    runStarted: number,
    outcome: Outcome,
    initDurationMs: number,
    started = runStarted,
  ): InvokeResult {
    const now = performance.now();
    const duration = now - runStarted;
    let result: InvokeResult;
    if (outcome.ok && outcome.payload.length > MAX_RESPONSE_BYTES) {
      const size = Buffer.byteLength(outcome.payload);
      result = { ok: false, error: responseTooLarge(size), requestId, durationMs: now - started };
    } else if (outcome.ok) {
      result = { ok: true, payload: JSON.parse(outcome.payload), requestId, durationMs: now - started };
    } else {
      result = { ok: false, error: outcome.error, requestId, durationMs: now - started };
    }
    if (!result.ok) {
      this.stats.errors++;
      if (result.error.errorType === 'Sandbox.Timedout') {
        this.stats.timeouts++;
        this.console(requestId, 'ERROR', `Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`);
      } else {
        this.console(requestId, 'ERROR', `Invoke Error \t${JSON.stringify(result.error)}`);
      }
    }
    this.options.onFinished?.(this.options.functionName, duration, result.ok);
    this.platform(requestId, `END RequestId: ${requestId}`);
    const init = initDurationMs ? `\tInit Duration: ${initDurationMs.toFixed(2)} ms` : '';
    this.platform(
      requestId,
      `REPORT RequestId: ${requestId}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: ${this.options.memorySize} MB${init}`,
    );
    return result;
  }

  private platform(requestId: string, message: string) {
    this.options.log({ time: Date.now(), requestId, level: 'PLATFORM', message });
  }

  private console(requestId: string, level: 'ERROR', message: string) {
    this.options.log({ time: Date.now(), requestId, level, message });
  }

  private takeIdle(): FunctionInstance | undefined {
    // Most recently used first: the warmest instance, and idle ones past their time are reclaimed.
    while (this.idle.length) {
      const instance = this.idle.pop()!;
      clearTimeout(this.idleTimers.get(instance));
      this.idleTimers.delete(instance);
      if (instance.alive) return instance;
      this.forget(instance);
    }
    return undefined;
  }

  private makeIdle(instance: FunctionInstance) {
    this.idle.push(instance);
    const timer = setTimeout(() => {
      this.forget(instance);
      void instance.terminate();
    }, this.options.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(instance, timer);
  }

  private acquireSlot(): Promise<boolean> | boolean {
    if (this.options.concurrency === 0) return false;
    if (this.slotsInUse < this.options.concurrency) {
      this.slotsInUse++;
      return true;
    }
    if (this.waiting.length >= this.options.maxQueue) return false;
    this.stats.queued++;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot() {
    const next = this.waiting.shift();
    if (next) {
      this.stats.queued--;
      next(true); // the slot passes straight to the next invocation
    } else this.slotsInUse--;
  }
}
