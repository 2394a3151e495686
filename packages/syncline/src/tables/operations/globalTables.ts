// Global tables (version 2017.11.29) and replica auto scaling. Syncline serves one region, so no table has
// replicas: the lists are empty, a Describe finds no global table, and creating or changing one is refused with
// a ValidationException that says why, after the request's own checks.
import { requireTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { checkRequest, controlPlaneTableName, type RequestShape, type Shape } from '../validation/shape.js';

const globalTableName: Shape = {
  kind: 'string',
  notNull: true,
  minLength: 3,
  maxLength: 255,
  regex: '[a-zA-Z0-9_.-]+',
};
const nameShape: RequestShape = { fields: { GlobalTableName: globalTableName } };
const listShape: RequestShape = {
  fields: {
    ExclusiveStartGlobalTableName: { kind: 'string', minLength: 3, maxLength: 255, regex: '[a-zA-Z0-9_.-]+' },
    Limit: { kind: 'integer', min: 1 },
    RegionName: { kind: 'string' },
  },
};
const tableShape: RequestShape = { tableNameRequired: true, fields: { TableName: controlPlaneTableName } };

const ONE_REGION = 'Syncline serves a single region, so tables have no replicas';

export function listGlobalTables(_ctx: EngineContext, body: unknown): { GlobalTables: never[] } {
  checkRequest(body, listShape);
  return { GlobalTables: [] };
}

/** DescribeGlobalTable and DescribeGlobalTableSettings. */
export function describeGlobalTable(_ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ GlobalTableName: string }>(body, nameShape);
  throw new DynamoDBError('GlobalTableNotFoundException', `Global table not found: ${data.GlobalTableName}`);
}

/** CreateGlobalTable, UpdateGlobalTable and UpdateGlobalTableSettings. */
export function changeGlobalTable(action: string) {
  return (_ctx: EngineContext, body: unknown): never => {
    checkRequest(body, nameShape);
    throw validation(`${action} is not available: ${ONE_REGION}`);
  };
}

export function describeTableReplicaAutoScaling(ctx: EngineContext, body: unknown) {
  const data = checkRequest<{ TableName: string }>(body, tableShape);
  const name = ctx.storage.read((tx) => requireTable(ctx, tx, data.TableName).table.TableName);
  return { TableAutoScalingDescription: { TableName: name, TableStatus: 'ACTIVE', Replicas: [] } };
}

export function updateTableReplicaAutoScaling(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ TableName: string }>(body, tableShape);
  ctx.storage.read((tx) => requireTable(ctx, tx, data.TableName));
  throw validation(`UpdateTableReplicaAutoScaling is not available: ${ONE_REGION}, and capacity is not enforced`);
}
