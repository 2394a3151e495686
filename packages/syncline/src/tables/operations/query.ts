// Query: one partition of the table or of an index, in sort-key order (or reverse), paginated.
import { type ReturnConsumedCapacity, reportsCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import type { KeyCondition } from '../expressions/ast.js';
import { findIndex, pageResponse, readPage, resolveSelect, type Select, startKeyRow } from '../readPage.js';
import { compileExpressions, conditionAttributeNames } from '../requestExpressions.js';
import type { KeyAttribute } from '../schema.js';
import type { RangeOptions } from '../storage/port.js';
import {
  attributesToGet,
  bool,
  checkRequest,
  conditionalOperator,
  conditions,
  expressionAttributeNames,
  expressionAttributeValues,
  indexName,
  item,
  type RequestShape,
  returnConsumedCapacity,
  select,
  str,
  tableName,
} from '../validation/shape.js';
import { type AttributeValue, compareValues, encodeKey, type Item, own } from '../values/index.js';

export interface QueryInput {
  TableName: string;
  IndexName?: string;
  Select?: Select;
  Limit?: number;
  ConsistentRead?: boolean;
  ScanIndexForward?: boolean;
  ExclusiveStartKey?: Item;
  KeyConditionExpression?: string;
  KeyConditions?: Record<string, unknown>;
  FilterExpression?: string;
  QueryFilter?: Record<string, unknown>;
  ConditionalOperator?: string;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    Select: select,
    IndexName: indexName(),
    ReturnConsumedCapacity: returnConsumedCapacity,
    QueryFilter: conditions,
    TableName: tableName(),
    ConditionalOperator: conditionalOperator,
    AttributesToGet: attributesToGet,
    Limit: { kind: 'integer', min: 1, modern: true },
    KeyConditions: conditions,
    ExclusiveStartKey: item(),
    ConsistentRead: bool,
    ScanIndexForward: bool,
    KeyConditionExpression: str,
    FilterExpression: str,
    ProjectionExpression: str,
    ExpressionAttributeValues: expressionAttributeValues,
    ExpressionAttributeNames: expressionAttributeNames,
  },
};

/** The smallest byte string greater than every string that starts with `prefix`, if any. */
function prefixEnd(prefix: Buffer): Buffer | undefined {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

const typeOfValue = (v: AttributeValue) => Object.keys(v)[0];

function checkType(v: AttributeValue, attr: KeyAttribute): void {
  if (typeOfValue(v) !== attr.type) {
    throw validation('One or more parameter values were invalid: Condition parameter type does not match schema type');
  }
}

function sortRange(condition: KeyCondition, range: KeyAttribute | undefined): RangeOptions {
  const sort = condition.sort;
  if (!sort || !range) return {};
  for (const v of sort.values) checkType(v, range);
  const [a, b] = sort.values;
  const bound = (v: AttributeValue, inclusive: boolean) => ({ sk: encodeKey(v), inclusive });
  switch (sort.op) {
    case '=':
      return { from: bound(a, true), to: bound(a, true) };
    case '<':
      return { to: bound(a, false) };
    case '<=':
      return { to: bound(a, true) };
    case '>':
      return { from: bound(a, false) };
    case '>=':
      return { from: bound(a, true) };
    case 'BETWEEN':
      return { from: bound(a, true), to: bound(b, true) };
    case 'BEGINS_WITH': {
      if (range.type === 'N') {
        throw validation(
          'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
        );
      }
      const prefix = encodeKey(a);
      const end = prefixEnd(prefix);
      return { from: { sk: prefix, inclusive: true }, ...(end ? { to: { sk: end, inclusive: false } } : {}) };
    }
  }
}

function sortMatches(condition: KeyCondition, value: AttributeValue | undefined): boolean {
  const sort = condition.sort;
  if (!sort || !value) return true;
  const [a, b] = sort.values;
  const c = compareValues(value, a);
  switch (sort.op) {
    case '=':
      return c === 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case 'BETWEEN':
      return c >= 0 && compareValues(value, b) <= 0;
    case 'BEGINS_WITH':
      return encodeKey(value).subarray(0, encodeKey(a).length).equals(encodeKey(a));
  }
}

export function query(ctx: EngineContext, body: unknown, wire = false) {
  const data = checkRequest<QueryInput>(body, shape);
  if (data.KeyConditions === undefined && data.KeyConditionExpression === undefined) {
    throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  return ctx.storage.read((tx) => {
    const schema = requireSchema(ctx, tx, data.TableName);
    const index = findIndex(schema, data.IndexName, data.ConsistentRead);
    const hash = index ? index.hash : schema.hash;
    const range = index ? index.range : schema.range;
    const expressions = compileExpressions(data as unknown as Record<string, unknown>, {
      projection: true,
      filter: 'QueryFilter',
      keyCondition: { partitionKey: hash.name, sortKey: range?.name },
    });
    const keyCondition = expressions.keyCondition!;
    checkType(keyCondition.partition, hash);
    const rangeOptions = sortRange(keyCondition, range);
    const selected = resolveSelect(
      data.Select,
      data.ProjectionExpression !== undefined
        ? 'ProjectionExpression'
        : data.AttributesToGet
          ? 'AttributesToGet'
          : undefined,
      index,
    );
    const filterNames = expressions.filter ? conditionAttributeNames(expressions.filter) : [];
    for (const attr of [hash, range]) {
      if (attr && filterNames.includes(attr.name)) {
        const what = data.QueryFilter ? 'QueryFilter' : 'Filter Expression';
        throw validation(`${what} can only contain non-primary key attributes: Primary key attribute: ${attr.name}`);
      }
    }
    if (data.ExclusiveStartKey) {
      // On a table keyed by its partition key alone, the equality on that key matches one item at most.
      if (!index && !range) throw validation('The query can return at most one row and cannot be restarted');
      const start = startKeyRow(schema, index, data.ExclusiveStartKey, false);
      const startHash = own(start.key, hash.name)!;
      if (compareValues(startHash, keyCondition.partition) !== 0) {
        throw validation('The provided starting key is outside query boundaries based on provided conditions');
      }
      if (range && !sortMatches(keyCondition, own(start.key, range.name)!)) {
        throw validation('The provided starting key does not match the range key predicate');
      }
      rangeOptions.startAfter = start.row;
    }
    rangeOptions.reverse = data.ScanIndexForward === false;
    rangeOptions.batchSize = data.Limit !== undefined ? Math.min(data.Limit + 1, 1000) : 256;
    const page = readPage(
      {
        tx,
        schema,
        index,
        rows: tx.range(schema.name, index?.name ?? '', encodeKey(keyCondition.partition), rangeOptions),
        limit: data.Limit,
        select: selected,
        filter: expressions.filter,
        projection: expressions.projection,
        sizes: reportsCapacity(data.ReturnConsumedCapacity),
        raw: wire,
      },
      filterNames,
    );
    return pageResponse(page, schema, index, selected, data.ConsistentRead === true, data.ReturnConsumedCapacity);
  });
}
