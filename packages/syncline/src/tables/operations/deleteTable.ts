// DeleteTable: the table and all its rows go in one transaction; the response describes it as DELETING.
import { requireTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { describeStoredTable } from '../describe.js';
import { validation } from '../errors.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

// DynamoDB describes a table being deleted briefly: no key schema, attribute definitions, creation time or
// indexes (the DeleteTable reference's example), with the ARN, id and billing summary newer tables carry.
const DELETED_TABLE_MEMBERS = [
  'TableName',
  'TableStatus',
  'ProvisionedThroughput',
  'TableSizeBytes',
  'ItemCount',
  'TableArn',
  'TableId',
  'BillingModeSummary',
];

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
    const full = describeStoredTable(ctx, tx, table, 'DELETING');
    const description: Record<string, unknown> = {};
    for (const member of DELETED_TABLE_MEMBERS) if (full[member] !== undefined) description[member] = full[member];
    tx.deleteTable(table.TableName);
    ctx.schemas.delete(table.TableName);
    return { TableDescription: description };
  });
}
