// DeleteTable: the table and all its rows go in one transaction; the response describes it as DELETING.
import { requireTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { describeStoredTable } from '../describe.js';
import { validation } from '../errors.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

const shape: RequestShape = { tableNameRequired: true, fields: { TableName: controlPlaneTableName } };

export function deleteTable(ctx: EngineContext, body: unknown): { TableDescription: Record<string, unknown> } {
  const data = checkRequest<{ TableName: string }>(body, shape);
  return ctx.storage.transaction((tx) => {
    const { table } = requireTable(ctx, tx, data.TableName);
    if (table.DeletionProtectionEnabled) {
      throw validation(
        'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
      );
    }
    const description = describeStoredTable(ctx, tx, table, 'DELETING');
    tx.deleteTable(table.TableName);
    ctx.schemas.delete(table.TableName);
    return { TableDescription: description };
  });
}
