// CreateBackup, DescribeBackup, ListBackups and DeleteBackup: on-demand backups kept in the table store
// (backupStore.ts). A backup is taken in one transaction, so it is complete and consistent when CreateBackup
// answers; it is reported CREATING there, as DynamoDB does, and AVAILABLE from then on.
import {
  type BackupRecord,
  createBackupEntry,
  deleteBackupEntry,
  listBackupRecords,
  requireBackup,
} from '../backupStore.js';
import { findSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

export const backupArnShape = { kind: 'string', notNull: true, minLength: 37, maxLength: 1024 } as const;

const createShape: RequestShape = {
  tableNameRequired: true,
  fields: {
    TableName: controlPlaneTableName,
    BackupName: { kind: 'string', notNull: true, minLength: 3, maxLength: 255, regex: '[a-zA-Z0-9_.-]+' },
  },
};
const arnShape: RequestShape = { fields: { BackupArn: backupArnShape } };
const listShape: RequestShape = {
  fields: {
    TableName: { kind: 'string', minLength: 1, maxLength: 1024 },
    Limit: { kind: 'integer', min: 1, max: 100 },
    ExclusiveStartBackupArn: { kind: 'string', minLength: 37, maxLength: 1024 },
    BackupType: { kind: 'string', enum: ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL'] },
  },
};

/** A table named by name or ARN (DynamoDB accepts both in TableName). */
function tableNameOf(ctx: EngineContext, nameOrArn: string): string {
  const prefix = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/`;
  return nameOrArn.startsWith(prefix) ? nameOrArn.slice(prefix.length) : nameOrArn;
}

function details(record: BackupRecord, status: 'CREATING' | 'AVAILABLE' | 'DELETED') {
  return {
    BackupArn: record.BackupArn,
    BackupName: record.BackupName,
    BackupSizeBytes: record.BackupSizeBytes,
    BackupStatus: status,
    BackupType: 'USER',
    BackupCreationDateTime: record.BackupCreationDateTime,
  };
}

function description(record: BackupRecord, status: 'AVAILABLE' | 'DELETED') {
  const t = record.Table;
  const features: Record<string, unknown> = {};
  if (t.LocalSecondaryIndexes?.length) {
    features.LocalSecondaryIndexes = t.LocalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    }));
  }
  if (t.GlobalSecondaryIndexes?.length) {
    features.GlobalSecondaryIndexes = t.GlobalSecondaryIndexes.map(
      ({ IndexName, KeySchema, Projection, ProvisionedThroughput }) => ({
        IndexName,
        KeySchema,
        Projection,
        ...(t.BillingMode === 'PROVISIONED' && ProvisionedThroughput ? { ProvisionedThroughput } : {}),
      }),
    );
  }
  if (t.StreamSpecification?.StreamEnabled) features.StreamDescription = t.StreamSpecification;
  features.TimeToLiveDescription = t.TimeToLive?.Enabled
    ? { TimeToLiveStatus: 'ENABLED', AttributeName: t.TimeToLive.AttributeName }
    : { TimeToLiveStatus: 'DISABLED' };
  return {
    BackupDetails: details(record, status),
    SourceTableDetails: {
      TableName: t.TableName,
      TableId: t.TableId,
      TableArn: t.TableArn,
      TableSizeBytes: record.BackupSizeBytes,
      KeySchema: t.KeySchema,
      TableCreationDateTime: t.CreationDateTime,
      ProvisionedThroughput:
        t.BillingMode === 'PROVISIONED' ? t.ProvisionedThroughput : { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      ItemCount: record.ItemCount,
      BillingMode: t.BillingMode,
    },
    SourceTableFeatureDetails: features,
  };
}

export function createBackup(ctx: EngineContext, body: unknown): { BackupDetails: Record<string, unknown> } {
  const data = checkRequest<{ TableName: string; BackupName: string }>(body, createShape);
  return ctx.storage.transaction((tx) => {
    const name = tableNameOf(ctx, data.TableName);
    const schema = findSchema(ctx, tx, name);
    if (!schema) throw new DynamoDBError('TableNotFoundException', `Table not found: ${name}`);
    return { BackupDetails: details(createBackupEntry(ctx, tx, schema, data.BackupName), 'CREATING') };
  });
}

export function describeBackup(ctx: EngineContext, body: unknown): { BackupDescription: Record<string, unknown> } {
  const data = checkRequest<{ BackupArn: string }>(body, arnShape);
  return ctx.storage.read((tx) => ({ BackupDescription: description(requireBackup(tx, data.BackupArn), 'AVAILABLE') }));
}

export function deleteBackup(ctx: EngineContext, body: unknown): { BackupDescription: Record<string, unknown> } {
  const data = checkRequest<{ BackupArn: string }>(body, arnShape);
  return ctx.storage.transaction((tx) => {
    const record = requireBackup(tx, data.BackupArn);
    deleteBackupEntry(tx, record);
    return { BackupDescription: description(record, 'DELETED') };
  });
}

/** A timestamp member as the JSON protocol sends it: epoch seconds. */
function timeBound(body: unknown, name: string): number | undefined {
  const v = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new DynamoDBError('SerializationException', `${name} must be a timestamp (epoch seconds)`);
  }
  return v;
}

export function listBackups(
  ctx: EngineContext,
  body: unknown,
): { BackupSummaries: Record<string, unknown>[]; LastEvaluatedBackupArn?: string } {
  const data = checkRequest<{
    TableName?: string;
    Limit?: number;
    ExclusiveStartBackupArn?: string;
    BackupType?: string;
  }>(body, listShape);
  const lower = timeBound(body, 'TimeRangeLowerBound');
  const upper = timeBound(body, 'TimeRangeUpperBound');
  if (lower !== undefined && upper !== undefined && lower > upper) {
    throw validation('TimeRangeUpperBound must be greater than TimeRangeLowerBound');
  }
  // Syncline takes only on-demand (USER) backups.
  if (data.BackupType === 'SYSTEM' || data.BackupType === 'AWS_BACKUP') return { BackupSummaries: [] };
  const table = data.TableName === undefined ? undefined : tableNameOf(ctx, data.TableName);
  const all = ctx.storage
    .read((tx) => listBackupRecords(tx))
    .filter((r) => table === undefined || r.Table.TableName === table)
    .filter((r) => lower === undefined || r.BackupCreationDateTime >= lower)
    .filter((r) => upper === undefined || r.BackupCreationDateTime < upper)
    .sort((a, b) => a.BackupCreationDateTime - b.BackupCreationDateTime || (a.BackupArn < b.BackupArn ? -1 : 1));
  let start = 0;
  if (data.ExclusiveStartBackupArn !== undefined) {
    start = all.findIndex((r) => r.BackupArn === data.ExclusiveStartBackupArn) + 1;
    if (start === 0) throw validation(`Invalid ExclusiveStartBackupArn: ${data.ExclusiveStartBackupArn}`);
  }
  const limit = data.Limit ?? 100;
  const page = all.slice(start, start + limit).map((r) => ({
    TableName: r.Table.TableName,
    TableId: r.Table.TableId,
    TableArn: r.Table.TableArn,
    ...details(r, 'AVAILABLE'),
  }));
  return start + limit < all.length
    ? { BackupSummaries: page, LastEvaluatedBackupArn: page[page.length - 1].BackupArn }
    : { BackupSummaries: page };
}
