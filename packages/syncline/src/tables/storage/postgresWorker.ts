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
  /** Echoed in the reply, so that a reply is only ever taken for its own request. */
  id: number;
  ops: BridgeOp[];
  /** Post a reply and signal; a request without one is fire-and-forget (its errors are dropped). */
  reply: boolean;
  /** The connection the caller's open transaction runs on; refused if the connection changed since. */
  conn?: number;
  close?: boolean;
}

export interface BridgeReply {
  id: number;
  results?: Array<unknown[][] | null>;
  error?: { message: string; code?: string };
  /** The connection the batch ran on. */
  conn: number;
  /** What happened to the connection since the last reply (the main thread logs it). */
  events?: BridgeEvent[];
}

/** A connection lost (with PostgreSQL's or the socket's reason) or made again; a worker thrown away (main side). */
export interface BridgeEvent {
  kind: 'lost' | 'reconnected' | 'abandoned';
  message: string;
  code?: string;
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
const CONNECTION_LOST = '08006';
/** SQLSTATEs after which the session is gone: connection exceptions, and the backend terminated or shut down. */
const CONNECTION_ENDED = /^(08|57P0[123])/;

const data = workerData as BridgeWorkerData;
const signal = new Int32Array(data.signal);
const { default: pg } = (await import(data.pgUrl)) as { default: typeof import('pg') };
// Sequences and counts are int8; every value Syncline stores in one stays below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

let client: PgClient | undefined;
let conn = 0;
/** Set when the current client reported an error: it is not used again. */
let broken = false;
const names = new Map<string, string>();
let events: BridgeEvent[] = [];

/** The current connection failed: it is not used again, and the main thread hears why with its next reply. */
function lost(err: Error & { code?: string }): void {
  if (broken) return;
  broken = true;
  events.push({ kind: 'lost', message: err.message, code: err.code });
}

async function connect(): Promise<PgClient> {
  if (client && !broken) return client;
  // The new client replaces the old one only once it is connected and set up: a failed attempt leaves the old one
  // marked broken, so the next request tries again instead of using a dead connection.
  const next = new pg.Client({ connectionString: data.url, keepAlive: true, connectionTimeoutMillis: 10_000 });
  next.on('error', (err: Error & { code?: string }) => {
    if (next === client) lost(err);
  });
  // Another node changed the table catalog: the main thread reloads its catalog cache before its next transaction.
  next.on('notification', () => {
    Atomics.add(signal, 1, 1);
  });
  try {
    await next.connect();
    for (const sql of data.setup) await next.query(sql);
  } catch (error) {
    next.end().catch(() => {});
    throw error;
  }
  const replaced = client;
  client = next;
  broken = false;
  names.clear();
  conn++;
  if (replaced) {
    replaced.end().catch(() => {});
    events.push({ kind: 'reconnected', message: `connection ${conn} open` });
  }
  // Whatever this node cached may have changed while it was disconnected.
  Atomics.add(signal, 1, 1);
  return next;
}

async function run(request: BridgeRequest): Promise<Omit<BridgeReply, 'id' | 'events'>> {
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
    // A connection that failed took its transaction with it, whatever PostgreSQL said last (57P01 on a terminated
    // backend, or nothing at all on a dropped socket).
    if (e.code && CONNECTION_ENDED.test(e.code)) lost(e);
    const code = broken ? CONNECTION_LOST : e.code;
    return { error: { message: e.message, code }, conn };
  }
}

function answer(reply: BridgeReply): void {
  try {
    data.port.postMessage(reply);
  } catch (error) {
    // A result that cannot be cloned must still be answered, or the caller would wait for nothing.
    data.port.postMessage({ id: reply.id, conn: reply.conn, error: { message: (error as Error).message } });
  }
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let chain: Promise<unknown> = Promise.resolve();
data.port.on('message', (request: BridgeRequest) => {
  chain = chain
    .then(async () => {
      const reply = await run(request);
      if (!request.reply) return;
      const happened = events;
      events = [];
      answer({ ...reply, id: request.id, ...(happened.length ? { events: happened } : {}) });
    })
    // One failed request must not stop the ones behind it.
    .catch(() => {});
});
