// The embedded storage adapter: one SQLite file (or memory) through better-sqlite3.
// All SQL of the table engine lives here. Rows of every table and index share one WITHOUT ROWID
// table clustered on (table id, index, partition hash, pk, sk, tpk, tsk): a query is one index range,
// a scan walks partitions in hash order (as DynamoDB does), and SQLite compares BLOBs with memcmp,
// which is the order the engine's key encoding is built for.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { partitionHash, segmentBounds } from './partitioning.js';
import type { RangeOptions, Row, ScanOptions, Storage, StorageTx, StreamRecordRow, TableStats } from './port.js';

type Db = Database.Database;
type Statement = Database.Statement;

const EMPTY: Buffer = Buffer.alloc(0);
const DEFAULT_BATCH = 256;

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
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

interface RawRow {
  h: number;
  pk: Buffer;
  sk: Buffer;
  tpk: Buffer;
  tsk: Buffer;
  value: string;
}

class SqliteStorage implements Storage {
  readonly location: string;
  private readonly db: Db;
  private readonly statements = new Map<string, Statement>();
  private readonly tableIds = new Map<string, number>();
  private readonly tx: StorageTx;
  private readonly runInTransaction: ReturnType<Db['transaction']>;
  private depth = 0;

  constructor(location: string) {
    this.location = location;
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    this.db = new Database(location);
    if (location !== ':memory:') this.db.pragma('journal_mode = WAL');
    // FULL: a write is on disk before its response leaves (durable on acknowledgement).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    for (const row of this.db.prepare('SELECT id, name FROM tables').all() as Array<{ id: number; name: string }>) {
      this.tableIds.set(row.name, row.id);
    }
    this.tx = this.createTx();
    this.runInTransaction = this.db.transaction((fn: (tx: StorageTx) => unknown) => fn(this.tx));
  }

  transaction<T>(fn: (tx: StorageTx) => T): T {
    if (this.depth > 0) return fn(this.tx);
    this.depth++;
    try {
      // IMMEDIATE takes the write lock up front, so two processes on one file never deadlock on upgrade.
      return this.runInTransaction.immediate(fn) as T;
    } catch (error) {
      // A rolled-back catalog change must not survive in the id cache.
      this.reloadTableIds();
      throw error;
    } finally {
      this.depth--;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private reloadTableIds(): void {
    this.tableIds.clear();
    for (const row of this.stmt('SELECT id, name FROM tables').all() as Array<{ id: number; name: string }>) {
      this.tableIds.set(row.name, row.id);
    }
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
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
        const row = self.stmt('SELECT description FROM tables WHERE name = ?').get(name) as
          | { description: string }
          | undefined;
        return row?.description;
      },
      putTable(name, description) {
        if (self.tableIds.has(name)) {
          self.stmt('UPDATE tables SET description = ? WHERE name = ?').run(description, name);
          return;
        }
        const info = self.stmt('INSERT INTO tables (name, description) VALUES (?, ?)').run(name, description);
        self.tableIds.set(name, Number(info.lastInsertRowid));
      },
      deleteTable(name) {
        const id = self.tableIds.get(name);
        if (id === undefined) return;
        self.stmt('DELETE FROM rows WHERE t = ?').run(id);
        self.stmt('DELETE FROM tables WHERE id = ?').run(id);
        self.tableIds.delete(name);
      },
      get(table, index, key) {
        const row = self
          .stmt('SELECT value FROM rows WHERE t = ? AND ix = ? AND h = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?')
          .get(self.tableId(table), index, partitionHash(key.pk), key.pk, key.sk, key.tpk ?? EMPTY, key.tsk ?? EMPTY) as
          | { value: string }
          | undefined;
        return row?.value;
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
      readStreamRecords(streamId, afterSequence, limit) {
        const rows = self
          .stmt(
            'SELECT sequence, stream_id, shard_key, created_at, record FROM stream_records WHERE stream_id = ? AND sequence > ? ORDER BY sequence LIMIT ?',
          )
          .all(streamId, afterSequence, limit) as Array<{
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
      trimStreamRecords(olderThan) {
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

  private *range(t: number, ix: string, pk: Buffer, options: RangeOptions): Generator<Row> {
    const reverse = options.reverse === true;
    const conditions = ['t = ?', 'ix = ?', 'h = ?', 'pk = ?'];
    const fixed: unknown[] = [t, ix, partitionHash(pk), pk];
    if (options.from) {
      conditions.push(options.from.inclusive ? 'sk >= ?' : 'sk > ?');
      fixed.push(options.from.sk);
    }
    if (options.to) {
      conditions.push(options.to.inclusive ? 'sk <= ?' : 'sk < ?');
      fixed.push(options.to.sk);
    }
    const order = reverse ? 'ORDER BY sk DESC, tpk DESC, tsk DESC' : 'ORDER BY sk, tpk, tsk';
    const select = 'SELECT h, pk, sk, tpk, tsk, value FROM rows WHERE ';
    const first = this.stmt(`${select}${conditions.join(' AND ')} ${order} LIMIT ?`);
    const next = this.stmt(
      `${select}${conditions.join(' AND ')} AND (sk, tpk, tsk) ${reverse ? '<' : '>'} (?, ?, ?) ${order} LIMIT ?`,
    );
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    let after = options.startAfter;
    for (;;) {
      const rows = (
        after ? next.all(...fixed, after.sk, after.tpk ?? EMPTY, after.tsk ?? EMPTY, batch) : first.all(...fixed, batch)
      ) as RawRow[];
      for (const row of rows) yield row;
      if (rows.length < batch) return;
      after = rows[rows.length - 1];
    }
  }

  private *scan(t: number, ix: string, options: ScanOptions): Generator<Row> {
    const conditions = ['t = ?', 'ix = ?'];
    const fixed: unknown[] = [t, ix];
    const total = options.totalSegments ?? 1;
    if (total > 1) {
      const segment = options.segment ?? 0;
      conditions.push('h >= ?', 'h < ?');
      fixed.push(...segmentBounds(segment, total));
    }
    const order = 'ORDER BY h, pk, sk, tpk, tsk';
    const select = 'SELECT h, pk, sk, tpk, tsk, value FROM rows WHERE ';
    const first = this.stmt(`${select}${conditions.join(' AND ')} ${order} LIMIT ?`);
    const next = this.stmt(
      `${select}${conditions.join(' AND ')} AND (h, pk, sk, tpk, tsk) > (?, ?, ?, ?, ?) ${order} LIMIT ?`,
    );
    const batch = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
    let after: RawRow | undefined;
    if (options.startAfter) {
      const s = options.startAfter;
      after = { h: partitionHash(s.pk), pk: s.pk, sk: s.sk, tpk: s.tpk ?? EMPTY, tsk: s.tsk ?? EMPTY, value: '' };
    }
    for (;;) {
      const rows = (
        after
          ? next.all(...fixed, after.h, after.pk, after.sk, after.tpk, after.tsk, batch)
          : first.all(...fixed, batch)
      ) as RawRow[];
      for (const row of rows) yield row;
      if (rows.length < batch) return;
      after = rows[rows.length - 1];
    }
  }
}

/** Opens (creating if needed) the SQLite storage at `location`, a file path or ':memory:'. */
export function openSqliteStorage(location: string): Storage {
  return new SqliteStorage(location);
}
