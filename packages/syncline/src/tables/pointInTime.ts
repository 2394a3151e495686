// Point-in-time recovery as an undo log. While recovery is enabled on a table, every item write appends, in the
// write's own transaction, a record of how to undo it (the item as it was, or its key if it did not exist) to the
// store's change log (the log DynamoDB streams use, under a stream id of its own). Restoring to time T copies the
// table as it is now and undoes, newest first, every change made after T. The log is trimmed with the streams'
// 24-hour retention, so a table can be restored to any moment since recovery was enabled, at most 24 hours back.
import type { EngineContext } from './context.js';
import type { StoredTable } from './model.js';
import { keyOf, type TableSchema } from './schema.js';
import type { StorageTx } from './storage/port.js';
import { RETENTION_MS } from './streams/retention.js';
import type { Item } from './values/index.js';

const PAGE = 1000;

/** One table incarnation's log: a table deleted and created again under its name starts a new one. */
const logId = (table: StoredTable) => `pitr:${table.TableId}`;

interface UndoRecord {
  /** The item's key. */
  k: Item;
  /** The item before the change; absent if the change created it. */
  o?: Item;
}

export function logUndo(
  ctx: EngineContext,
  tx: StorageTx,
  schema: TableSchema,
  subject: Item,
  oldItem: Item | undefined,
): void {
  const record: UndoRecord = oldItem ? { k: keyOf(schema, subject), o: oldItem } : { k: keyOf(schema, subject) };
  tx.appendStreamRecord(logId(schema.table), '', JSON.stringify(record), ctx.now());
}

/** The window a table can be restored to, in epoch ms; undefined when recovery is off. */
export function restorableWindow(
  ctx: EngineContext,
  table: StoredTable,
): { earliest: number; latest: number } | undefined {
  const pitr = table.PointInTimeRecovery;
  if (!pitr?.Enabled) return undefined;
  const now = ctx.now();
  return { earliest: Math.max(pitr.EnabledAt, now - RETENTION_MS), latest: now };
}

/**
 * The undo records of changes made after `at` (epoch ms), newest first. Read before anything is written, so the
 * log's iterator never sees the restore's own writes.
 */
export function undoAfter(tx: StorageTx, table: StoredTable, at: number): UndoRecord[] {
  const out: UndoRecord[] = [];
  let after = 0;
  for (;;) {
    const rows = tx.readStreamRecords(logId(table), after, PAGE);
    for (const row of rows) if (row.createdAt > at) out.push(JSON.parse(row.record) as UndoRecord);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].sequence;
  }
  return out.reverse();
}

export type { UndoRecord };
