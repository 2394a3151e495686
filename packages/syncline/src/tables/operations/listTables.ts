// ListTables: names in ascending order, paginated by ExclusiveStartTableName / LastEvaluatedTableName.
import { isUserTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { checkRequest, type RequestShape, tableName } from '../validation/shape.js';

const shape: RequestShape = {
  fields: {
    Limit: { kind: 'integer', min: 1, max: 100 },
    ExclusiveStartTableName: tableName(false),
  },
};

export function listTables(
  ctx: EngineContext,
  body: unknown,
): { TableNames: string[]; LastEvaluatedTableName?: string } {
  const data = checkRequest<{ Limit?: number; ExclusiveStartTableName?: string }>(body, shape);
  const limit = data.Limit ?? 100;
  const names = ctx.storage
    .read((tx) => tx.listTables())
    .map((t) => t.name)
    .filter(isUserTable)
    .filter((n) => data.ExclusiveStartTableName === undefined || n > data.ExclusiveStartTableName)
    .sort();
  const page = names.slice(0, limit);
  return names.length > limit
    ? { TableNames: page, LastEvaluatedTableName: page[page.length - 1] }
    : { TableNames: page };
}
