// RestoreTableFromBackup: a new table with the backup's definition (or the overrides) and its items.
import { backupItems, type RestoreOverrides, requireBackup, restoreTable } from '../backupStore.js';
import type { EngineContext } from '../context.js';
import {
  checkRequest,
  indexName,
  keySchema,
  projection,
  provisionedThroughput,
  type RequestShape,
  type Shape,
  tableName,
} from '../validation/shape.js';
import { backupArnShape } from './backups.js';

export const indexOverride = (global: boolean): Shape => ({
  kind: 'list',
  of: {
    kind: 'struct',
    name: global ? 'GlobalSecondaryIndex' : 'LocalSecondaryIndex',
    fields: {
      IndexName: indexName(true),
      KeySchema: keySchema(false),
      Projection: projection,
      ...(global ? { ProvisionedThroughput: provisionedThroughput() } : {}),
    },
  },
});

export const overrideFields: Record<string, Shape> = {
  BillingModeOverride: { kind: 'string', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
  GlobalSecondaryIndexOverride: indexOverride(true),
  LocalSecondaryIndexOverride: indexOverride(false),
  ProvisionedThroughputOverride: provisionedThroughput(),
};

const shape: RequestShape = {
  fields: { TargetTableName: tableName(true), BackupArn: backupArnShape, ...overrideFields },
};

export function restoreTableFromBackup(
  ctx: EngineContext,
  body: unknown,
): { TableDescription: Record<string, unknown> } {
  const data = checkRequest<RestoreOverrides & { TargetTableName: string; BackupArn: string }>(body, shape);
  return ctx.storage.transaction((tx) => {
    const record = requireBackup(tx, data.BackupArn);
    return {
      TableDescription: restoreTable(ctx, tx, record.Table, data.TargetTableName, data, backupItems(tx, record), {
        SourceBackupArn: record.BackupArn,
        SourceTableArn: record.Table.TableArn,
        RestoreDateTime: record.BackupCreationDateTime,
      }),
    };
  });
}
