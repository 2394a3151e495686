// The embedded storage adapter: one SQLite file (or memory) through better-sqlite3.
// All SQL of the table engine lives here. Rows of every table and index share one WITHOUT ROWID
// table clustered on (table id, index, partition hash, pk, sk, tpk, tsk): a query is one index range,
// a scan walks partitions in hash order (as DynamoDB does), and SQLite compares BLOBs with memcmp,
// which is the order the engine's key encoding is built for.

import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { partitionHash, segmentBounds } from './partitioning.js';
import type { RangeOptions, Row, ScanOptions, Storage, StorageTx, StreamRecordRow, TableStats } from './port.js';

type Db = Database.Database;
type Statement = Database.Statement;

const EMPTY: Buffer = Buffer.alloc(0);
const DEFAULT_BATCH = 256;
/** Asked of SQLite for memory-mapped reads; it keeps the smaller of this and its compiled-in maximum. */
const MMAP_BYTES = 2 ** 31 - 2 ** 16;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tables (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rows (
  t INTEGER NOT NULL,
  ix TEXT NOT NULL,
  h INTEGER NOT NULL,
  pk BLOB NOT NULL,
  sk BLOB NOT NULL,
  tpk BLOB NOT NULL,
  tsk BLOB NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (t, ix, h, pk, sk, tpk, tsk)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stream_records (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id TEXT NOT NULL,
  shard_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stream_records_by_stream ON stream_records (stream_id, sequence);
CREATE INDEX IF NOT EXISTS stream_records_by_time ON stream_records (created_at);
CREATE INDEX IF NOT EXISTS stream_records_by_shard ON stream_records (stream_id, shard_key, sequence);
CREATE TABLE IF NOT EXISTS stream_horizons (
  stream_id TEXT NOT NULL,
  shard_key TEXT NOT NULL,
  trimmed_through INTEGER NOT NULL,
  PRIMARY KEY (stream_id, shard_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/** A request's part in a group commit: settled once the group's commit succeeded or failed. */
interface GroupMember {
  resolve(): void;
  reject(error: unknown): void;
}

/** A response waiting until the WAL is synced through commit number `seq`. */
interface SyncWaiter extends GroupMember {
  seq: number;
}

class SqliteStorage implements Storage {
  onCommit?: (durationMs: number) => void;
  readonly location: string;
  private readonly db: Db;
  private readonly statements = new Map<string, Statement>();
  private readonly columnStatements = new Map<string, Statement>();
  private readonly rangePlans = new Map<string, BatchPlan>();
  private readonly tableIds = new Map<string, number>();
  /** Catalog rows by table name, so the engine's per-request schema lookup needs no SELECT. */
  private readonly descriptions = new Map<string, string>();
  private readonly tx: StorageTx;
  private readonly shared: boolean;
  private readonly control: Record<
    'begin' | 'beginRead' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo' | 'dataVersion',
    Statement
  >;
  private dataVersion = 0;
  /** Counts catalog writes, so a rollback resets the catalog caches only when it undid one. */
  private catalogWrites = 0;
  private catalogStale = false;
  private depth = 0;
  /** Inside a `grouped` call: transactions become savepoints of the group's transaction. */
  private grouping = false;
  /** Whether the current `grouped` call wrote to or read from the open group. */
  private joined = false;
  /** The open group transaction's members, waiting for its commit; undefined when no group is open. */
  private group: GroupMember[] | undefined;
  /** Set when a group fails during a `grouped` call, with the error that failed it. */
  private lostGroup: { error: unknown } | undefined;
  /**
   * The WAL file, synced by us after commits (docs/decisions/0004-group-commit.md): commits are numbered, and
   * nothing that a commit wrote is acknowledged, or shown to a caller outside a group, before a sync covers it.
   */
  private walFd: number | undefined;
  private commitSeq = 0;
  private syncedSeq = 0;
  private syncing = false;
  /** The open group commits when the running sync is done. */
  private commitAfterSync = false;
  private syncWaiters: SyncWaiter[] = [];
  /** A failed fsync leaves the file's state unknown (the kernel may have dropped the pages): nothing more is served. */
  private broken: { error: unknown } | undefined;
  private closed = false;
  /** A read transaction shared by the reads of one event-loop turn that run outside any write transaction. */
  private readOpen = false;

  constructor(location: string) {
    this.location = location;
    this.shared = location !== ':memory:';
    if (this.shared) mkdirSync(dirname(location), { recursive: true });
    this.db = this.shared ? new Database(location) : openInMemory();
    if (this.shared) this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    if (this.shared) this.walFd = openWal(location);
    // With the WAL in hand, SQLite syncs it at checkpoints (NORMAL) and we sync it after every commit, off the
    // event loop for groups and before returning for everything else; without it, SQLite syncs every commit (FULL).
    // Either way a write is on disk before its response leaves.
    this.db.pragma(this.walFd === undefined ? 'synchronous = FULL' : 'synchronous = NORMAL');
    // Reads of pages outside SQLite's cache come straight from the OS page cache instead of a pread and a copy:
    // GetItem at 1M items +12–25 % (docs/tables.md). Writes still go through the WAL by pwrite. SQLite caps the
    // size at its compiled-in maximum (2 GiB here); pages past it are read as before.
    if (this.shared) this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
    this.control = {
      // IMMEDIATE takes the write lock up front, so two processes on one file never deadlock on upgrade.
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      beginRead: this.db.prepare('BEGIN DEFERRED'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT request'),
      release: this.db.prepare('RELEASE request'),
      rollbackTo: this.db.prepare('ROLLBACK TO request'),
      dataVersion: this.db.prepare('PRAGMA data_version').pluck(),
    };
    this.tx = this.createTx();
    this.resetCatalog();
  }

  transaction<T>(fn: (tx: StorageTx) => T): T {
    if (this.depth > 0) return fn(this.tx);
    this.checkBroken();
    if (this.grouping) return this.inGroup(fn);
    // A transaction of its own is durable when it returns, so the open group commits first.
    this.commitGroup();
    this.endRead();
    const value = this.run(this.control.begin, fn);
    this.commitSeq++;
    this.syncNow();
    return value;
  }

  read<T>(fn: (tx: StorageTx) => T): T {
    if (this.depth > 0) return fn(this.tx);
    this.checkBroken();
    if (this.grouping && this.group) {
      // The group's uncommitted writes are visible here, so this caller waits for the group's commit too.
      this.joined = true;
      return this.nested(fn);
    }
    this.commitGroup();
    // A caller outside a group answers as soon as this returns: what it reads must already be on disk. (Inside a
    // group, `grouped` holds the answer until the sync instead.)
    if (!this.grouping) this.syncNow();
    // In memory nothing else writes, and this call runs to completion: every statement sees the same data.
    if (!this.shared) {
      this.checkCatalog();
      return this.nested(fn);
    }
    this.beginRead();
    return this.nested(fn);
  }

  grouped<T>(fn: () => T): T | Promise<T> {
    // A programming error: groups do not nest, and a group cannot open inside a transaction.
    if (this.grouping || this.depth > 0) throw new Error('storage: grouped() called inside a transaction');
    this.grouping = true;
    this.joined = false;
    this.lostGroup = undefined;
    let value: T;
    try {
      value = fn();
    } catch (error) {
      if (!this.joined || !this.group) throw error;
      return this.afterCommit(() => Promise.reject(error));
    } finally {
      this.grouping = false;
    }
    // Whatever this call wrote went down with a failed group: it must not be acknowledged.
    const lost = this.lostGroup as { error: unknown } | undefined;
    if (lost) return Promise.reject(lost.error);
    if (this.joined) return this.afterCommit(() => value);
    // It read committed data that may not be on disk yet: it answers when that data is.
    if (this.syncedSeq < this.commitSeq) return this.afterSync(this.commitSeq).then(() => value);
    return value;
  }

  close(): void {
    if (this.closed) return;
    this.commitGroup();
    this.endRead();
    if (!this.broken) this.syncNow();
    this.closed = true;
    for (const w of this.syncWaiters.splice(0)) w.reject(new Error('storage closed'));
    // A sync still running on the thread pool closes the file when it is done.
    if (this.walFd !== undefined && !this.syncing) closeSync(this.walFd);
    if (this.db.open) this.db.close();
  }

  /** Starts the turn's shared read snapshot if none is open; the turn's end (or the next write) closes it. */
  private beginRead(): void {
    if (this.readOpen) return;
    this.control.beginRead.run();
    this.readOpen = true;
    setImmediate(() => this.endRead());
    try {
      this.checkCatalog();
    } catch (error) {
      this.endRead();
      throw error;
    }
  }

  private endRead(): void {
    if (!this.readOpen) return;
    this.readOpen = false;
    if (this.db.open && this.db.inTransaction) this.control.commit.run();
  }

  private checkBroken(): void {
    if (this.broken) throw this.broken.error;
    if (this.closed) throw new Error('storage closed');
  }

  /** Resolves once a sync covers commit number `seq`. */
  private afterSync(seq: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ seq, resolve, reject });
      this.startSync();
    });
  }

  /** Syncs the WAL on the thread pool, one sync at a time; commits made meanwhile wait for the next one. */
  private startSync(): void {
    if (this.syncing || this.walFd === undefined || this.syncedSeq >= this.commitSeq) return;
    this.syncing = true;
    const target = this.commitSeq;
    const fd = this.walFd;
    fdatasync(fd, (error) => {
      this.syncing = false;
      if (this.closed) {
        closeSync(fd);
        return;
      }
      if (error) this.breakStorage(error);
      else this.synced(target);
      if (this.commitAfterSync) {
        this.commitAfterSync = false;
        this.commitGroup();
      }
      this.startSync();
    });
  }

  /** Syncs the WAL now, on this thread, if any commit is not yet covered. */
  private syncNow(): void {
    if (this.syncedSeq >= this.commitSeq) return;
    if (this.walFd === undefined) {
      // FULL or memory: every commit was on disk (or needs none) when it returned.
      this.synced(this.commitSeq);
      return;
    }
    const target = this.commitSeq;
    try {
      fdatasyncSync(this.walFd);
    } catch (error) {
      this.breakStorage(error);
      throw error;
    }
    this.synced(target);
  }

  private synced(seq: number): void {
    if (seq <= this.syncedSeq) return;
    this.syncedSeq = seq;
    const waiting = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiting) {
      if (w.seq <= seq) w.resolve();
      else this.syncWaiters.push(w);
    }
  }

  private breakStorage(error: unknown): void {
    this.broken ??= { error };
    for (const w of this.syncWaiters.splice(0)) w.reject(error);
  }

  /** Settles with `then` after the open group commits, or with the commit's error. */
  private afterCommit<T>(then: () => T | Promise<T>): Promise<T> {
    const group = this.group!;
    return new Promise<void>((resolve, reject) => group.push({ resolve, reject })).then(then);
  }

  /** BEGIN … COMMIT around `fn`; ROLLBACK and rethrow when it throws. */
  private run<T>(begin: Statement, fn: (tx: StorageTx) => T): T {
    begin.run();
    this.depth++;
    const catalogWrites = this.catalogWrites;
    try {
      this.checkCatalog();
      const value = fn(this.tx);
      this.timedCommit();
      return value;
    } catch (error) {
      if (this.db.inTransaction) this.control.rollback.run();
      // A rolled-back catalog change must not survive in the caches.
      if (this.catalogWrites !== catalogWrites) this.resetCatalog();
      throw error;
    } finally {
      this.depth--;
    }
  }

  private nested<T>(fn: (tx: StorageTx) => T): T {
    this.depth++;
    try {
      return fn(this.tx);
    } finally {
      this.depth--;
    }
  }

  /** One request of a group: a savepoint in the group's transaction, opening the group if needed. */
  private inGroup<T>(fn: (tx: StorageTx) => T): T {
    if (!this.group) {
      this.endRead();
      this.control.begin.run();
      this.group = [];
      // After this turn's I/O callbacks (the requests that arrived together) have run; or, while the WAL is being
      // synced, when that sync is done: requests arriving meanwhile join this group and share its commit and sync.
      setImmediate(() => {
        if (this.syncing) this.commitAfterSync = true;
        else this.commitGroup();
      });
      try {
        this.checkCatalog();
      } catch (error) {
        this.failGroup(error);
        throw error;
      }
    }
    this.joined = true;
    this.control.savepoint.run();
    this.depth++;
    const catalogWrites = this.catalogWrites;
    try {
      const value = fn(this.tx);
      this.control.release.run();
      return value;
    } catch (error) {
      if (this.db.inTransaction) {
        this.control.rollbackTo.run();
        this.control.release.run();
        if (this.catalogWrites !== catalogWrites) this.resetCatalog();
      } else {
        // SQLite gave up the whole transaction (an I/O error, a full disk): every member fails with it.
        this.failGroup(error);
      }
      throw error;
    } finally {
      this.depth--;
    }
  }

  /** COMMIT, timed only when someone asks (metrics). */
  private timedCommit(): void {
    const observe = this.onCommit;
    if (!observe) {
      this.control.commit.run();
      return;
    }
    const started = performance.now();
    this.control.commit.run();
    observe(performance.now() - started);
  }

  /** Commits the open group and settles its members once the WAL is synced through this commit. */
  private commitGroup(): void {
    const members = this.group;
    if (!members) return;
    this.group = undefined;
    try {
      this.timedCommit();
    } catch (error) {
      this.group = members;
      this.failGroup(error);
      return;
    }
    const seq = ++this.commitSeq;
    for (const m of members) this.syncWaiters.push({ seq, resolve: m.resolve, reject: m.reject });
    // FULL (or memory): the commit was on disk (or needs no disk) when it returned.
    if (this.walFd === undefined) this.synced(seq);
    else this.startSync();
  }

  private failGroup(error: unknown): void {
    const members = this.group ?? [];
    this.group = undefined;
    if (this.grouping) this.lostGroup = { error };
    for (const m of members) m.reject(error);
    // The group's catalog changes are gone; reload the caches when the database answers again.
    this.catalogStale = true;
    try {
      if (this.db.inTransaction) this.control.rollback.run();
      this.resetCatalog();
    } catch {
      // The database is failing (that is why the group failed); the next transaction start retries the reload.
    }
  }

  /** Reloads the catalog caches if they may be stale: after a failure, or when another connection wrote. */
  private checkCatalog(): void {
    if (this.shared) {
      const version = this.control.dataVersion.get() as number;
      if (version !== this.dataVersion) {
        this.dataVersion = version;
        this.catalogStale = true;
      }
    }
    if (this.catalogStale) this.resetCatalog();
  }

  private resetCatalog(): void {
    this.tableIds.clear();
    this.descriptions.clear();
    for (const row of this.stmt('SELECT id, name FROM tables').all() as Array<{ id: number; name: string }>) {
      this.tableIds.set(row.name, row.id);
    }
    this.catalogStale = false;
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A statement returning its first column only, prepared once in that mode (pluck() per call is a native call). */
  private column(sql: string): Statement {
    let statement = this.columnStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.columnStatements.set(sql, statement);
    }
    return statement;
  }

  private tableId(name: string): number {
    const id = this.tableIds.get(name);
    // The engine only touches rows of tables it has in its catalog; reaching here is a programming error.
    if (id === undefined) throw new Error(`storage: unknown table ${name}`);
    return id;
  }

  private createTx(): StorageTx {
    const self = this;
    return {
      listTables() {
        return self.stmt('SELECT name, description FROM tables ORDER BY name').all() as Array<{
          name: string;
          description: string;
        }>;
      },
      getTable(name) {
        const cached = self.descriptions.get(name);
        if (cached !== undefined) return cached;
        const description = self.column('SELECT description FROM tables WHERE name = ?').get(name) as
          | string
          | undefined;
        if (description !== undefined) self.descriptions.set(name, description);
        return description;
      },
      putTable(name, description) {
        if (self.tableIds.has(name)) {
          self.stmt('UPDATE tables SET description = ? WHERE name = ?').run(description, name);
        } else {
          const info = self.stmt('INSERT INTO tables (name, description) VALUES (?, ?)').run(name, description);
          self.tableIds.set(name, Number(info.lastInsertRowid));
        }
        self.descriptions.set(name, description);
        self.catalogWrites++;
      },
      deleteTable(name) {
        const id = self.tableIds.get(name);
        if (id === undefined) return;
        self.stmt('DELETE FROM rows WHERE t = ?').run(id);
        self.stmt('DELETE FROM tables WHERE id = ?').run(id);
        self.tableIds.delete(name);
        self.descriptions.delete(name);
        self.catalogWrites++;
      },
      get(table, index, key) {
        return self
          .column(
            'SELECT value FROM rows WHERE t = ? AND ix = ? AND h = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?',
          )
          .get(self.tableId(table), index, partitionHash(key.pk), key.pk, key.sk, key.tpk ?? EMPTY, key.tsk ?? EMPTY) as
          | string
          | undefined;
      },
      put(table, index, key, value) {
        self
          .stmt('INSERT OR REPLACE INTO rows (t, ix, h, pk, sk, tpk, tsk, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(
            self.tableId(table),
            index,
            partitionHash(key.pk),
            key.pk,
            key.sk,
            key.tpk ?? EMPTY,
            key.tsk ?? EMPTY,
            value,
          );
      },
      delete(table, index, key) {
        self
          .stmt('DELETE FROM rows WHERE t = ? AND ix = ? AND h = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?')
          .run(self.tableId(table), index, partitionHash(key.pk), key.pk, key.sk, key.tpk ?? EMPTY, key.tsk ?? EMPTY);
      },
      clearIndex(table, index) {
        self.stmt('DELETE FROM rows WHERE t = ? AND ix = ?').run(self.tableId(table), index);
      },
      range(table, index, pk, options = {}) {
        return self.range(self.tableId(table), index, pk, options);
      },
      scan(table, index, options = {}) {
        return self.scan(self.tableId(table), index, options);
      },
      stats(table, index): TableStats {
        const row = self
          .stmt('SELECT count(*) AS count, coalesce(sum(length(value)), 0) AS bytes FROM rows WHERE t = ? AND ix = ?')
          .get(self.tableId(table), index) as TableStats;
        return { count: row.count, bytes: row.bytes };
      },
      appendStreamRecord(streamId, shardKey, record, createdAt = Date.now()) {
        const info = self
          .stmt('INSERT INTO stream_records (stream_id, shard_key, created_at, record) VALUES (?, ?, ?, ?)')
          .run(streamId, shardKey, createdAt, record);
        return Number(info.lastInsertRowid);
      },
      readStreamRecords(streamId, afterSequence, limit, shardKey) {
        const select =
          'SELECT sequence, stream_id, shard_key, created_at, record FROM stream_records WHERE stream_id = ?';
        const rows = (
          shardKey === undefined
            ? self.stmt(`${select} AND sequence > ? ORDER BY sequence LIMIT ?`).all(streamId, afterSequence, limit)
            : self
                .stmt(`${select} AND shard_key = ? AND sequence > ? ORDER BY sequence LIMIT ?`)
                .all(streamId, shardKey, afterSequence, limit)
        ) as Array<{
          sequence: number;
          stream_id: string;
          shard_key: string;
          created_at: number;
          record: string;
        }>;
        return rows.map(
          (r): StreamRecordRow => ({
            sequence: r.sequence,
            streamId: r.stream_id,
            shardKey: r.shard_key,
            createdAt: r.created_at,
            record: r.record,
          }),
        );
      },
      streamShardRange(streamId, shardKey) {
        const where = 'FROM stream_records WHERE stream_id = ? AND shard_key = ?';
        const first = self.stmt(`SELECT min(sequence) AS s ${where}`).get(streamId, shardKey) as { s: number | null };
        if (first.s === null) return undefined;
        const last = self.stmt(`SELECT max(sequence) AS s ${where}`).get(streamId, shardKey) as { s: number };
        return { first: first.s, last: last.s };
      },
      streamTrimHorizon(streamId, shardKey) {
        const row = self
          .stmt('SELECT trimmed_through FROM stream_horizons WHERE stream_id = ? AND shard_key = ?')
          .get(streamId, shardKey) as { trimmed_through: number } | undefined;
        return row?.trimmed_through ?? 0;
      },
      trimStreamRecords(olderThan) {
        // Sequences only grow, so the newest trimmed record of a shard is its new horizon.
        self
          .stmt(
            `INSERT OR REPLACE INTO stream_horizons (stream_id, shard_key, trimmed_through)
             SELECT stream_id, shard_key, max(sequence) FROM stream_records WHERE created_at < ? GROUP BY stream_id, shard_key`,
          )
          .run(olderThan);
        return self.stmt('DELETE FROM stream_records WHERE created_at < ?').run(olderThan).changes;
      },
      getMeta(key) {
        const row = self.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
        return row?.value;
      },
      putMeta(key, value) {
        if (value === undefined) self.stmt('DELETE FROM meta WHERE key = ?').run(key);
        else self.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
      },
    };
  }

  // Reads select only the values: better-sqlite3 copies every BLOB column into a new Buffer, which costs more
  // than the rest of a row. When a batch is full, the key of its last row (where the next batch resumes) is
  // read by a second statement that skips to it.
  private *range(t: number, ix: string, pk: Buffer, options: RangeOptions): Generator<Row> {
    const plan = this.rangePlan(options);
    const fixed: unknown[] = [t, ix, partitionHash(pk), pk];
    if (options.from) fixed.push(options.from.sk);
    if (options.to) fixed.push(options.to.sk);
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const start = options.startAfter;
    let after: unknown[] | undefined = start && [start.sk, start.tpk ?? EMPTY, start.tsk ?? EMPTY];
    for (;;) {
      const values = (after ? plan.next.all(...fixed, ...after, batch) : plan.first.all(...fixed, batch)) as string[];
      if (values.length === batch) {
        after = (
          after ? plan.lastOfNext.get(...fixed, ...after, batch - 1) : plan.lastOfFirst.get(...fixed, batch - 1)
        ) as unknown[];
      }
      for (const value of values) yield { value };
      if (values.length < batch) return;
    }
  }

  private rangePlan(options: RangeOptions): BatchPlan {
    const reverse = options.reverse === true;
    const from = options.from ? (options.from.inclusive ? 'sk >= ?' : 'sk > ?') : '';
    const to = options.to ? (options.to.inclusive ? 'sk <= ?' : 'sk < ?') : '';
    const key = `${reverse}|${from}|${to}`;
    let plan = this.rangePlans.get(key);
    if (!plan) {
      const where = ['t = ?', 'ix = ?', 'h = ?', 'pk = ?', from, to].filter(Boolean).join(' AND ');
      const order = reverse ? 'ORDER BY sk DESC, tpk DESC, tsk DESC' : 'ORDER BY sk, tpk, tsk';
      const after = `AND (sk, tpk, tsk) ${reverse ? '<' : '>'} (?, ?, ?)`;
      plan = this.batchPlan(where, after, order, 'sk, tpk, tsk');
      this.rangePlans.set(key, plan);
    }
    return plan;
  }

  private *scan(t: number, ix: string, options: ScanOptions): Generator<Row> {
    const total = options.totalSegments ?? 1;
    const plan = this.scanPlan(total > 1);
    const fixed: unknown[] = [t, ix];
    if (total > 1) fixed.push(...segmentBounds(options.segment ?? 0, total));
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    const s = options.startAfter;
    let after: unknown[] | undefined = s && [partitionHash(s.pk), s.pk, s.sk, s.tpk ?? EMPTY, s.tsk ?? EMPTY];
    for (;;) {
      const values = (after ? plan.next.all(...fixed, ...after, batch) : plan.first.all(...fixed, batch)) as string[];
      if (values.length === batch) {
        after = (
          after ? plan.lastOfNext.get(...fixed, ...after, batch - 1) : plan.lastOfFirst.get(...fixed, batch - 1)
        ) as unknown[];
      }
      for (const value of values) yield { value };
      if (values.length < batch) return;
    }
  }

  private scanPlan(segmented: boolean): BatchPlan {
    const key = `scan|${segmented}`;
    let plan = this.rangePlans.get(key);
    if (!plan) {
      const where = segmented ? 't = ? AND ix = ? AND h >= ? AND h < ?' : 't = ? AND ix = ?';
      const after = 'AND (h, pk, sk, tpk, tsk) > (?, ?, ?, ?, ?)';
      plan = this.batchPlan(where, after, 'ORDER BY h, pk, sk, tpk, tsk', 'h, pk, sk, tpk, tsk');
      this.rangePlans.set(key, plan);
    }
    return plan;
  }

  private batchPlan(where: string, after: string, order: string, keyColumns: string): BatchPlan {
    const values = `SELECT value FROM rows WHERE ${where}`;
    const keys = `SELECT ${keyColumns} FROM rows WHERE ${where}`;
    return {
      first: this.db.prepare(`${values} ${order} LIMIT ?`).pluck(),
      next: this.db.prepare(`${values} ${after} ${order} LIMIT ?`).pluck(),
      lastOfFirst: this.db.prepare(`${keys} ${order} LIMIT 1 OFFSET ?`).raw(),
      lastOfNext: this.db.prepare(`${keys} ${after} ${order} LIMIT 1 OFFSET ?`).raw(),
    };
  }
}

/** The statements of batched reads over one kind of range: value batches, and the key a batch ends at. */
interface BatchPlan {
  first: Statement;
  next: Statement;
  lastOfFirst: Statement;
  lastOfNext: Statement;
}

/** Opens (creating if needed) the SQLite storage at `location`, a file path or ':memory:'. */
export function openSqliteStorage(location: string): Storage {
  return new SqliteStorage(location);
}

let emptyImage: Buffer | undefined;

/**
 * An in-memory database as SQLite's memdb file (a deserialized image), not ':memory:'. A ':memory:' database never
 * writes its pages anywhere, so they all stay on the page cache's dirty list, which every COMMIT walks: at 1M items
 * a commit cost ~1 ms and PutItem spent half its time there. memdb pages are written to the in-memory file and
 * cleaned at each commit. Its file holds at most 1 GiB (SQLite's SQLITE_MEMDB_DEFAULT_MAXSIZE); past that,
 * writes fail with SQLITE_FULL (docs/tables.md).
 */
function openInMemory(): Db {
  if (!emptyImage) {
    const empty = new Database(':memory:');
    emptyImage = empty.serialize();
    empty.close();
  }
  return new Database(emptyImage);
}

/** Our own handle on the WAL, to sync it; undefined if SQLite has not created it (then commits sync themselves). */
function openWal(location: string): number | undefined {
  try {
    return openSync(`${location}-wal`, 'r');
  } catch {
    return undefined;
  }
}
