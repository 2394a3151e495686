// DeleteItem.
import { CapacityMeter, type ReturnConsumedCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { readItem, writeItem } from '../itemStore.js';
import { compileExpressions, conditionHolds, type RequestExpressions } from '../requestExpressions.js';
import { checkKey, type TableSchema } from '../schema.js';
import type { StorageTx } from '../storage/port.js';
import {
  checkRequest,
  conditionalOperator,
  expected,
  expressionAttributeNames,
  expressionAttributeValues,
  item,
  type RequestShape,
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  returnValues,
  returnValuesOnConditionCheckFailure,
  str,
  tableName,
} from '../validation/shape.js';
import { type Item, validateItem } from '../values/index.js';
import { conditionFailed, itemCollectionMetrics, type ReturnValues } from '../writeResults.js';

export interface DeleteItemInput {
  TableName: string;
  Key: Item;
  ReturnValues?: ReturnValues;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
  ReturnValuesOnConditionCheckFailure?: string;
  ConditionExpression?: string;
  ConditionalOperator?: string;
  Expected?: Record<string, unknown>;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export const deleteItemShape: RequestShape = {
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: tableName(),
    ReturnValues: returnValues,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    Key: item(true),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
    ConditionExpression: str,
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

export interface PreparedDelete {
  data: DeleteItemInput;
  key: Item;
  expressions: RequestExpressions;
}

export function prepareDelete(data: DeleteItemInput, checkReturnValues = true): PreparedDelete {
  const key = validateItem(data.Key, 'Key');
  if (checkReturnValues && data.ReturnValues && data.ReturnValues !== 'ALL_OLD' && data.ReturnValues !== 'NONE') {
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  }
  const expressions = compileExpressions(data as unknown as Record<string, unknown>, { condition: true });
  return { data, key, expressions };
}

export function executeDelete(
  ctx: EngineContext,
  tx: StorageTx,
  schema: TableSchema,
  del: PreparedDelete,
  meter?: CapacityMeter,
  capacityFactor = 1,
): Item | undefined {
  checkKey(schema, del.key);
  const oldItem = readItem(tx, schema, del.key);
  if (!conditionHolds(del.expressions.condition, oldItem)) {
    throw conditionFailed(oldItem, del.data.ReturnValuesOnConditionCheckFailure);
  }
  if (oldItem) writeItem(ctx, tx, schema, oldItem, undefined);
  meter?.addWrite(oldItem, undefined, capacityFactor);
  return oldItem;
}

export function deleteItem(ctx: EngineContext, body: unknown) {
  const data = checkRequest<DeleteItemInput>(body, deleteItemShape);
  const del = prepareDelete(data);
  return ctx.storage.transaction((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    const meter = new CapacityMeter(schema, 'write');
    const oldItem = executeDelete(ctx, tx, schema, del, meter);
    const out: Record<string, unknown> = {};
    if (data.ReturnValues === 'ALL_OLD' && oldItem) out.Attributes = oldItem;
    const capacity = meter.report(data.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    const metrics = itemCollectionMetrics(schema, data.ReturnItemCollectionMetrics, oldItem ?? del.key);
    if (metrics) out.ItemCollectionMetrics = metrics;
    return out;
  });
}
