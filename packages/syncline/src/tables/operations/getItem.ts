// GetItem.
import { CapacityMeter, type ReturnConsumedCapacity, readUnits } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { readItem } from '../itemStore.js';
import { compileExpressions, projectItem } from '../requestExpressions.js';
import { checkKey } from '../schema.js';
import {
  attributesToGet,
  bool,
  checkRequest,
  expressionAttributeNames,
  item,
  type RequestShape,
  returnConsumedCapacity,
  str,
  tableName,
} from '../validation/shape.js';
import { type Item, itemSize, validateItem } from '../values/index.js';

export interface GetItemInput {
  TableName: string;
  Key: Item;
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    AttributesToGet: attributesToGet,
    TableName: tableName(),
    Key: item(true),
    ConsistentRead: bool,
    ProjectionExpression: str,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

export function getItem(ctx: EngineContext, body: unknown) {
  const data = checkRequest<GetItemInput>(body, shape);
  const key = validateItem(data.Key, 'Key');
  const { projection } = compileExpressions(data as unknown as Record<string, unknown>, { projection: true });
  return ctx.storage.transaction((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    checkKey(schema, key);
    const found = readItem(tx, schema, key);
    const out: Record<string, unknown> = {};
    if (found) out.Item = projection ? projectItem(found, projection) : found;
    const meter = new CapacityMeter(schema, 'read');
    meter.addTable(readUnits(found ? itemSize(found) : 0, data.ConsistentRead === true));
    const capacity = meter.report(data.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    return out;
  });
}
