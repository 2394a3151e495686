// Time to live: deletes items whose TTL attribute (a Number of epoch seconds) lies in the past, as DynamoDB's
// background process does. Deletions go through the normal write path with origin 'ttl', so indexes follow and
// streams can mark them with the service identity. Items whose TTL is more than five years in the past are left
// alone, as DynamoDB documents. Each sweep reads the tables with TTL enabled; the caller decides how often.
import { findSchema, isUserTable } from './catalog.js';
import type { EngineContext } from './context.js';
import { readItem, writeItem } from './itemStore.js';
import type { StoredTable } from './model.js';
import { keyOf } from './schema.js';
import { compareNumbers, type Item, own } from './values/index.js';

const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

function expired(item: Item, attribute: string, nowS: number): boolean {
  const v = own(item, attribute);
  if (!v || !('N' in v)) return false;
  return compareNumbers(v.N, String(nowS)) < 0 && compareNumbers(v.N, String(nowS - FIVE_YEARS_S)) > 0;
}

/** Deletes up to `limit` expired items across all tables; returns how many it deleted. */
export function sweepExpiredItems(ctx: EngineContext, nowMs: number, limit = 1000): number {
  const nowS = Math.floor(nowMs / 1000);
  const tables = ctx.storage
    .transaction((tx) => tx.listTables())
    .filter((t) => isUserTable(t.name))
    .map((t) => JSON.parse(t.description) as StoredTable)
    .filter((t) => t.TimeToLive?.Enabled);
  let deleted = 0;
  for (const table of tables) {
    if (deleted >= limit) break;
    const attribute = table.TimeToLive!.AttributeName;
    // Collect first, then delete in a second transaction step: storage iterators must not see their own writes.
    const due = ctx.storage.transaction((tx) => {
      const keys: Item[] = [];
      const schema = findSchema(ctx, tx, table.TableName);
      if (!schema) return keys;
      for (const row of tx.scan(table.TableName, '', { batchSize: 500 })) {
        const item = JSON.parse(row.value) as Item;
        if (expired(item, attribute, nowS)) keys.push(keyOf(schema, item));
        if (keys.length >= limit - deleted) break;
      }
      return keys;
    });
    if (!due.length) continue;
    ctx.storage.transaction((tx) => {
      const schema = findSchema(ctx, tx, table.TableName);
      if (!schema) return;
      for (const key of due) {
        // Re-read inside the deleting transaction: the item may have been rewritten since the scan.
        const item = readItem(tx, schema, key);
        if (item && expired(item, attribute, nowS)) {
          writeItem(ctx, tx, schema, item, undefined, 'ttl');
          deleted++;
        }
      }
    });
  }
  return deleted;
}
