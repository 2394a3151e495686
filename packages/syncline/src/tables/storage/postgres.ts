// The PostgreSQL storage adapter: the same port as SQLite, for several Syncline nodes sharing one database.
// The port is synchronous; `pg` is not. Statements go through a worker thread that blocks this thread while
// PostgreSQL answers (postgresBridge.ts; why: docs/decisions/0005-postgres-behind-a-synchronous-port.md).
// Each blocking round trip costs the whole event loop, so statements whose result nobody needs (row writes, meta
// writes, BEGIN) are queued and ride with the next statement that returns something, or with COMMIT.
//
// Concurrency between nodes: write transactions run at READ COMMITTED, and every item read inside one first
// takes an exclusive lock on the item's key (locked_get in postgresSchema.ts). A conditional write therefore
// checks its condition against the latest committed item and nobody changes it before the write commits: two
// nodes writing one item behave as two requests to DynamoDB, one after the other. Deadlocks (two transactions
// taking two items in opposite order) and lost connections abort the transaction, which is run again.
import { partitionHash, segmentBounds } from './partitioning.js';
import type { RangeOptions, Row, ScanOptions, Storage, StorageTx, StreamRecordRow, TableStats } from './port.js';
import {
  type BridgeEvent,
  type BridgeOp,
  CONNECTION_LOST,
  DEFAULT_CALL_TIMEOUT_MS,
  PostgresError,
  SyncBridge,
} from './postgresBridge.js';
import { MIGRATION_LOCK, MIGRATIONS, SCHEMA_NAME } from './postgresSchema.js';

const EMPTY: Buffer = Buffer.alloc(0);
const DEFAULT_BATCH = 256;
/** A transaction that hits a deadlock or loses its connection runs again, this many times in all. */
const MAX_ATTEMPTS = 5;
const CATALOG_CHANNEL = 'syncline_catalog';
/**
 * A session left idle inside a transaction this long is ended by PostgreSQL, releasing its locks. Syncline's own
 * transactions are never idle for more than an event-loop turn; a node that froze or vanished mid-transaction
 * would otherwise hold the item and shard locks it took until the operating system gives up on its socket.
 */
const DEFAULT_IDLE_IN_TRANSACTION_MS = 10_000;
/** Retried: serialization failure, deadlock, connection lost during the transaction. */
const RETRYABLE = new Set(['40001', '40P01', CONNECTION_LOST]);

/** What the cluster layer (leases, schedules) needs beyond the port: single statements in their own transaction. */
export interface PostgresStorage extends Storage {
  readonly kind: 'postgres';
  /** Runs one statement outside any transaction (autocommit) and returns its rows as arrays. */
  execute(sql: string, params?: unknown[]): unknown[][];
}

/** How the storage reports what happens to its connection (a pino logger fits). */
export interface PostgresStorageLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PostgresStorageOptions {
  log?: PostgresStorageLog;
  /** How long one round trip may block before its worker and connection are dropped (default 120 s). */
  callTimeoutMs?: number;
  /** PostgreSQL ends a session idle in a transaction this long, releasing its locks (default 10 s). */
  idleInTransactionTimeoutMs?: number;
}

