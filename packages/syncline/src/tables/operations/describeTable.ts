// DescribeTable.
import { requireTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { describeStoredTable } from '../describe.js';
import { checkRequest, controlPlaneTableName, type RequestShape } from '../validation/shape.js';

const shape: RequestShape = { tableNameRequired: true, fields: { TableName: controlPlaneTableName } };

export function describeTable(ctx: EngineContext, body: unknown): { Table: Record<string, unknown> } {
  const data = checkRequest<{ TableName: string }>(body, shape);
  return ctx.storage.read((tx) => ({
    Table: describeStoredTable(ctx, tx, requireTable(ctx, tx, data.TableName).table),
  }));
}
