// What every operation receives: the storage, the account it answers as, the change hook and its caches.
import type { StoredTable } from './model.js';
import type { TableSchema } from './schema.js';
import type { Storage, StorageTx } from './storage/port.js';
import type { Item } from './values/index.js';

/** One committed-together change of one item, seen inside the writing transaction. */
export interface ItemChange {
  table: StoredTable;
  /** Key attributes of the item. */
  keys: Item;
  /** The replaced item; not read, so absent, for a blind put on a table without stream or index (itemStore.ts). */
  oldItem?: Item;
  newItem?: Item;
  /** 'ttl' for deletions by the TTL sweeper (streams mark them with the service identity). */
  origin: 'user' | 'ttl';
}

/**
 * Called inside the storage transaction of every item write, after the item and its index rows are written.
 * Whatever it writes through `tx` (a stream record) commits or rolls back with the item: a transactional outbox.
 */
export type ChangeHook = (change: ItemChange, tx: StorageTx) => void;

export interface EngineContext {
  storage: Storage;
  region: string;
  accountId: string;
  onChange?: ChangeHook;
  /** Compiled schemas keyed by table name, valid while the stored JSON is unchanged. */
  schemas: Map<string, { json: string; schema: TableSchema }>;
  now(): number;
  /** The host:port this engine's DynamoDB API is served on (DescribeEndpoints). */
  endpoint(): string;
}
