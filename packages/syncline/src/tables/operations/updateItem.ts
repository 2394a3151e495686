// UpdateItem: applies update actions to the existing item (or to a new item made of the key), under a condition.
import { CapacityMeter, type ReturnConsumedCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import type { Path } from '../expressions/ast.js';
import { readItem, writeItem } from '../itemStore.js';
import {
  applyUpdateActions,
  compileExpressions,
  conditionHolds,
  type RequestExpressions,
  updatedAttributePaths,
  updateOnlyRemoves,
} from '../requestExpressions.js';
import { checkItemKeys, checkKey, type TableSchema } from '../schema.js';
import type { StorageTx } from '../storage/port.js';
import {
  attributeUpdates,
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
import { conditionFailed, itemCollectionMetrics, type ReturnValues, returnedAttributes } from '../writeResults.js';

export interface UpdateItemInput {
  TableName: string;
  Key: Item;
  UpdateExpression?: string;
  AttributeUpdates?: Record<string, { Action?: string; Value?: unknown }>;
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

export const updateItemShape: RequestShape = {
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    TableName: tableName(),
    ReturnValues: returnValues,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    Key: item(true),
    AttributeUpdates: attributeUpdates,
    ConditionalOperator: conditionalOperator,
    Expected: expected,
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
    UpdateExpression: str,
    ConditionExpression: str,
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

const INVALID = 'One or more parameter values were invalid: ';

export interface PreparedUpdate {
  data: UpdateItemInput;
  key: Item;
  expressions: RequestExpressions;
  updated: Path[];
}

export function prepareUpdate(data: UpdateItemInput): PreparedUpdate {
  const key = validateItem(data.Key, 'Key');
  const expressions = compileExpressions(data as unknown as Record<string, unknown>, { condition: true, update: true });
  return { data, key, expressions, updated: expressions.update ? updatedAttributePaths(expressions.update) : [] };
}

function checkKeyNotUpdated(schema: TableSchema, updated: Path[]): void {
  for (const attr of [schema.hash, schema.range]) {
    if (attr && updated.some((p) => p[0] === attr.name)) {
      throw validation(`${INVALID}Cannot update attribute ${attr.name}. This attribute is part of the key`);
    }
  }
}

export interface UpdateResult {
  oldItem?: Item;
  /** Undefined when nothing was written (only removals, on a missing item). */
  newItem?: Item;
}

export function executeUpdate(
  ctx: EngineContext,
  tx: StorageTx,
  schema: TableSchema,
  update: PreparedUpdate,
  meter?: CapacityMeter,
  capacityFactor = 1,
): UpdateResult {
  checkKey(schema, update.key);
  checkKeyNotUpdated(schema, update.updated);
  const oldItem = readItem(tx, schema, update.key);
  if (!conditionHolds(update.expressions.condition, oldItem)) {
    throw conditionFailed(oldItem, update.data.ReturnValuesOnConditionCheckFailure);
  }
  // DynamoDB creates no item for an update that only takes attributes away from one that does not exist.
  if (!oldItem && update.expressions.update && updateOnlyRemoves(update.expressions.update)) {
    meter?.addWrite(undefined, update.key, capacityFactor);
    return {};
  }
  const base = oldItem ?? { ...update.key };
  const newItem = update.expressions.update ? applyUpdateActions(update.expressions.update, base) : base;
  checkItemKeys(schema, newItem);
  if (itemSize(newItem) > MAX_ITEM_SIZE) throw validation('Item size to update has exceeded the maximum allowed size');
  writeItem(ctx, tx, schema, oldItem, newItem);
  meter?.addWrite(oldItem, newItem, capacityFactor);
  return { oldItem, newItem };
}

export function updateItem(ctx: EngineContext, body: unknown) {
  const data = checkRequest<UpdateItemInput>(body, updateItemShape);
  const update = prepareUpdate(data);
  return ctx.storage.transaction((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    const meter = new CapacityMeter(schema, 'write');
    const { oldItem, newItem } = executeUpdate(ctx, tx, schema, update, meter);
    const out: Record<string, unknown> = {};
    const attributes = returnedAttributes(data.ReturnValues, oldItem, newItem, update.updated);
    if (attributes) out.Attributes = attributes;
    const capacity = meter.report(data.ReturnConsumedCapacity);
    if (capacity) out.ConsumedCapacity = capacity;
    const metrics = itemCollectionMetrics(schema, data.ReturnItemCollectionMetrics, newItem);
    if (metrics) out.ItemCollectionMetrics = metrics;
    return out;
  });
}
