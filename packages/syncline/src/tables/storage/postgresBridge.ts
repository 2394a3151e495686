// A synchronous face over the asynchronous `pg` client (docs/decisions/0005-postgres-behind-a-synchronous-port.md):
// a worker thread owns the connection; `call` posts a batch of statements and blocks this thread in Atomics.wait
// until the worker signals its reply, which is then taken off the port with receiveMessageOnPort. The event loop
// is blocked for the duration of each batch, so callers batch: statements whose results nobody needs ride along
// with the next one that does.
//
// Every request carries an id and its reply the same id: a reply is only ever taken as the answer to the request
// it belongs to. A call that gives up waiting leaves its worker in an unknown state (still running the batch, a
// transaction perhaps open), so that worker is thrown away with its connection and the next call starts a fresh
// one; nothing it sends later can reach this side.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { transformSync } from 'esbuild';
import type { BridgeEvent, BridgeOp, BridgeReply, BridgeRequest, BridgeWorkerData } from './postgresWorker.js';

export type { BridgeEvent, BridgeOp } from './postgresWorker.js';

/** An error PostgreSQL (or the connection to it) reported, with its SQLSTATE code. */
export class PostgresError extends Error {
  override name = 'PostgresError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The connection a transaction ran on is gone (SQLSTATE connection_failure): roll back, maybe retry. */
export const CONNECTION_LOST = '08006';
/** The bridge gave up waiting (SQLSTATE query_canceled): the outcome is unknown, so nobody retries it. */
export const CALL_TIMED_OUT = '57014';

const require = createRequire(import.meta.url);

/** A batch that takes longer than this is abandoned: the database or the worker is gone. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
/** How long a new worker may take to start and connect (PostgreSQL refusing a connection is an error, not a wait). */
const START_TIMEOUT_MS = 30_000;
/** Worker generations are told apart in connection numbers: generation × this + the worker's own number. */
const GENERATION = 2 ** 32;

/** The worker as a URL Node can start: worker.js when built (dist/), else the TypeScript source stripped of types. */
function workerUrl(): URL {
  const js = new URL('./postgresWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  const source = fileURLToPath(new URL('./postgresWorker.ts', import.meta.url));
  const { code } = transformSync(readFileSync(source, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
  });
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

export interface SyncBridgeOptions {
  /** How long one batch may take before it is abandoned with its worker (default 120 s). */
  callTimeoutMs?: number;
  /** Told of connections lost and made, and of workers thrown away (the storage logs them). */
  onEvent?(event: BridgeEvent): void;
}

/** One worker thread with its channel and its shared signal: [0] reply ready, [1] catalog change count. */
interface Link {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  generation: number;
  /** No reply yet: the worker may still be starting (loading `pg`, connecting), which the first call waits for. */
  fresh: boolean;
  /** The worker failed or exited: the next call starts another instead of waiting for an answer that never comes. */
  dead: boolean;
}

export class SyncBridge {
  private link: Link;
  private generation = 0;
  private nextId = 1;
  /** Change counts of the workers thrown away (each also counts one change: a new connection sees afresh). */
  private changeBase = 0;
  private closed = false;

  /** `setup`: statements run on every new connection (search path, session settings, LISTEN). */
  constructor(
    private readonly url: string,
    private readonly setup: string[],
    private readonly options: SyncBridgeOptions = {},
  ) {
    this.link = this.startWorker();
  }

  /** How many catalog change notifications (and reconnects) this node has seen. */
  get changes(): number {
    return this.changeBase + Atomics.load(this.link.signal, 1);
  }

  /**
   * Runs `ops` in order and returns each one's rows (null for ops that asked for none); throws PostgresError.
   * `conn`: the connection the caller's open transaction runs on; the call is refused if it is gone.
   * `timeoutMs`: this call's own limit, for the rare call that may rightly wait long (migrations).
   */
  call(ops: BridgeOp[], conn?: number, timeoutMs?: number): { results: Array<unknown[][] | null>; conn: number } {
    if (this.closed) throw new PostgresError('storage: the PostgreSQL storage is closed', undefined);
    if (this.link.dead) this.restart('the worker had stopped');
    const link = this.link;
    let workerConn: number | undefined;
    if (conn !== undefined) {
      if (Math.floor(conn / GENERATION) !== link.generation) {
        throw new PostgresError(
          'storage: the connection to PostgreSQL was lost during the transaction',
          CONNECTION_LOST,
        );
      }
      workerConn = conn % GENERATION;
    }
    const id = this.nextId++;
    link.port.postMessage({ id, ops, reply: true, conn: workerConn } satisfies BridgeRequest);
    const reply = this.await(link, id, timeoutMs ?? this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
    if (reply.events) for (const event of reply.events) this.options.onEvent?.(event);
    if (reply.error) throw new PostgresError(reply.error.message, reply.error.code);
    const results = reply.results ?? [];
    // A reply always answers every statement it was sent; anything else is a broken bridge, never an answer.
    if (results.length !== ops.length) {
      this.restart(`a reply carried ${results.length} results for ${ops.length} statements`);
      throw new PostgresError('storage: the PostgreSQL worker sent a malformed reply', CALL_TIMED_OUT);
    }
    return { results, conn: link.generation * GENERATION + reply.conn };
  }

  /** Sends `ops` without waiting (ending a read-only transaction: nobody needs to know when it ended). */
  send(ops: BridgeOp[]): void {
    if (this.closed) return;
    this.link.port.postMessage({ id: 0, ops, reply: false } satisfies BridgeRequest);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { port, signal, worker } = this.link;
    try {
      const id = this.nextId++;
      port.postMessage({ id, ops: [], reply: true, close: true } satisfies BridgeRequest);
      const end = Date.now() + 5000;
      while (Date.now() < end) {
        if (Atomics.wait(signal, 0, 0, end - Date.now()) === 'timed-out') break;
        Atomics.store(signal, 0, 0);
        if (this.drain(port, id)) break;
      }
    } finally {
      port.close();
      void worker.terminate();
    }
  }

  /** Blocks until the reply to request `id` arrives; replies to other (abandoned) requests are dropped. */
  private await(link: Link, id: number, callTimeoutMs: number): BridgeReply {
    const timeoutMs = link.fresh ? Math.max(callTimeoutMs, START_TIMEOUT_MS) : callTimeoutMs;
    const end = Date.now() + timeoutMs;
    for (;;) {
      const left = end - Date.now();
      const waited = left > 0 ? Atomics.wait(link.signal, 0, 0, left) : 'timed-out';
      if (waited === 'timed-out') {
        this.restart(`no answer within ${timeoutMs} ms`);
        throw new PostgresError(`storage: PostgreSQL did not answer within ${timeoutMs} ms`, CALL_TIMED_OUT);
      }
      // Cleared before reading: a reply posted after the drain sets it again and wakes the next wait.
      Atomics.store(link.signal, 0, 0);
      const reply = this.drain(link.port, id);
      if (reply) {
        link.fresh = false;
        return reply;
      }
    }
  }

  /** Takes every reply off the port; returns the one for `id`, if it came. */
  private drain(port: MessagePort, id: number): BridgeReply | undefined {
    let found: BridgeReply | undefined;
    for (;;) {
      const message = receiveMessageOnPort(port)?.message as BridgeReply | undefined;
      if (!message) return found;
      if (message.id === id) found = message;
    }
  }

  /** Throws the worker away with its connection (PostgreSQL rolls back what it had open) and starts another. */
  private restart(reason: string): void {
    const old = this.link;
    this.changeBase += Atomics.load(old.signal, 1) + 1;
    old.port.close();
    void old.worker.terminate();
    this.options.onEvent?.({ kind: 'abandoned', message: reason });
    this.link = this.startWorker();
  }

  private startWorker(): Link {
    const generation = ++this.generation;
    const shared = new SharedArrayBuffer(8);
    const { port1, port2 } = new MessageChannel();
    const workerData: BridgeWorkerData = {
      url: this.url,
      pgUrl: pathToFileURL(require.resolve('pg')).href,
      port: port2,
      signal: shared,
      setup: this.setup,
    };
    const worker = new Worker(workerUrl(), { workerData, transferList: [port2] });
    const link: Link = { worker, port: port1, signal: new Int32Array(shared), generation, fresh: true, dead: false };
    // A worker that dies stops answering: a call waiting on it times out, and the next call starts another.
    // Unheard, its error event would take the whole process down.
    worker.on('error', (err) => {
      link.dead = true;
      this.options.onEvent?.({ kind: 'abandoned', message: `worker failed: ${err.message}` });
    });
    worker.on('exit', () => {
      link.dead = true;
    });
    // Neither keeps the process alive: the storage's close() ends them.
    worker.unref();
    port1.unref();
    return link;
  }
}
