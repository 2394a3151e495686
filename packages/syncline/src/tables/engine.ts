// The table engine: DynamoDB's actions over a storage port. Synchronous — storage is — and free of HTTP.
import { findSchema, saveTable } from './catalog.js';
import type { ChangeHook, EngineContext } from './context.js';
import { DynamoDBError } from './errors.js';
import { stringifyOutput } from './jsonText.js';
import type { StoredIndex, StoredTable } from './model.js';
import { createBackup, deleteBackup, describeBackup, listBackups } from './operations/backups.js';
import { batchExecuteStatement } from './operations/batchExecuteStatement.js';
import { batchGetItem } from './operations/batchGetItem.js';
import { batchWriteItem } from './operations/batchWriteItem.js';
import { findBulkOperation, listBulkOperations, startBulkPutItems } from './operations/bulkOperations.js';
import { describeContinuousBackups, updateContinuousBackups } from './operations/continuousBackups.js';
import {
  describeContributorInsights,
  listContributorInsights,
  updateContributorInsights,
} from './operations/contributorInsights.js';
import {
  type CreateTableInput,
  createTable,
  newStoredTable,
  parseCreateTable,
  streamLabel,
} from './operations/createTable.js';
import { deleteItem } from './operations/deleteItem.js';
import { deleteTable } from './operations/deleteTable.js';
import { describeEndpoints } from './operations/describeEndpoints.js';
import { describeLimits } from './operations/describeLimits.js';
import { describeTable } from './operations/describeTable.js';
import { executeStatement } from './operations/executeStatement.js';
import { executeTransaction } from './operations/executeTransaction.js';
import {
  describeExport,
  describeImport,
  exportTableToPointInTime,
  importTable,
  listExports,
  listImports,
} from './operations/exportsAndImports.js';
import { getItem } from './operations/getItem.js';
import {
  changeGlobalTable,
  describeGlobalTable,
  describeTableReplicaAutoScaling,
  listGlobalTables,
  updateTableReplicaAutoScaling,
} from './operations/globalTables.js';
import {
  changeKinesisStreamingDestination,
  describeKinesisStreamingDestination,
} from './operations/kinesisStreamingDestination.js';
import { listTables } from './operations/listTables.js';
import { putItem } from './operations/putItem.js';
import { query } from './operations/query.js';
import { deleteResourcePolicy, getResourcePolicy, putResourcePolicy } from './operations/resourcePolicies.js';
import { restoreTableFromBackup } from './operations/restoreTableFromBackup.js';
import { restoreTableToPointInTime } from './operations/restoreTableToPointInTime.js';
import { scan } from './operations/scan.js';
import { searchVectors } from './operations/searchVectors.js';
import { listTagsOfResource, tagResource, untagResource } from './operations/tags.js';
import { describeTimeToLive, updateTimeToLive } from './operations/timeToLive.js';
import { transactGetItems } from './operations/transactGetItems.js';
import { transactWriteItems } from './operations/transactWriteItems.js';
import { updateItem } from './operations/updateItem.js';
import { backfillIndex, updateTable } from './operations/updateTable.js';
import { assertRequestBounds } from './requestBody.js';
import type { Storage } from './storage/port.js';
import { sweepExpiredItems } from './ttl.js';

export interface TableEngineOptions {
  storage: Storage;
  region?: string;
  accountId?: string;
  /** Called inside the transaction of every item write (streams write their records here). */
  onChange?: ChangeHook;
  /** Clock in epoch milliseconds (tests pin it). */
  now?: () => number;
  /** The host:port the DynamoDB API is served on, for DescribeEndpoints; `localhost:8000` if not given. */
  endpoint?: () => string;
}

/** A table as an app declares it: CreateTable's input plus an optional TTL setting. */
export type TableDefinition = CreateTableInput & {
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
};

export interface EnsureTableResult {
  created: boolean;
  /** What changed on an existing table, in words (for logs). */
  changes: string[];
}

/** `wire`: the output goes straight to JSON text (see executeJson), so items may stay JsonText. */
type Action = (ctx: EngineContext, body: unknown, wire: boolean) => Record<string, unknown>;

