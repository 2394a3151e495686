// DescribeContinuousBackups and UpdateContinuousBackups: point-in-time recovery (pointInTime.ts). On-demand backups
// are always available, so ContinuousBackupsStatus is ENABLED, as DynamoDB reports it.
import { findSchema, saveTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError } from '../errors.js';
import type { StoredTable } from '../model.js';
import { restorableWindow } from '../pointInTime.js';
import type { StorageTx } from '../storage/port.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

const describeShape: RequestShape = { tableNameRequired: true, fields: { TableName: controlPlaneTableName } };
const updateShape: RequestShape = {
  tableNameRequired: true,
  fields: {
    TableName: controlPlaneTableName,
    PointInTimeRecoverySpecification: {
      kind: 'struct',
      name: 'PointInTimeRecoverySpecification',
      notNull: true,
      fields: {
        PointInTimeRecoveryEnabled: { kind: 'boolean', notNull: true },
        RecoveryPeriodInDays: { kind: 'integer', min: 1, max: 35 },
      },
    },
  },
};

/** DynamoDB's default recovery period; Syncline's log reaches back at most 24 hours of it (pointInTime.ts). */
const DEFAULT_RECOVERY_DAYS = 35;

/** The source table of a backup control-plane action: DynamoDB answers a missing one with TableNotFoundException. */
export function requireSourceTable(ctx: EngineContext, tx: StorageTx, nameOrArn: string): StoredTable {
  const prefix = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/`;
  const name = nameOrArn.startsWith(prefix) ? nameOrArn.slice(prefix.length) : nameOrArn;
  const schema = findSchema(ctx, tx, name);
  if (!schema) throw new DynamoDBError('TableNotFoundException', `Table not found: ${name}`);
  return schema.table;
}

export function continuousBackupsDescription(ctx: EngineContext, table: StoredTable) {
  const window = restorableWindow(ctx, table);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: window
      ? {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: table.PointInTimeRecovery?.RecoveryPeriodInDays ?? DEFAULT_RECOVERY_DAYS,
          EarliestRestorableDateTime: window.earliest / 1000,
          LatestRestorableDateTime: window.latest / 1000,
        }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

export function describeContinuousBackups(ctx: EngineContext, body: unknown) {
  const data = checkRequest<{ TableName: string }>(body, describeShape);
  return ctx.storage.read((tx) => ({
    ContinuousBackupsDescription: continuousBackupsDescription(ctx, requireSourceTable(ctx, tx, data.TableName)),
  }));
}

export function updateContinuousBackups(ctx: EngineContext, body: unknown) {
  const data = checkRequest<{
    TableName: string;
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: boolean; RecoveryPeriodInDays?: number };
  }>(body, updateShape);
  const spec = data.PointInTimeRecoverySpecification;
  return ctx.storage.transaction((tx) => {
    const table = structuredClone(requireSourceTable(ctx, tx, data.TableName));
    const current = table.PointInTimeRecovery;
    if (!spec.PointInTimeRecoveryEnabled) delete table.PointInTimeRecovery;
    else {
      // Enabling again keeps the window already recorded; only the period changes.
      table.PointInTimeRecovery = {
        Enabled: true,
        EnabledAt: current?.Enabled ? current.EnabledAt : ctx.now(),
        ...(spec.RecoveryPeriodInDays !== undefined
          ? { RecoveryPeriodInDays: spec.RecoveryPeriodInDays }
          : current?.RecoveryPeriodInDays !== undefined
            ? { RecoveryPeriodInDays: current.RecoveryPeriodInDays }
            : {}),
      };
    }
    saveTable(ctx, tx, table);
    return { ContinuousBackupsDescription: continuousBackupsDescription(ctx, table) };
  });
}
