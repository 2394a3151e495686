// The storage port: ordered binary keys, transactions and an append-only change log.
// It knows nothing of DynamoDB. The table engine encodes keys so that byte order (memcmp) is the
// order DynamoDB returns items in, and stores item bodies as opaque strings.
//
// A row lives in (table, index) and is addressed by (pk, sk, tpk, tsk):
//   - primary rows: index '' and tpk/tsk empty;
//   - secondary index rows: pk/sk are the index key, tpk/tsk the item's table key, so two items
//     with the same index key are distinct rows, ordered by their table key (as DynamoDB does).
// Rows in one (table, index) are kept in an adapter-chosen partition order for scans: rows of one
// pk are contiguous and ordered by (sk, tpk, tsk); `scan` segments split the pk space into
// `totalSegments` disjoint slices that together cover every row exactly once.

export interface RowKey {
  pk: Buffer;
  sk: Buffer;
  /** Table key of the item, for secondary index rows; empty for primary rows. */
  tpk?: Buffer;
  tsk?: Buffer;
}

/** A row as reads return it: its value only (callers hold the keys they asked for; reading keys costs a Buffer each). */
export interface Row {
  value: string;
}

export interface SortBound {
  sk: Buffer;
  inclusive: boolean;
}

export interface RangeOptions {
  from?: SortBound;
  to?: SortBound;
  reverse?: boolean;
  /** Resume strictly after (in iteration direction) this row. */
  startAfter?: RowKey;
  /** Batch size hint for adapters that read ahead; iteration may stop earlier at the caller's will. */
  batchSize?: number;
}

export interface ScanOptions {
  segment?: number;
  totalSegments?: number;
  startAfter?: RowKey;
  batchSize?: number;
}

export interface TableStats {
  count: number;
  bytes: number;
}

export interface StreamRecordRow {
  sequence: number;
  streamId: string;
  shardKey: string;
  createdAt: number;
  record: string;
}

export interface StorageTx {
  /** Table catalog: name → JSON description, owned by the engine. */
  listTables(): Array<{ name: string; description: string }>;
  getTable(name: string): string | undefined;
  putTable(name: string, description: string): void;
  /** Removes the catalog row and every row of every index of the table. */
  deleteTable(name: string): void;

  get(table: string, index: string, key: RowKey): string | undefined;
  put(table: string, index: string, key: RowKey, value: string): void;
  delete(table: string, index: string, key: RowKey): void;
  /** Removes every row of one index (used when an index is dropped). */
  clearIndex(table: string, index: string): void;

  /** Rows of one partition, ordered by (sk, tpk, tsk), lazily fetched. */
  range(table: string, index: string, pk: Buffer, options?: RangeOptions): Iterable<Row>;
  /** Rows of a whole index (or one segment of it) in partition order, lazily fetched. */
  scan(table: string, index: string, options?: ScanOptions): Iterable<Row>;
  stats(table: string, index: string): TableStats;

  /**
   * Appends a change record. Its sequence number increases across all streams and, within a shard key, follows
   * commit order (an adapter with concurrent writers may assign it at commit, so it is not returned).
   */
  appendStreamRecord(streamId: string, shardKey: string, record: string, createdAt?: number): void;
  /** Records after `afterSequence` in sequence order, of the whole stream or of one shard key. */
  readStreamRecords(streamId: string, afterSequence: number, limit: number, shardKey?: string): StreamRecordRow[];
  /** First and last sequence of the records kept for one shard key; undefined when it holds none. */
  streamShardRange(streamId: string, shardKey: string): { first: number; last: number } | undefined;
  /** The highest sequence ever trimmed from one shard key (0 if none): readers behind it missed records. */
  streamTrimHorizon(streamId: string, shardKey: string): number;
  /** Deletes records created before `olderThan` (epoch ms), remembering each shard's trim horizon; returns the count. */
  trimStreamRecords(olderThan: number): number;

  /** Small durable key/value area for engine bookkeeping (idempotency tokens and the like). */
  getMeta(key: string): string | undefined;
  putMeta(key: string, value: string | undefined): void;
}

export interface Storage {
  /** Told how long each commit took, in ms (metrics); set by the server, absent by default. */
  onCommit?: (durationMs: number) => void;
  /**
   * Runs `fn` in one atomic, serializable transaction. Everything written inside commits together
   * or not at all; an exception thrown by `fn` rolls back and is rethrown.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: (tx: StorageTx) => T): T;
  /**
   * Runs `fn`, which must not write, against one consistent snapshot, without taking the write lock.
   * Nested in a transaction it joins it (and sees its writes).
   */
  read<T>(fn: (tx: StorageTx) => T): T;
  /**
   * Group commit (see docs/decisions/0004-group-commit.md): runs `fn` now, and every `transaction` it opens
   * becomes a savepoint of one transaction shared with the other `grouped` calls of this event-loop turn,
   * committed (one fsync) once the turn's I/O callbacks are done. A failing `fn` rolls back its own savepoint only.
   * The promise settles with `fn`'s result or error once everything `fn` wrote or read is committed, so nothing
   * is acknowledged before it is durable; when nothing it touched waits for a commit, `fn`'s result is returned
   * (or its error thrown) at once, without a promise. Any other storage call commits the open group first.
   */
  grouped<T>(fn: () => T): T | Promise<T>;
  /** Where the data lives (file path or ':memory:'). */
  readonly location: string;
  close(): void;
}
