// A synchronous face over the asynchronous `pg` client (docs/decisions/0005-postgres-behind-a-synchronous-port.md):
// a worker thread owns the connection; `call` posts a batch of statements and blocks this thread in Atomics.wait
// until the worker signals its reply, which is then taken off the port with receiveMessageOnPort. The event loop
// is blocked for the duration of each batch, so callers batch: statements whose results nobody needs ride along
// with the next one that does.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { transformSync } from 'esbuild';
import type { BridgeOp, BridgeReply, BridgeRequest, BridgeWorkerData } from './postgresWorker.js';

export type { BridgeOp } from './postgresWorker.js';

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

const require = createRequire(import.meta.url);

/** A batch that takes longer than this is abandoned: the database or the worker is gone. */
const CALL_TIMEOUT_MS = 120_000;

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

export class SyncBridge {
  private readonly signal: Int32Array;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private closed = false;

  /** `setup`: statements run on every new connection (search path, session settings, LISTEN). */
  constructor(url: string, setup: string[]) {
    const shared = new SharedArrayBuffer(8);
    this.signal = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: BridgeWorkerData = {
      url,
      pgUrl: pathToFileURL(require.resolve('pg')).href,
      port: port2,
      signal: shared,
      setup,
    };
    this.worker = new Worker(workerUrl(), { workerData, transferList: [port2] });
    // Neither keeps the process alive: the storage's close() ends them.
    this.worker.unref();
    this.port.unref();
  }

  /** How many catalog change notifications (and reconnects) the worker has seen. */
  get changes(): number {
    return Atomics.load(this.signal, 1);
  }

  /** Runs `ops` in order and returns each one's rows (null for ops that asked for none); throws PostgresError. */
  call(ops: BridgeOp[], conn?: number): { results: Array<unknown[][] | null>; conn: number } {
    if (this.closed) throw new PostgresError('storage: the PostgreSQL storage is closed', undefined);
    const request: BridgeRequest = { ops, reply: true, conn };
    this.port.postMessage(request);
    const waited = Atomics.wait(this.signal, 0, 0, CALL_TIMEOUT_MS);
    if (waited === 'timed-out') throw new PostgresError('storage: PostgreSQL did not answer in time', '57014');
    Atomics.store(this.signal, 0, 0);
    const reply = receiveMessageOnPort(this.port)?.message as BridgeReply | undefined;
    if (!reply) throw new PostgresError('storage: the PostgreSQL worker sent no reply', undefined);
    if (reply.error) throw new PostgresError(reply.error.message, reply.error.code);
    return { results: reply.results ?? [], conn: reply.conn };
  }

  /** Sends `ops` without waiting (ending a read-only transaction: nobody needs to know when it ended). */
  send(ops: BridgeOp[]): void {
    if (this.closed) return;
    const request: BridgeRequest = { ops, reply: false };
    this.port.postMessage(request);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.port.postMessage({ ops: [], reply: true, close: true } satisfies BridgeRequest);
      Atomics.wait(this.signal, 0, 0, 5000);
      receiveMessageOnPort(this.port);
    } finally {
      this.closed = true;
      this.port.close();
      void this.worker.terminate();
    }
  }
}
