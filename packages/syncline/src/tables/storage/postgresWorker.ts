// The worker side of the PostgreSQL bridge (see postgresBridge.ts and docs/decisions/0005): one `pg` connection,
// running the statement batches the main thread sends, one batch at a time, in order. A reply is posted on the
// port and signalled through shared memory, because the main thread is blocked in Atomics.wait and cannot run
// its event loop to receive it. This file imports nothing but Node built-ins at load time: it may be loaded from
// a data: URL (in tests, from the TypeScript source), so `pg` comes by its absolute URL in workerData.
import { type MessagePort, workerData } from 'node:worker_threads';
import type { Client as PgClient } from 'pg';

export interface BridgeOp {
  sql: string;
  params?: unknown[];
  /** Return this statement's rows (as arrays); otherwise only whether it succeeded. */
  rows?: boolean;
}

export interface BridgeRequest {
  ops: BridgeOp[];
  /** Post a reply and signal; a request without one is fire-and-forget (its errors are dropped). */
  reply: boolean;
  /** The connection the caller's open transaction runs on; refused if the connection changed since. */
  conn?: number;
  close?: boolean;
}

export interface BridgeReply {
  results?: Array<unknown[][] | null>;
  error?: { message: string; code?: string };
  /** The connection the batch ran on. */
  conn: number;
}

export interface BridgeWorkerData {
  url: string;
  pgUrl: string;
  port: MessagePort;
  /** Int32Array over a SharedArrayBuffer: [0] reply ready, [1] catalog change count. */
  signal: SharedArrayBuffer;
  setup: string[];
}

/** A connection lost while a transaction was open on it: the caller must roll back and may retry. */
export const CONNECTION_LOST = '08006';

const data = workerData as BridgeWorkerData;
const signal = new Int32Array(data.signal);
const { default: pg } = (await import(data.pgUrl)) as { default: typeof import('pg') };
// Sequences and counts are int8; every value Syncline stores in one stays below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

let client: PgClient | undefined;
let conn = 0;
let broken = false;
const names = new Map<string, string>();

async function connect(): Promise<PgClient> {
  if (client && !broken) return client;
  if (client) client.end().catch(() => {});
  broken = false;
  names.clear();
  const next = new pg.Client({ connectionString: data.url });
  next.on('error', () => {
    broken = true;
  });
  // Another node changed the table catalog: the main thread reloads its catalog cache before its next transaction.
  next.on('notification', () => {
    Atomics.add(signal, 1, 1);
  });
  await next.connect();
  for (const sql of data.setup) await next.query(sql);
  client = next;
  conn++;
  // Whatever this node cached may have changed while it was disconnected.
  Atomics.add(signal, 1, 1);
  return next;
}

async function run(request: BridgeRequest): Promise<BridgeReply> {
  if (request.close) {
    await client?.end().catch(() => {});
    client = undefined;
    return { results: [], conn };
  }
  try {
    if (request.conn !== undefined && (request.conn !== conn || broken)) {
      throw Object.assign(new Error('the connection to PostgreSQL was lost during the transaction'), {
        code: CONNECTION_LOST,
      });
    }
    const c = await connect();
    const results: Array<unknown[][] | null> = [];
    for (const op of request.ops) {
      // Statements with parameters are prepared once per connection and named by their text.
      let name: string | undefined;
      if (op.params?.length) {
        name = names.get(op.sql);
        if (!name) names.set(op.sql, (name = `s${names.size}`));
      }
      const result = await c.query({ name, text: op.sql, values: op.params, rowMode: 'array' });
      results.push(op.rows ? (result.rows as unknown[][]) : null);
    }
    return { results, conn };
  } catch (error) {
    const e = error as Error & { code?: string };
    const code = broken && !e.code ? CONNECTION_LOST : e.code;
    return { error: { message: e.message, code }, conn };
  }
}

let chain: Promise<unknown> = Promise.resolve();
data.port.on('message', (request: BridgeRequest) => {
  chain = chain.then(async () => {
    const reply = await run(request);
    if (!request.reply) return;
    data.port.postMessage(reply);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