export function isPostgresStorage(storage: Storage): storage is PostgresStorage {
  return (storage as Partial<PostgresStorage>).kind === 'postgres';
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The URL with its password masked, for logs. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

/** A 64-bit advisory lock key for an item: table, partition hash and sort key hash. Collisions only cost waiting. */
function itemLockKey(t: number, h: number, sk: Buffer): string {
  const high = BigInt((h ^ Math.imul(t, 0x9e3779b1)) >>> 0);
  return BigInt.asIntN(64, (high << 32n) | BigInt(partitionHash(sk))).toString();
}

interface Appends {
  streams: string[];
  shards: string[];
  created: number[];
  records: string[];
}

const noAppends = (): Appends => ({ streams: [], shards: [], created: [], records: [] });

/**
 * The storages of this process with a group open. A group holds item locks until its COMMIT on setImmediate; a
 * second storage of the same process (two servers in one test process) waiting for one of them would block the
 * thread that is to commit it. So any storage call first commits the other storages' open groups.
 */
const openGroups = new Set<PgStorage>();

interface GroupMember {
  resolve(): void;
  reject(error: unknown): void;
}

class PgStorage implements PostgresStorage {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly bridge: SyncBridge;
  private readonly tx: StorageTx;
  private pending: BridgeOp[] = [];
  private appends: Appends = noAppends();
  private mode: 'write' | 'read' | undefined;
  private depth = 0;
  /** The connection the open transaction started on (set by its first round trip). */
  private conn: number | undefined;
  /** The first storage error inside the open transaction: it is doomed, whatever the engine made of the error. */
  private failure: PostgresError | undefined;
  private readonly tableIds = new Map<string, number>();
  private readonly descriptions = new Map<string, string>();
  private seenChanges = -1;
  /** Round trips made, so a failing group member knows whether any of its statements reached the database. */
  private trips = 0;
  private catalogWrites = 0;
  /** Inside a `grouped` call: transactions become savepoints of the group's transaction. */
  private grouping = false;
  /** The open group transaction's members, waiting for its commit; undefined when no group is open. */
  private group: GroupMember[] | undefined;
  /** Stream records of the group's released savepoints, appended (and numbered) at the group's COMMIT. */
  private groupAppends: Appends = noAppends();
  /** The last group the current `grouped` call wrote to. */
  private joined: GroupMember[] | undefined;
  /** Set when a group fails during a `grouped` call, with the error that failed it. */
  private lostGroup: { error: unknown } | undefined;
  private readonly callTimeoutMs: number;

  constructor(url: string, options: PostgresStorageOptions = {}) {
    this.location = maskUrl(url);
    const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    // A statement stuck on a lock is cancelled by PostgreSQL a little before the bridge would give up on it, so the
    // worker answers with an error and keeps its connection.
    const statementTimeoutMs = Math.max(1, callTimeoutMs - Math.min(5000, Math.floor(callTimeoutMs / 4)));
    const idleMs = options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_MS;
    this.bridge = new SyncBridge(
      url,
      [
        `SET search_path TO ${SCHEMA_NAME}`,
        `LISTEN ${CATALOG_CHANNEL}`,
        // Deadlocks between item locks are resolved by retrying; PostgreSQL's 1 s default detection is slow for
        // that. Only a superuser may lower it, so a refusal is ignored.
        `DO $$ BEGIN PERFORM set_config('deadlock_timeout', '50ms', false); EXCEPTION WHEN OTHERS THEN NULL; END $$`,
        // The server probes this session's socket, so a node whose machine vanished loses its session (and locks)
        // in about 25 s instead of the operating system's two hours.
        `SET statement_timeout = ${statementTimeoutMs}; SET idle_in_transaction_session_timeout = ${idleMs};
         SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`,
      ],
      { callTimeoutMs, onEvent: (event) => this.logEvent(options.log, event) },
    );
    this.callTimeoutMs = callTimeoutMs;
    try {
      this.migrate(statementTimeoutMs);
    } catch (error) {
      this.bridge.close();
      throw error;
    }
    this.tx = this.createTx();
  }

  transaction<T>(fn: (tx: StorageTx) => T): T {
    if (this.depth > 0) return fn(this.tx);
    this.commitOtherGroups();
    if (this.grouping) return this.inGroup(fn);
    // A transaction of its own is durable when it returns, so the open group commits first.
    this.commitGroup();
    for (let attempt = 1; ; attempt++) {
      this.checkCatalog();
      this.begin('write', 'BEGIN');
      const catalogWrites = this.catalogWrites;
      let committing = false;
      try {
        const value = fn(this.tx);
        if (this.failure) throw this.failure;
        committing = true;
        this.commit();
        return value;
      } catch (error) {
        const cause = this.failure ?? error;
        this.rollback();
        if (this.catalogWrites !== catalogWrites) this.seenChanges = -1;
        // A connection lost while COMMIT was on its way may have committed: running again could apply twice.
        const unknownOutcome = committing && cause instanceof PostgresError && cause.code === CONNECTION_LOST;
        if (
          cause instanceof PostgresError &&
          RETRYABLE.has(cause.code ?? '') &&
          !unknownOutcome &&
          attempt < MAX_ATTEMPTS
        ) {
          continue;
        }
        throw cause;
      } finally {
        this.end();
      }
    }
  }

  read<T>(fn: (tx: StorageTx) => T): T {
    if (this.depth > 0) return fn(this.tx);
    this.commitOtherGroups();
    // Reads never join a group (a READ COMMITTED group has no single snapshot): the open group commits first.
    this.commitGroup();
    this.checkCatalog();
    this.begin('read', 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return fn(this.tx);
    } finally {
      // A read ends without waiting: nothing depends on when its snapshot is released.
      if (this.conn !== undefined) this.bridge.send([{ sql: 'COMMIT' }]);
      this.end();
    }
  }

  /**
   * Group commit as on SQLite (docs/decisions/0004 and the addendum of 0005): the write transactions of one
   * event-loop turn's requests share one PostgreSQL transaction, a SAVEPOINT each, committed on setImmediate.
   */
  grouped<T>(fn: () => T): Promise<T> {
    // A programming error: groups do not nest, and a group cannot open inside a transaction.
    if (this.grouping || this.depth > 0) throw new Error('storage: grouped() called inside a transaction');
    this.grouping = true;
    this.joined = undefined;
    this.lostGroup = undefined;
    let value: T;
    try {
      value = fn();
    } catch (error) {
      if (this.lostGroup) return Promise.reject((this.lostGroup as { error: unknown }).error);
      if (!this.joined || this.joined !== this.group) return Promise.reject(error);
      return this.afterCommit(() => Promise.reject(error));
    } finally {
      this.grouping = false;
    }
    // Whatever this call wrote went down with a failed group: it must not be acknowledged.
    const lost = this.lostGroup as { error: unknown } | undefined;
    if (lost) return Promise.reject(lost.error);
    // Not joined, or its group already committed (a later call committed it first).
    if (!this.joined || this.joined !== this.group) return Promise.resolve(value);
    return this.afterCommit(() => value);
  }

  execute(sql: string, params?: unknown[]): unknown[][] {
    this.commitOtherGroups();
    this.commitGroup();
    return this.query(sql, params);
  }

  close(): void {
    this.commitGroup();
    this.bridge.close();
  }

  private logEvent(log: PostgresStorageLog | undefined, event: BridgeEvent): void {
    if (!log) return;
    const context = { database: this.location, reason: event.message, code: event.code };
    if (event.kind === 'lost') log.warn(context, 'PostgreSQL connection lost');
    else if (event.kind === 'reconnected') log.warn(context, 'reconnected to PostgreSQL');
    else log.error(context, 'PostgreSQL connection dropped: the worker stopped answering; a new one takes over');
  }

  private commitOtherGroups(): void {
    for (const other of openGroups) if (other !== this) other.commitGroup();
  }

  /** Settles with `then` after the open group commits, or with the commit's error. */
  private afterCommit<T>(then: () => T | Promise<T>): Promise<T> {
    const group = this.group!;
    return new Promise<void>((resolve, reject) => group.push({ resolve, reject })).then(then);
  }

  /** One request of a group: a savepoint in the group's transaction, opening the group if needed. */
  private inGroup<T>(fn: (tx: StorageTx) => T): T {
    if (!this.group) {
      this.group = [];
      openGroups.add(this);
      this.groupAppends = noAppends();
      this.conn = undefined;
      this.pending.push({ sql: 'BEGIN' });
      // After this turn's I/O callbacks (the requests that arrived together) have run.
      setImmediate(() => this.commitGroup());
    }
    // Inside the group's transaction, so a member sees the catalog as the members before it left it (a member
    // that rolled back a catalog change reset the caches).
    try {
      this.checkCatalog();
    } catch (error) {
      this.failGroup(error);
      throw error;
    }
    const group = this.group;
    this.joined = group;
    // Statements before `mark` belong to earlier members; a member that made no round trip only drops its own.
    const mark = this.pending.length;
    const trips = this.trips;
    this.pending.push({ sql: 'SAVEPOINT request' });
    this.depth++;
    this.mode = 'write';
    this.failure = undefined;
    this.appends = noAppends();
    const catalogWrites = this.catalogWrites;
    let cause: unknown;
    try {
      const value = fn(this.tx);
      if (this.failure) throw this.failure;
      this.pending.push({ sql: 'RELEASE SAVEPOINT request' });
      const a = this.appends;
      const g = this.groupAppends;
      g.streams.push(...a.streams);
      g.shards.push(...a.shards);
      g.created.push(...a.created);
      g.records.push(...a.records);
      return value;
    } catch (error) {
      cause = this.failure ?? error;
    } finally {
      this.depth--;
      this.mode = undefined;
      this.failure = undefined;
      this.appends = noAppends();
    }
    if (this.catalogWrites !== catalogWrites) this.seenChanges = -1;
    if (this.trips === trips) {
      this.pending.length = mark;
    } else {
      this.pending = [];
      try {
        this.bridge.call([{ sql: 'ROLLBACK TO SAVEPOINT request' }, { sql: 'RELEASE SAVEPOINT request' }], this.conn);
      } catch (error) {
        // The group's transaction is gone (a lost connection): every member fails with it.
        this.failGroup(error);
        throw cause;
      }
    }
    // A deadlock or serialization failure: the group's other members are fine (this member's savepoint is undone),
    // but running it again inside the group could deadlock again on the locks the group holds. The group commits
    // (its members are released with their own outcome) and this request runs again in a transaction of its own.
    if (cause instanceof PostgresError && (cause.code === '40001' || cause.code === '40P01')) {
      this.commitGroup();
      if (this.lostGroup) throw (this.lostGroup as { error: unknown }).error;
      this.grouping = false;
      try {
        return this.transaction(fn);
      } finally {
        this.grouping = true;
      }
    }
    throw cause;
  }

  /** Commits the open group (one WAL flush), numbering its stream records, and settles its members. */
  private commitGroup(): void {
    const members = this.group;
    if (!members) return;
    const a = this.groupAppends;
    if (a.records.length) {
      this.pending.push({
        sql: 'SELECT append_records($1::text[], $2::text[], $3::bigint[], $4::text[])',
        params: [a.streams, a.shards, a.created, a.records],
      });
    }
    this.pending.push({ sql: 'COMMIT' });
    try {
      this.flush(false);
    } catch (error) {
      this.failGroup(error);
      return;
    }
    this.group = undefined;
    openGroups.delete(this);
    this.groupAppends = noAppends();
    this.conn = undefined;
    for (const m of members) m.resolve();
  }

  /** Rolls the open group back and fails every member (none of them was acknowledged). */
  private failGroup(error: unknown): void {
    const members = this.group ?? [];
    const sent = this.conn !== undefined || this.pending.length === 0;
    this.group = undefined;
    openGroups.delete(this);
    this.groupAppends = noAppends();
    this.pending = [];
    this.conn = undefined;
    if (this.grouping) this.lostGroup = { error };
    // The group's catalog changes are gone with it.
    this.seenChanges = -1;
    for (const m of members) m.reject(error);
    if (!sent) return;
    try {
      this.bridge.call([{ sql: 'ROLLBACK' }]);
    } catch {
      // The connection is gone, and the transaction with it.
    }
  }

  /**
   * Applies missing migrations under an advisory lock. Nodes starting together wait here for the first one's
   * migrations, and a migration may take long on a big database: these calls have no statement timeout and the
   * default round-trip limit.
   */
  private migrate(statementTimeoutMs: number): void {
    const lock = String(MIGRATION_LOCK);
    const call = (ops: BridgeOp[]) =>
      this.bridge.call(ops, undefined, Math.max(DEFAULT_CALL_TIMEOUT_MS, this.callTimeoutMs));
    call([
      { sql: 'SET statement_timeout = 0' },
      { sql: `SELECT pg_advisory_lock(${lock})` },
      { sql: `CREATE SCHEMA IF NOT EXISTS ${SCHEMA_NAME}` },
      {
        sql: `CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      },
    ]);
    try {
      const [applied] = call([{ sql: 'SELECT version FROM migrations', rows: true }]).results;
      const done = new Set((applied ?? []).map((r) => Number(r[0])));
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        try {
          call([
            { sql: 'BEGIN' },
            { sql: m.sql },
            { sql: 'INSERT INTO migrations (version, name) VALUES ($1, $2)', params: [m.version, m.name] },
            { sql: 'COMMIT' },
          ]);
        } catch (error) {
          call([{ sql: 'ROLLBACK' }]);
          throw error;
        }
      }
    } finally {
      call([{ sql: `SELECT pg_advisory_unlock(${lock})` }, { sql: `SET statement_timeout = ${statementTimeoutMs}` }]);
    }
  }

  private begin(mode: 'write' | 'read', sql: string): void {
    this.mode = mode;
    this.depth++;
    this.conn = undefined;
    this.failure = undefined;
    this.pending.push({ sql });
  }

  private end(): void {
    this.depth--;
    this.mode = undefined;
    this.conn = undefined;
    this.failure = undefined;
    this.pending = [];
    this.appends = noAppends();
  }

  private commit(): void {
    const a = this.appends;
    if (a.records.length) {
      this.pending.push({
        sql: 'SELECT append_records($1::text[], $2::text[], $3::bigint[], $4::text[])',
        params: [a.streams, a.shards, a.created, a.records],
      });
    }
    this.pending.push({ sql: 'COMMIT' });
    this.flush(false);
  }

  private rollback(): void {
    // Nothing reached the database yet: there is nothing to undo.
    if (this.conn === undefined) return;
    try {
      this.bridge.call([{ sql: 'ROLLBACK' }]);
    } catch {
      // The connection is gone, and the transaction with it.
    }
  }

  /** Sends the queued statements (plus `op`); returns the last statement's rows. */
  private flush(rows: boolean, op?: BridgeOp): unknown[][] {
    if (op) this.pending.push(op);
    const ops = this.pending;
    this.pending = [];
    this.trips++;
    try {
      const reply = this.bridge.call(ops, this.conn);
      if (this.depth > 0 || this.group) this.conn ??= reply.conn;
      return rows ? (reply.results[reply.results.length - 1] ?? []) : [];
    } catch (error) {
      if (this.depth > 0 && error instanceof PostgresError) this.failure ??= error;
      throw error;
    }
  }

  private query(sql: string, params?: unknown[]): unknown[][] {
    return this.flush(true, { sql, params, rows: true });
  }

  private queue(sql: string, params: unknown[]): void {
    this.pending.push({ sql, params });
  }

  /** Reloads the catalog caches when a node (this one included) changed the catalog, or after a reconnect. */
  private checkCatalog(): void {
    const changes = this.bridge.changes;
    if (changes === this.seenChanges) return;
    const rows = this.query('SELECT id, name FROM tables');
    this.tableIds.clear();
    this.descriptions.clear();
    for (const [id, name] of rows) this.tableIds.set(name as string, id as number);
    this.seenChanges = changes;
  }

  private tableId(name: string): number {
    const id = this.tableIds.get(name);
    if (id !== undefined) return id;
    // Created by another node since the cache was loaded.
    const [row] = this.query('SELECT id FROM tables WHERE name = $1', [name]);
    // The engine only touches rows of tables it has in its catalog; reaching here is a programming error.
    if (!row) throw new Error(`storage: unknown table ${name}`);
    this.tableIds.set(name, row[0] as number);
    return row[0] as number;
  }

  private notifyCatalog(): void {
    this.queue(`SELECT pg_notify('${CATALOG_CHANNEL}', $1)`, ['']);
    this.catalogWrites++;
  }

  private createTx(): StorageTx {
    const self = this;
    return {
      listTables() {
        return self
          .query('SELECT name, description FROM tables ORDER BY name COLLATE "C"')
          .map(([name, description]) => ({ name: name as string, description: description as string }));
      },
      getTable(name) {
        const cached = self.descriptions.get(name);
        if (cached !== undefined) return cached;
        const [row] = self.query('SELECT id, description FROM tables WHERE name = $1', [name]);
        if (!row) return undefined;
        self.tableIds.set(name, row[0] as number);
        self.descriptions.set(name, row[1] as string);
        return row[1] as string;
      },
      putTable(name, description) {
        const [row] = self.query(
          `INSERT INTO tables (name, description) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description RETURNING id`,
          [name, description],
        );
        self.tableIds.set(name, row[0] as number);
        self.descriptions.set(name, description);
        self.notifyCatalog();
      },
      deleteTable(name) {
        const id = self.tableIds.get(name);
        if (id === undefined) return;
        self.queue('DELETE FROM rows WHERE t = $1', [id]);
        self.queue('DELETE FROM tables WHERE id = $1', [id]);
        self.tableIds.delete(name);
        self.descriptions.delete(name);
        self.notifyCatalog();
      },
      get(table, index, key) {
        const t = self.tableId(table);
        const h = partitionHash(key.pk);
        const row =
          self.mode === 'write' && index === ''
            ? self.query('SELECT locked_get($1, $2, $3, $4, $5, $6, $7, $8)', [
                itemLockKey(t, h, key.sk),
                t,
                index,
                h,
                key.pk,
                key.sk,
                EMPTY,
                EMPTY,
              ])[0]
            : self.query(
                'SELECT value FROM rows WHERE t = $1 AND ix = $2 AND h = $3 AND pk = $4 AND sk = $5 AND tpk = $6 AND tsk = $7',
                [t, index, h, key.pk, key.sk, key.tpk ?? EMPTY, key.tsk ?? EMPTY],
              )[0];
        return (row?.[0] ?? undefined) as string | undefined;
      },
      put(table, index, key, value) {
        self.queue(
          `INSERT INTO rows (t, ix, h, pk, sk, tpk, tsk, value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (t, ix, h, pk, sk, tpk, tsk) DO UPDATE SET value = EXCLUDED.value`,
          [
            self.tableId(table),
            index,
            partitionHash(key.pk),
            key.pk,
            key.sk,
            key.tpk ?? EMPTY,
            key.tsk ?? EMPTY,
            value,
          ],
        );
      },
      delete(table, index, key) {
        self.queue(
          'DELETE FROM rows WHERE t = $1 AND ix = $2 AND h = $3 AND pk = $4 AND sk = $5 AND tpk = $6 AND tsk = $7',
          [self.tableId(table), index, partitionHash(key.pk), key.pk, key.sk, key.tpk ?? EMPTY, key.tsk ?? EMPTY],
        );
      },
      clearIndex(table, index) {
        self.queue('DELETE FROM rows WHERE t = $1 AND ix = $2', [self.tableId(table), index]);
      },
      range(table, index, pk, options = {}) {
        return self.range(self.tableId(table), index, pk, options);
      },
      scan(table, index, options = {}) {
        return self.scan(self.tableId(table), index, options);
      },
      stats(table, index): TableStats {
        const [row] = self.query(
          'SELECT count(*), coalesce(sum(char_length(value)), 0)::bigint FROM rows WHERE t = $1 AND ix = $2',
          [self.tableId(table), index],
        );
        return { count: Number(row[0]), bytes: Number(row[1]) };
      },
      appendStreamRecord(streamId, shardKey, record, createdAt = Date.now()) {
        // Drawn at commit, under the shard's lock (append_records): sequence order is commit order per shard.
        self.appends.streams.push(streamId);
        self.appends.shards.push(shardKey);
        self.appends.created.push(createdAt);
        self.appends.records.push(record);
      },
      readStreamRecords(streamId, afterSequence, limit, shardKey) {
        const select = 'SELECT sequence, stream_id, shard_key, created_at, record FROM stream_records';
        const rows =
          shardKey === undefined
            ? self.query(`${select} WHERE stream_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3`, [
                streamId,
                afterSequence,
                limit,
              ])
            : self.query(
                `${select} WHERE stream_id = $1 AND shard_key = $2 AND sequence > $3 ORDER BY sequence LIMIT $4`,
                [streamId, shardKey, afterSequence, limit],
              );
        return rows.map(
          (r): StreamRecordRow => ({
            sequence: r[0] as number,
            streamId: r[1] as string,
            shardKey: r[2] as string,
            createdAt: r[3] as number,
            record: r[4] as string,
          }),
        );
      },
      streamShardRange(streamId, shardKey) {
        const [row] = self.query(
          'SELECT min(sequence), max(sequence) FROM stream_records WHERE stream_id = $1 AND shard_key = $2',
          [streamId, shardKey],
        );
        if (row[0] === null) return undefined;
        return { first: row[0] as number, last: row[1] as number };
      },
      streamTrimHorizon(streamId, shardKey) {
        const [row] = self.query(
          'SELECT trimmed_through FROM stream_horizons WHERE stream_id = $1 AND shard_key = $2',
          [streamId, shardKey],
        );
        return (row?.[0] as number | undefined) ?? 0;
      },
      trimStreamRecords(olderThan) {
        // Sequences only grow, so the newest trimmed record of a shard is its new horizon.
        self.queue(
          `INSERT INTO stream_horizons (stream_id, shard_key, trimmed_through)
           SELECT stream_id, shard_key, max(sequence) FROM stream_records WHERE created_at < $1 GROUP BY stream_id, shard_key
           ON CONFLICT (stream_id, shard_key)
           DO UPDATE SET trimmed_through = GREATEST(stream_horizons.trimmed_through, EXCLUDED.trimmed_through)`,
          [olderThan],
        );
        const [row] = self.query(
          'WITH d AS (DELETE FROM stream_records WHERE created_at < $1 RETURNING 1) SELECT count(*) FROM d',
          [olderThan],
        );
        return Number(row[0]);
      },
      getMeta(key) {
        const [row] = self.query('SELECT value FROM meta WHERE key = $1', [key]);
        return row?.[0] as string | undefined;
      },
      putMeta(key, value) {
        if (value === undefined) self.queue('DELETE FROM meta WHERE key = $1', [key]);
        else {
          self.queue(
            'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
            [key, value],
          );
        }
      },
    };
  }

  private *range(t: number, ix: string, pk: Buffer, options: RangeOptions): Generator<Row> {
    const reverse = options.reverse === true;
    const params: unknown[] = [t, ix, partitionHash(pk), pk];
    const where = ['t = $1', 'ix = $2', 'h = $3', 'pk = $4'];
    if (options.from) {
      params.push(options.from.sk);
      where.push(`sk ${options.from.inclusive ? '>=' : '>'} $${params.length}`);
    }
    if (options.to) {
      params.push(options.to.sk);
      where.push(`sk ${options.to.inclusive ? '<=' : '<'} $${params.length}`);
    }
    const order = reverse ? 'ORDER BY sk DESC, tpk DESC, tsk DESC' : 'ORDER BY sk, tpk, tsk';
    const n = params.length;
    const first = `SELECT value, sk, tpk, tsk FROM rows WHERE ${where.join(' AND ')} ${order} LIMIT $${n + 1}`;
    const next = `SELECT value, sk, tpk, tsk FROM rows WHERE ${where.join(' AND ')} AND (sk, tpk, tsk) ${reverse ? '<' : '>'} ($${n + 1}, $${n + 2}, $${n + 3}) ${order} LIMIT $${n + 4}`;
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const s = options.startAfter;
    let after: unknown[] | undefined = s && [s.sk, s.tpk ?? EMPTY, s.tsk ?? EMPTY];
    for (;;) {
      const rows = after ? this.query(next, [...params, ...after, batch]) : this.query(first, [...params, batch]);
      for (const row of rows) yield { value: row[0] as string };
      if (rows.length < batch) return;
      after = rows[rows.length - 1].slice(1);
    }
  }

  private *scan(t: number, ix: string, options: ScanOptions): Generator<Row> {
    const total = options.totalSegments ?? 1;
    const params: unknown[] = [t, ix];
    let where = 't = $1 AND ix = $2';
    if (total > 1) {
      params.push(...segmentBounds(options.segment ?? 0, total));
      where += ' AND h >= $3 AND h < $4';
    }
    const n = params.length;
    const order = 'ORDER BY h, pk, sk, tpk, tsk';
    const first = `SELECT value, h, pk, sk, tpk, tsk FROM rows WHERE ${where} ${order} LIMIT $${n + 1}`;
    const next = `SELECT value, h, pk, sk, tpk, tsk FROM rows WHERE ${where} AND (h, pk, sk, tpk, tsk) > ($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}) ${order} LIMIT $${n + 6}`;
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const s = options.startAfter;
    let after: unknown[] | undefined = s && [partitionHash(s.pk), s.pk, s.sk, s.tpk ?? EMPTY, s.tsk ?? EMPTY];
    for (;;) {
      const rows = after ? this.query(next, [...params, ...after, batch]) : this.query(first, [...params, batch]);
      for (const row of rows) yield { value: row[0] as string };
      if (rows.length < batch) return;
      after = rows[rows.length - 1].slice(1);
    }
  }
}

/** Connects to PostgreSQL at `url` and applies missing migrations; throws if the database cannot be reached. */
export function openPostgresStorage(url: string, options?: PostgresStorageOptions): PostgresStorage {
  return new PgStorage(url, options);
}
