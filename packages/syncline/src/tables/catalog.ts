// Reading and writing table descriptions in the storage catalog, with compiled schemas cached per version.
import type { EngineContext } from './context.js';
import { DynamoDBError } from './errors.js';
import type { StoredTable } from './model.js';
import { compileSchema, type TableSchema } from './schema.js';
import type { StorageTx } from './storage/port.js';

export function findSchema(ctx: EngineContext, tx: StorageTx, name: string): TableSchema | undefined {
  const json = tx.getTable(name);
  if (json === undefined) return undefined;
  const cached = ctx.schemas.get(name);
  if (cached && cached.json === json) return cached.schema;
  // Engine-internal entries (backups) are never tables, whatever path a name took to get here.
  if (!isUserTable(name)) return undefined;
  const schema = compileSchema(JSON.parse(json) as StoredTable);
  ctx.schemas.set(name, { json, schema });
  return schema;
}

/** Data-plane lookup: DynamoDB answers a missing table with this bare message. */
export function requireSchema(ctx: EngineContext, tx: StorageTx, name: string): TableSchema {
  const schema = findSchema(ctx, tx, name);
  if (!schema) throw new DynamoDBError('ResourceNotFoundException', 'Requested resource not found');
  return schema;
}

/** Control-plane lookup (DescribeTable, UpdateTable, DeleteTable…) names the table in its message. */
export function requireTable(ctx: EngineContext, tx: StorageTx, name: string): TableSchema {
  const schema = findSchema(ctx, tx, name);
  if (!schema) {
    throw new DynamoDBError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
  }
  return schema;
}

export function saveTable(ctx: EngineContext, tx: StorageTx, table: StoredTable): TableSchema {
  const json = JSON.stringify(table);
  tx.putTable(table.TableName, json);
  const schema = compileSchema(table);
  ctx.schemas.set(table.TableName, { json, schema });
  return schema;
}

export function tableArn(ctx: EngineContext, name: string): string {
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
}

/**
 * Whether a catalog entry is a table users see. The engine keeps its own data (backups) under catalog names with
 * a ':', which no DynamoDB table name can contain.
 */
export const isUserTable = (name: string) => !name.includes(':');
