// The synchronous PostgreSQL bridge (docs/decisions/0005) when a call outlives its wait: every later call must get
// its own answer, never the late answer of the call that gave up.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeEvent, PostgresError, SyncBridge } from '../../src/tables/storage/postgresBridge.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from './postgresDatabase.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the PostgreSQL bridge when a call or its connection fails', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a late answer is never taken for a later call’s answer', async () => {
    // Another session (a peer that died holding a lock, as far as this node can tell) holds an advisory lock.
    const peer = new pg.Client({ connectionString: db.url });
    await peer.connect();
    await peer.query('BEGIN');
    await peer.query('SELECT pg_advisory_xact_lock(42)');
    const bridge = new SyncBridge(db.url, [], { callTimeoutMs: 2000 });
    try {
      expect(bridge.call([{ sql: 'SELECT 0', rows: true }]).results).toEqual([[[0]]]);
      expect(() => bridge.call([{ sql: "SELECT 'late' FROM pg_advisory_xact_lock(42)", rows: true }])).toThrow(
        PostgresError,
      );
      // The lock is released: the abandoned statement completes and its answer arrives after its caller gave up.
      await peer.query('COMMIT');
      await sleep(300);
      for (let i = 1; i <= 5; i++) {
        let answer: unknown;
        try {
          answer = bridge.call([{ sql: `SELECT ${i}`, rows: true }]).results;
        } catch (error) {
          // Failing a call is allowed (the bridge may be reconnecting); answering it with another's rows is not.
          expect(error).toBeInstanceOf(PostgresError);
          continue;
        }
        expect(answer).toEqual([[[i]]]);
      }
      expect(bridge.call([{ sql: 'SELECT 6', rows: true }]).results).toEqual([[[6]]]);
    } finally {
      bridge.close();
      await peer.end();
    }
  });

  it('a terminated connection is reported and replaced, even when the first attempt to reconnect fails', async () => {
    const events: BridgeEvent[] = [];
    const bridge = new SyncBridge(db.url, [], { onEvent: (e) => events.push(e) });
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const name = new URL(db.url).pathname.slice(1);
    const terminate = () =>
      admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
    try {
      const [[[pid]]] = bridge.call([{ sql: 'SELECT pg_backend_pid()', rows: true }]).results as number[][][];
      // The database refuses new sessions while the bridge's is terminated: the reconnect attempt fails.
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await terminate();
      await sleep(200);
      expect(() => bridge.call([{ sql: 'SELECT 1', rows: true }])).toThrow(PostgresError);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      const [[[again]]] = bridge.call([{ sql: 'SELECT pg_backend_pid()', rows: true }]).results as number[][][];
      expect(again).not.toBe(pid);
      expect(events.map((e) => e.kind)).toEqual(['lost', 'reconnected']);
    } finally {
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      bridge.close();
      await admin.end();
    }
  });

  it('a worker that dies is replaced by the next call, which gets its own answer', async () => {
    const events: BridgeEvent[] = [];
    const bridge = new SyncBridge(db.url, [], { onEvent: (e) => events.push(e), callTimeoutMs: 5000 });
    try {
      expect(bridge.call([{ sql: 'SELECT 1', rows: true }]).results).toEqual([[[1]]]);
      // The worker thread ends as a crash would end it (it is private: reached here to play the crash).
      const { worker } = (bridge as unknown as { link: { worker: import('node:worker_threads').Worker } }).link;
      await Promise.all([new Promise((r) => worker.once('exit', r)), worker.terminate()]);
      // Without noticing, the call would wait its whole limit for an answer that never comes, then fail.
      expect(bridge.call([{ sql: 'SELECT 2', rows: true }]).results).toEqual([[[2]]]);
      expect(events.map((e) => e.kind)).toEqual(['abandoned']);
    } finally {
      bridge.close();
    }
  });
});