/** Every action by its wire name (the part after `DynamoDB_20120810.`). */
export const ACTIONS = {
  BatchExecuteStatement: batchExecuteStatement,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CancelBulkOperation: findBulkOperation,
  CreateBackup: createBackup,
  CreateGlobalTable: changeGlobalTable('CreateGlobalTable'),
  CreateTable: createTable,
  DeleteBackup: deleteBackup,
  DeleteResourcePolicy: deleteResourcePolicy,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeBackup: describeBackup,
  DescribeBulkOperation: findBulkOperation,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeContributorInsights: describeContributorInsights,
  DescribeEndpoints: describeEndpoints,
  DescribeExport: describeExport,
  DescribeGlobalTable: describeGlobalTable,
  DescribeGlobalTableSettings: describeGlobalTable,
  DescribeImport: describeImport,
  DescribeKinesisStreamingDestination: describeKinesisStreamingDestination,
  DescribeLimits: describeLimits,
  DescribeTable: describeTable,
  DescribeTableReplicaAutoScaling: describeTableReplicaAutoScaling,
  DescribeTimeToLive: describeTimeToLive,
  DisableKinesisStreamingDestination: changeKinesisStreamingDestination('DisableKinesisStreamingDestination'),
  EnableKinesisStreamingDestination: changeKinesisStreamingDestination('EnableKinesisStreamingDestination'),
  ExportTableToPointInTime: exportTableToPointInTime,
  ExecuteStatement: executeStatement,
  ExecuteTransaction: executeTransaction,
  GetItem: getItem,
  GetResourcePolicy: getResourcePolicy,
  ImportTable: importTable,
  ListBackups: listBackups,
  ListBulkOperations: listBulkOperations,
  ListContributorInsights: listContributorInsights,
  ListExports: listExports,
  ListGlobalTables: listGlobalTables,
  ListImports: listImports,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  PutResourcePolicy: putResourcePolicy,
  Query: query,
  RestoreTableFromBackup: restoreTableFromBackup,
  RestoreTableToPointInTime: restoreTableToPointInTime,
  Scan: scan,
  SearchVectors: searchVectors,
  StartBulkPutItems: startBulkPutItems,
  TagResource: tagResource,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UntagResource: untagResource,
  UpdateContinuousBackups: updateContinuousBackups,
  UpdateContributorInsights: updateContributorInsights,
  UpdateGlobalTable: changeGlobalTable('UpdateGlobalTable'),
  UpdateGlobalTableSettings: changeGlobalTable('UpdateGlobalTableSettings'),
  UpdateItem: updateItem,
  UpdateKinesisStreamingDestination: changeKinesisStreamingDestination('UpdateKinesisStreamingDestination'),
  UpdateTable: updateTable,
  UpdateTableReplicaAutoScaling: updateTableReplicaAutoScaling,
  UpdateTimeToLive: updateTimeToLive,
} satisfies Record<string, Action>;

export type ActionName = keyof typeof ACTIONS;

/** Request and response bodies are DynamoDB's JSON shapes (AttributeValues in wire form). */
export type TableEngine = {
  [K in ActionName as Uncapitalize<K>]: (input: Record<string, unknown>) => Record<string, unknown>;
} & {
  readonly storage: Storage;
  readonly region: string;
  readonly accountId: string;
  /** Runs an action by wire name; throws DynamoDBError (UnknownOperationException for unknown names). */
  execute(action: string, input: unknown): Record<string, unknown>;
  /**
   * The JSON protocol's entry: runs an action and resolves with its output as JSON text, or rejects with its
   * DynamoDBError. Writes share one commit with the other requests of this event-loop turn (group commit,
   * docs/decisions/0004-group-commit.md); the promise settles only once everything the action wrote, or read
   * from that group, is on disk.
   */
  executeJson(action: string, input: unknown): string | Promise<string>;
  /**
   * Creates a declared table, or brings an existing one to the declared shape without losing items:
   * indexes are added (backfilled), rebuilt when their key or projection changed, or dropped; billing, streams
   * and TTL follow the declaration. A changed primary key cannot be applied and throws ValidationException.
   */
  ensureTable(definition: TableDefinition): EnsureTableResult;
  /** Deletes items whose TTL has passed (at most `limit` per call); the server calls this on a timer. */
  sweepExpiredItems(limit?: number): number;
};

const sameIndex = (a: StoredIndex, b: StoredIndex) =>
  JSON.stringify([
    a.KeySchema,
    a.Projection.ProjectionType ?? 'ALL',
    [...(a.Projection.NonKeyAttributes ?? [])].sort(),
  ]) ===
  JSON.stringify([
    b.KeySchema,
    b.Projection.ProjectionType ?? 'ALL',
    [...(b.Projection.NonKeyAttributes ?? [])].sort(),
  ]);

