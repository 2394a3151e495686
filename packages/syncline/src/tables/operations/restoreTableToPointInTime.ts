// RestoreTableToPointInTime: a new table holding the source table's items as they were at a moment of its
// point-in-time recovery window (pointInTime.ts), with its definition as it is now (or the overrides).
import { type RestoreOverrides, restoreTable } from '../backupStore.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { restorableWindow, undoAfter } from '../pointInTime.js';
import { checkRequest, type RequestShape, tableName } from '../validation/shape.js';
import type { Item } from '../values/index.js';
import { requireSourceTable } from './continuousBackups.js';
import { overrideFields } from './restoreTableFromBackup.js';

const shape: RequestShape = {
  fields: {
    SourceTableArn: { kind: 'string', minLength: 1, maxLength: 1024 },
    SourceTableName: { kind: 'string', minLength: 3, maxLength: 255, regex: '[a-zA-Z0-9_.-]+' },
    TargetTableName: tableName(true),
    UseLatestRestorableTime: { kind: 'boolean' },
    ...overrideFields,
  },
};

type Input = RestoreOverrides & {
  SourceTableArn?: string;
  SourceTableName?: string;
  TargetTableName: string;
  UseLatestRestorableTime?: boolean;
};

const iso = (ms: number) => new Date(ms).toISOString();

export function restoreTableToPointInTime(
  ctx: EngineContext,
  body: unknown,
): { TableDescription: Record<string, unknown> } {
  const data = checkRequest<Input>(body, shape);
  // A timestamp: epoch seconds on the JSON protocol.
  const raw = (body as Record<string, unknown>).RestoreDateTime;
  if (raw !== undefined && raw !== null && (typeof raw !== 'number' || !Number.isFinite(raw))) {
    throw new DynamoDBError('SerializationException', 'RestoreDateTime must be a timestamp (epoch seconds)');
  }
  const restoreAt = typeof raw === 'number' ? raw * 1000 : undefined;
  const source = data.SourceTableArn ?? data.SourceTableName;
  if (source === undefined) throw validation('Either SourceTableArn or SourceTableName must be specified');
  if (data.SourceTableArn !== undefined && data.SourceTableName !== undefined) {
    throw validation('Only one of SourceTableArn or SourceTableName may be specified');
  }
  if (data.UseLatestRestorableTime && restoreAt !== undefined) {
    throw validation('Only one of RestoreDateTime or UseLatestRestorableTime may be specified');
  }
  if (!data.UseLatestRestorableTime && restoreAt === undefined) {
    throw validation('Either RestoreDateTime or UseLatestRestorableTime must be specified');
  }
  return ctx.storage.transaction((tx) => {
    const table = requireSourceTable(ctx, tx, source);
    const window = restorableWindow(ctx, table);
    if (!window) {
      throw new DynamoDBError(
        'PointInTimeRecoveryUnavailableException',
        `Point in time recovery is not enabled for table '${table.TableName}'`,
      );
    }
    const at = restoreAt ?? window.latest;
    if (at < window.earliest || at > window.latest) {
      throw new DynamoDBError(
        'InvalidRestoreTimeException',
        `Restore time ${iso(at)} is outside the restorable window of table '${table.TableName}': ` +
          `${iso(window.earliest)} to ${iso(window.latest)}`,
      );
    }
    // The undo log is read before anything is written; the items stream from the source into the new table.
    const undo = undoAfter(tx, table, at);
    function* items(): Iterable<Item> {
      for (const row of tx.scan(table.TableName, '', { batchSize: 1000 })) yield JSON.parse(row.value) as Item;
    }
    return {
      TableDescription: restoreTable(
        ctx,
        tx,
        table,
        data.TargetTableName,
        data,
        items(),
        {
          SourceTableArn: table.TableArn,
          RestoreDateTime: at / 1000,
        },
        undo,
      ),
    };
  });
}
