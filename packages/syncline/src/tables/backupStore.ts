// Backups and restores over the storage port. A backup is a catalog entry named `backup:<id>` (no table name can
// hold a ':', see isUserTable) whose description is a BackupRecord — the table's stored definition at the time —
// and whose primary rows are the table's items, copied in the transaction that creates it: a consistent snapshot,
// in whichever store the tables live (the SQLite file or PostgreSQL). A restore creates a new table from a
// definition and items, in one transaction, like CreateTable followed by loading every item.
import { randomBytes } from 'node:crypto';
import { saveTable } from './catalog.js';
import type { EngineContext } from './context.js';
import { describeStoredTable } from './describe.js';
import { DynamoDBError } from './errors.js';
import { readItem, writeItem } from './itemStore.js';
import type { StoredIndex, StoredTable } from './model.js';
import { newStoredTable, parseCreateTable } from './operations/createTable.js';
import type { UndoRecord } from './pointInTime.js';
import { primaryRowKey, type TableSchema } from './schema.js';
import type { StorageTx } from './storage/port.js';
import type { Item } from './values/index.js';

const PREFIX = 'backup:';

export interface BackupRecord {
  BackupArn: string;
  BackupName: string;
  /** Epoch seconds. */
  BackupCreationDateTime: number;
  BackupSizeBytes: number;
  ItemCount: number;
  /** The table's stored definition when the backup was taken. */
  Table: StoredTable;
}

export const isBackupEntry = (name: string) => name.startsWith(PREFIX);