function ensure(ctx: EngineContext, definition: TableDefinition): EnsureTableResult {
  const { TimeToLiveSpecification: ttl, ...create } = definition;
  const data = parseCreateTable(create);
  return ctx.storage.transaction((tx) => {
    const existing = findSchema(ctx, tx, data.TableName);
    const changes: string[] = [];
    const declared = newStoredTable(ctx, data);
    if (ttl?.Enabled) declared.TimeToLive = { AttributeName: ttl.AttributeName, Enabled: true, UpdatedAt: ctx.now() };
    if (!existing) {
      saveTable(ctx, tx, declared);
      return { created: true, changes };
    }
    const current = existing.table;
    if (JSON.stringify(current.KeySchema) !== JSON.stringify(declared.KeySchema)) {
      throw new DynamoDBError(
        'ValidationException',
        `Table ${data.TableName} exists with a different primary key; delete it (or its data folder) to change the key schema`,
      );
    }
    const next: StoredTable = structuredClone(current);
    next.AttributeDefinitions = declared.AttributeDefinitions;
    next.BillingMode = declared.BillingMode;
    next.ProvisionedThroughput = declared.ProvisionedThroughput;
    const rebuild: string[] = [];
    const drop: string[] = [];
    for (const kind of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
      const before = current[kind] ?? [];
      const after = declared[kind] ?? [];
      for (const index of before) {
        const wanted = after.find((i) => i.IndexName === index.IndexName);
        if (!wanted) {
          drop.push(index.IndexName);
          changes.push(`dropped index ${index.IndexName}`);
        } else if (!sameIndex(index, wanted)) {
          drop.push(index.IndexName);
          rebuild.push(index.IndexName);
          changes.push(`rebuilt index ${index.IndexName}`);
        }
      }
      for (const index of after) {
        if (!before.some((i) => i.IndexName === index.IndexName)) {
          rebuild.push(index.IndexName);
          changes.push(`added index ${index.IndexName}`);
        }
      }
      if (after.length) next[kind] = after;
      else delete next[kind];
    }
    const streamOn = declared.StreamSpecification?.StreamEnabled === true;
    if (streamOn && JSON.stringify(current.StreamSpecification) !== JSON.stringify(declared.StreamSpecification)) {
      next.StreamSpecification = declared.StreamSpecification;
      next.LatestStreamLabel = streamLabel(ctx.now());
      next.LatestStreamArn = `${next.TableArn}/stream/${next.LatestStreamLabel}`;
      changes.push('enabled stream');
    } else if (!streamOn && current.StreamSpecification?.StreamEnabled) {
      delete next.StreamSpecification;
      changes.push('disabled stream');
    }
    if (
      ttl &&
      (ttl.Enabled !== (current.TimeToLive?.Enabled ?? false) ||
        ttl.AttributeName !== current.TimeToLive?.AttributeName)
    ) {
      next.TimeToLive = { AttributeName: ttl.AttributeName, Enabled: ttl.Enabled, UpdatedAt: ctx.now() };
      changes.push(`time to live ${ttl.Enabled ? 'enabled' : 'disabled'}`);
    }
    if (JSON.stringify(next) === JSON.stringify(current)) return { created: false, changes };
    for (const name of drop) tx.clearIndex(next.TableName, name);
    saveTable(ctx, tx, next);
    for (const name of rebuild) backfillIndex(tx, next, name);
    return { created: false, changes };
  });
}

export function createTableEngine(options: TableEngineOptions): TableEngine {
  const ctx: EngineContext = {
    storage: options.storage,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    onChange: options.onChange,
    schemas: new Map(),
    now: options.now ?? Date.now,
    endpoint: options.endpoint ?? (() => 'localhost:8000'),
  };
  const execute = (action: string, input: unknown, wire = false): Record<string, unknown> => {
    const run = Object.hasOwn(ACTIONS, action) ? (ACTIONS as Record<string, Action>)[action] : undefined;
    if (!run) throw new DynamoDBError('UnknownOperationException', `Unknown operation: ${action}`);
    // A wire request was bounded on its bytes (requestBody.ts); objects from inside the server are walked here.
    if (!wire) assertRequestBounds(input);
    return run(ctx, input, wire);
  };
  const engine: Record<string, unknown> = {
    storage: ctx.storage,
    region: ctx.region,
    accountId: ctx.accountId,
    execute: (action: string, input: unknown) => execute(action, input),
    executeJson: (action: string, input: unknown) =>
      ctx.storage.grouped(() => stringifyOutput(execute(action, input, true))),
    ensureTable: (definition: TableDefinition) => ensure(ctx, definition),
    sweepExpiredItems: (limit?: number) => sweepExpiredItems(ctx, ctx.now(), limit),
  };
  for (const name of Object.keys(ACTIONS)) {
    engine[name.charAt(0).toLowerCase() + name.slice(1)] = (input: unknown) => execute(name, input);
  }
  return engine as TableEngine;
}
