// One execution environment of a function: a worker thread running the handler module, one invocation at a
// time. The server side owns the clock: it stops an invocation at its timeout by terminating the thread (which
// also ends infinite loops), and any exit, crash or out-of-memory ends the instance, never the server.
import { Worker } from 'node:worker_threads';
import { outOfMemory, runtimeExited, timedOut } from './errors.js';
import type { ConsoleLevel, FromWorker, ToWorker, WorkerSpec } from './protocol.js';
import type { LambdaError } from './types.js';

export type Outcome = { ok: true; payload: string } | { ok: false; error: LambdaError };

export interface InstanceOptions {
  runtime: string;
  spec: WorkerSpec;
  env: Record<string, string>;
  /** The console line sink; `requestId` is the invocation the output belongs to. */
  onLog: (requestId: string | null, level: ConsoleLevel, message: string, time: number) => void;
  /** How long the init phase (importing the handler) may take, ms. Lambda allows 10 s. */
  initTimeoutMs: number;
  /** Called once when the instance ends (crash, exit, timeout, init failure); not for terminate(). */
  onEnd: (instance: FunctionInstance) => void;
}

interface Running {
  requestId: string;
  resolve: (outcome: Outcome) => void;
  timer: NodeJS.Timeout;
}

export class FunctionInstance {
  /** Resolves with null once the handler module is loaded, or with the init error. */
  readonly ready: Promise<LambdaError | null>;
  readonly initStartedAt = performance.now();
  initDurationMs = 0;
  /** False once the thread is gone or going; a dead instance is never handed another invocation. */
  alive = true;
  /** The request id of the running invocation, or of the last one (late output is tagged with it). */
  private lastRequestId: string | null = null;
  private running: Running | null = null;
  private readonly worker: Worker;
  private settleReady!: (error: LambdaError | null) => void;

  constructor(private readonly options: InstanceOptions) {
    this.ready = new Promise((resolve) => {
      this.settleReady = resolve;
    });
    this.worker = new Worker(options.runtime, {
      workerData: options.spec,
      env: options.env,
      execArgv: ['--enable-source-maps'],
      resourceLimits: { maxOldGenerationSizeMb: options.spec.memorySize },
      stdout: true,
      stderr: true,
    });
    // The runtime forwards process.stdout/stderr writes itself; this catches output from below JavaScript.
    this.worker.stdout.setEncoding('utf8').on('data', (text: string) => this.raw('INFO', text));
    this.worker.stderr.setEncoding('utf8').on('data', (text: string) => this.raw('ERROR', text));
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('error', (error) => {
      const oom = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      const id = this.running?.requestId ?? 'init';
      this.end(oom ? outOfMemory(id) : runtimeExited(id, 1), false);
    });
    this.worker.on('exit', (code) => this.end(runtimeExited(this.running?.requestId ?? 'init', code), false));
    const initTimer = setTimeout(() => {
      this.end(
        {
          errorType: 'Sandbox.Timedout',
          errorMessage: `INIT phase timed out after ${(options.initTimeoutMs / 1000).toFixed(2)} seconds`,
        },
        true,
      );
    }, options.initTimeoutMs);
    void this.ready.then(() => clearTimeout(initTimer));
  }

  /** Runs one invocation; the caller guarantees the instance is ready, alive and idle. */
  run(requestId: string, event: string, timeoutSeconds: number, traceId: string): Promise<Outcome> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    this.lastRequestId = requestId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.end(timedOut(requestId, timeoutSeconds), true), timeoutSeconds * 1000);
      this.running = { requestId, resolve, timer };
      const message: ToWorker = { type: 'invoke', requestId, event, deadline, traceId };
      this.worker.postMessage(message);
    });
  }

  terminate(): Promise<void> {
    this.alive = false;
    return this.worker.terminate().then(() => undefined);
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.initDurationMs = performance.now() - this.initStartedAt;
        this.settleReady(null);
        return;
      case 'initError':
        this.initDurationMs = performance.now() - this.initStartedAt;
        this.end(message.error, true);
        return;
      case 'log':
        this.options.onLog(message.requestId, message.level, message.message, message.time);
        return;
      case 'result': {
        const running = this.running;
        if (!running || running.requestId !== message.requestId) return;
        clearTimeout(running.timer);
        this.running = null;
        running.resolve(message.ok ? { ok: true, payload: message.payload } : { ok: false, error: message.error });
        return;
      }
      case 'fatal':
        this.end(message.error, true);
        return;
    }
  }

  private raw(level: ConsoleLevel, text: string): void {
    for (const line of text.split('\n')) {
      if (line) this.options.onLog(this.running?.requestId ?? this.lastRequestId, level, line, Date.now());
    }
  }

  /** Ends the instance: the running invocation (or the init phase) fails with `error`. */
  private end(error: LambdaError, terminate: boolean): void {
    const wasAlive = this.alive;
    this.alive = false;
    this.settleReady(error);
    const running = this.running;
    if (running) {
      this.running = null;
      clearTimeout(running.timer);
      running.resolve({ ok: false, error });
    }
    if (!wasAlive) return;
    if (terminate) void this.worker.terminate();
    this.options.onEnd(this);
  }
}