/** DynamoDB's backup ids: 14 digits of creation time in ms, a dash, 8 hex digits. */
export function newBackupId(now: number): string {
  return `${String(Math.floor(now)).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

export const backupIdOf = (arn: string) => /\/backup\/([0-9]{14}-[0-9a-f]{8})$/.exec(arn)?.[1];

export function readBackup(tx: StorageTx, arn: string): BackupRecord | undefined {
  const id = backupIdOf(arn);
  const json = id === undefined ? undefined : tx.getTable(PREFIX + id);
  if (json === undefined) return undefined;
  const record = JSON.parse(json) as BackupRecord;
  return record.BackupArn === arn ? record : undefined;
}

export function requireBackup(tx: StorageTx, arn: string): BackupRecord {
  const record = readBackup(tx, arn);
  if (!record) throw new DynamoDBError('BackupNotFoundException', `Backup not found: ${arn}`);
  return record;
}

export function listBackupRecords(tx: StorageTx): BackupRecord[] {
  return tx
    .listTables()
    .filter((t) => isBackupEntry(t.name))
    .map((t) => JSON.parse(t.description) as BackupRecord);
}

/** Copies the table's items into a new backup entry; returns its record. */
export function createBackupEntry(ctx: EngineContext, tx: StorageTx, schema: TableSchema, name: string): BackupRecord {
  const now = ctx.now();
  const id = newBackupId(now);
  const entry = PREFIX + id;
  const record: BackupRecord = {
    BackupArn: `${schema.table.TableArn}/backup/${id}`,
    BackupName: name,
    BackupCreationDateTime: now / 1000,
    BackupSizeBytes: 0,
    ItemCount: 0,
    Table: schema.table,
  };
  tx.putTable(entry, JSON.stringify(record));
  let bytes = 0;
  let count = 0;
  for (const row of tx.scan(schema.name, '', { batchSize: 1000 })) {
    const item = JSON.parse(row.value) as Item;
    tx.put(entry, '', primaryRowKey(schema, item), row.value);
    bytes += Buffer.byteLength(row.value);
    count++;
  }
  // The stored items' bytes: AWS also reports an estimate here.
  record.BackupSizeBytes = bytes;
  record.ItemCount = count;
  tx.putTable(entry, JSON.stringify(record));
  return record;
}

export function deleteBackupEntry(tx: StorageTx, record: BackupRecord): void {
  const id = backupIdOf(record.BackupArn)!;
  tx.deleteTable(PREFIX + id);
}

/** The items a backup holds. */
export function* backupItems(tx: StorageTx, record: BackupRecord): Iterable<Item> {
  const id = backupIdOf(record.BackupArn)!;
  for (const row of tx.scan(PREFIX + id, '', { batchSize: 1000 })) yield JSON.parse(row.value) as Item;
}

export interface RestoreOverrides {
  BillingModeOverride?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedThroughputOverride?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  GlobalSecondaryIndexOverride?: StoredIndex[];
  LocalSecondaryIndexOverride?: StoredIndex[];
}

/**
 * The definition a restore creates: the source's key schema and indexes (or the overrides), billing mode and
 * throughput (or the overrides). As in DynamoDB, streams, TTL, tags, point-in-time recovery and Contributor
 * Insights are not restored: they are set up again on the new table.
 */
function restoredDefinition(source: StoredTable, target: string, o: RestoreOverrides): Record<string, unknown> {
  const billing = o.BillingModeOverride ?? source.BillingMode;
  const throughput =
    billing === 'PROVISIONED'
      ? (o.ProvisionedThroughputOverride ??
        (source.BillingMode === 'PROVISIONED' ? source.ProvisionedThroughput : undefined))
      : undefined;
  const indexes = (list: StoredIndex[] | undefined, global: boolean) =>
    list?.map((i) => {
      const { ProvisionedThroughput, ...rest } = i;
      if (!global || billing !== 'PROVISIONED') return rest;
      return { ...rest, ProvisionedThroughput: ProvisionedThroughput ?? throughput };
    });
  const gsis = indexes(o.GlobalSecondaryIndexOverride ?? source.GlobalSecondaryIndexes, true);
  const lsis = indexes(o.LocalSecondaryIndexOverride ?? source.LocalSecondaryIndexes, false);
  const used = new Set<string>();
  for (const k of [source.KeySchema, ...(gsis ?? []).map((i) => i.KeySchema), ...(lsis ?? []).map((i) => i.KeySchema)])
    for (const e of k ?? []) used.add(e.AttributeName);
  const definitions = source.AttributeDefinitions.filter((d) => used.has(d.AttributeName));
  // An override naming an attribute the source never defined keeps it, so CreateTable's check reports it.
  return {
    TableName: target,
    AttributeDefinitions: definitions,
    KeySchema: source.KeySchema,
    BillingMode: billing,
    ...(throughput ? { ProvisionedThroughput: throughput } : {}),
    ...(gsis?.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis?.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(source.TableClass ? { TableClass: source.TableClass } : {}),
  };
}

/**
 * Creates `target` from `source`'s definition (with overrides) and loads `items` into it, indexes included.
 * Returns the new table's description, CREATING as DynamoDB answers a restore (it is ACTIVE once this commits).
 */
export function restoreTable(
  ctx: EngineContext,
  tx: StorageTx,
  source: StoredTable,
  target: string,
  overrides: RestoreOverrides,
  items: Iterable<Item>,
  summary: { SourceBackupArn?: string; SourceTableArn: string; RestoreDateTime: number },
  /** Changes to undo after loading `items`, newest first (a point-in-time restore). */
  undo: UndoRecord[] = [],
): Record<string, unknown> {
  if (tx.getTable(target) !== undefined) {
    throw new DynamoDBError('TableAlreadyExistsException', `Table already exists: ${target}`);
  }
  const table = newStoredTable(ctx, parseCreateTable(restoredDefinition(source, target, overrides)));
  table.RestoreSummary = { ...summary, RestoreInProgress: false };
  const schema = saveTable(ctx, tx, table);
  for (const item of items) writeItem(ctx, tx, schema, undefined, item);
  for (const change of undo) {
    const current = readItem(tx, schema, change.k);
    if (current || change.o) writeItem(ctx, tx, schema, current, change.o);
  }
  const out = describeStoredTable(ctx, tx, table, 'CREATING');
  out.RestoreSummary = { ...summary, RestoreInProgress: true };
  return out;
}
