// Items in storage: one primary row per item holding its JSON, and one row per secondary index it belongs to,
// maintained in the same transaction as the item, followed by the change hook (streams plug in there).
import type { EngineContext, ItemChange } from './context.js';
import { logUndo } from './pointInTime.js';
import { indexRowKey, keyOf, primaryRowKey, projectForIndex, type TableSchema } from './schema.js';
import type { RowKey, StorageTx } from './storage/port.js';
import type { Item } from './values/index.js';

export function readItem(tx: StorageTx, schema: TableSchema, key: Item): Item | undefined {
  const json = tx.get(schema.name, '', primaryRowKey(schema, key));
  return json === undefined ? undefined : (JSON.parse(json) as Item);
}

/**
 * Whether replacing an item needs the item it replaces even when the request does not ask for it: to remove its
 * index rows, or for the stream record. Otherwise a blind write need not read it.
 */
export function keepsOldImage(schema: TableSchema): boolean {
  return (
    schema.indexes.size > 0 ||
    schema.table.StreamSpecification?.StreamEnabled === true ||
    schema.table.PointInTimeRecovery?.Enabled === true
  );
}

const sameRow = (a: RowKey, b: RowKey) =>
  a.pk.equals(b.pk) && a.sk.equals(b.sk) && a.tpk!.equals(b.tpk!) && a.tsk!.equals(b.tsk!);

/** Replaces `oldItem` (as read in this transaction) with `newItem`; either may be absent. */
export function writeItem(
  ctx: EngineContext,
  tx: StorageTx,
  schema: TableSchema,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  origin: ItemChange['origin'] = 'user',
): void {
  const subject = (newItem ?? oldItem)!;
  const primary = primaryRowKey(schema, subject);
  if (newItem) tx.put(schema.name, '', primary, JSON.stringify(newItem));
  else tx.delete(schema.name, '', primary);
  for (const index of schema.indexes.values()) {
    const before = oldItem && indexRowKey(schema, index, oldItem);
    const after = newItem && indexRowKey(schema, index, newItem);
    if (before && !(after && sameRow(before, after))) tx.delete(schema.name, index.name, before);
    if (after) tx.put(schema.name, index.name, after, JSON.stringify(projectForIndex(index, newItem!)));
  }
  ctx.onChange?.({ table: schema.table, keys: keyOf(schema, subject), oldItem, newItem, origin }, tx);
  if (schema.table.PointInTimeRecovery?.Enabled) logUndo(ctx, tx, schema, subject, oldItem);
}
