// What a single-item write returns besides its effect: ReturnValues, the item collection metrics and the
// ConditionalCheckFailedException (which carries the old item when ReturnValuesOnConditionCheckFailure=ALL_OLD).
import { DynamoDBError } from './errors.js';
import type { Path } from './expressions/ast.js';
import { projectItem } from './requestExpressions.js';
import type { TableSchema } from './schema.js';
import type { Item } from './values/index.js';

export type ReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export function returnedAttributes(
  mode: ReturnValues | undefined,
  oldItem: Item | undefined,
  newItem: Item | undefined,
  updated?: Path[],
): Item | undefined {
  switch (mode) {
    case 'ALL_OLD':
      return oldItem;
    case 'ALL_NEW':
      return newItem;
    case 'UPDATED_OLD':
      return oldItem && updated ? nonEmpty(projectItem(oldItem, updated)) : undefined;
    case 'UPDATED_NEW':
      return newItem && updated ? nonEmpty(projectItem(newItem, updated)) : undefined;
    default:
      return undefined;
  }
}

const nonEmpty = (item: Item) => (Object.keys(item).length ? item : undefined);

export function conditionFailed(oldItem: Item | undefined, returnOld: string | undefined): DynamoDBError {
  return new DynamoDBError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    returnOld === 'ALL_OLD' && oldItem ? { Item: oldItem } : {},
  );
}

/** Only tables with local secondary indexes have item collections; the size estimate is DynamoDB's coarse range. */
export function itemCollectionMetrics(schema: TableSchema, mode: string | undefined, item: Item | undefined) {
  if (mode !== 'SIZE' || !item || !schema.table.LocalSecondaryIndexes?.length) return undefined;
  return { ItemCollectionKey: { [schema.hash.name]: item[schema.hash.name] }, SizeEstimateRangeGB: [0, 1] };
}
