// PutItem: replaces the whole item, optionally under a condition.
import { CapacityMeter, type ReturnConsumedCapacity, reportsCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { keepsOldImage, readItem, writeItem } from '../itemStore.js';
import { compileExpressions, conditionHolds, type RequestExpressions } from '../requestExpressions.js';
import { checkItemKeys, keyOf, type TableSchema } from '../schema.js';
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
import { type Item, itemSize, MAX_ITEM_SIZE, validateItem } from '../values/index.js';
import { conditionFailed, itemCollectionMetrics, type ReturnValues } from '../writeResults.js';

export interface PutItemInput {
  TableName: string;
  Item: Item;
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

export const putItemShape: RequestShape = {
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: tableName(),
    Item: item(true),
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ReturnValues: returnValues,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
    ConditionExpression: str,
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

export interface PreparedPut {
  data: PutItemInput;
  item: Item;
  expressions: RequestExpressions;
}

/** Request checks that need no table (shared with BatchWriteItem and TransactWriteItems). */
export function preparePut(data: PutItemInput, allowedReturnValues = true): PreparedPut {
  const normalized = validateItem(data.Item);
  if (allowedReturnValues && data.ReturnValues && data.ReturnValues !== 'ALL_OLD' && data.ReturnValues !== 'NONE') {
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  }
  if (itemSize(normalized) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
  const expressions = compileExpressions(data as unknown as Record<string, unknown>, { condition: true });
  return { data, item: normalized, expressions };
}

/** Applies a prepared put inside a transaction; returns the replaced item. */
export function executePut(
  ctx: EngineContext,
  tx: StorageTx,
  schema: TableSchema,
  put: PreparedPut,
  meter?: CapacityMeter,
  capacityFactor = 1,
): Item | undefined {
  checkItemKeys(schema, put.item);
  // A put with no condition whose old item nobody asked for, on a table with no index or stream, is blind.
  const blind = !put.expressions.condition && !meter && put.data.ReturnValues !== 'ALL_OLD' && !keepsOldImage(schema);
  const oldItem = blind ? undefined : readItem(tx, schema, keyOf(schema, put.item));
  if (!conditionHolds(put.expressions.condition, oldItem)) {
    throw conditionFailed(oldItem, put.data.ReturnValuesOnConditionCheckFailure);
  }
  writeItem(ctx, tx, schema, oldItem, put.item);
  meter?.addWrite(oldItem, put.item, capacityFactor);
  return oldItem;
}

export function putItem(ctx: EngineContext, body: unknown) {
  const data = checkRequest<PutItemInput>(body, putItemShape);
  const put = preparePut(data);
  return ctx.storage.transaction((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    // Sizing the old and new items (and their index rows) is only worth it when capacity is reported.
    const meter = reportsCapacity(data.ReturnConsumedCapacity) ? new CapacityMeter(schema, 'write') : undefined;
    const oldItem = executePut(ctx, tx, schema, put, meter);
    const out: Record<string, unknown> = {};
    if (data.ReturnValues === 'ALL_OLD' && oldItem) out.Attributes = oldItem;
    const capacity = meter?.report(data.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    const metrics = itemCollectionMetrics(schema, data.ReturnItemCollectionMetrics, put.item);
    if (metrics) out.ItemCollectionMetrics = metrics;
    return out;
  });
}
