// `@aws-appsync/utils/dynamodb`: builds the request objects AppSync's DynamoDB data source takes, with typed
// values and generated expressions, from plain JavaScript values.
import {
  type DynamoDBExpression,
  filterExpression,
  keyConditionExpression,
  operations,
  projectionExpression,
  updateExpression,
} from './dynamodbExpressions.js';
import { type AttributeMap, markSet, toDynamoDB, toMapValues } from './dynamodbValues.js';
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { isList, isMap, type JsonMap, setOwn } from './values.js';

type Request = Record<string, unknown>;

function input(builtin: string, payload: unknown): JsonMap {
  if (!isMap(payload)) throw misuse(builtin, `expected an input object, got ${describe(payload)}`);
  return payload;
}

function keyOf(builtin: string, key: unknown): AttributeMap {
  if (!isMap(key) || Object.keys(key).length === 0)
    throw misuse(builtin, `key must be a non-empty object, got ${describe(key)}`);
  return toMapValues(key);
}

/** A condition is a filter object, or an already written `{ expression, ... }` passed through as it is. */
function condition(builtin: string, value: unknown): DynamoDBExpression | JsonMap {
  if (isMap(value) && typeof value.expression === 'string') return value;
  return filterExpression(builtin, value);
}

function projection(builtin: string, value: unknown): unknown {
  return isMap(value) ? value : projectionExpression(builtin, value);
}

/** Copies the optional fields that are set; AppSync treats a missing field and a null one alike. */
function withOptional(
  request: Request,
  source: JsonMap,
  fields: Record<string, ((v: unknown) => unknown) | null>,
): Request {
  for (const [field, convert] of Object.entries(fields)) {
    const value = source[field];
    if (value !== undefined && value !== null) request[field] = convert ? convert(value) : value;
  }
  return request;
}

const VERSIONING = { _version: null, customPartitionKey: null, populateIndexFields: null };

export function get(payload: unknown): Request {
  const p = input('get', payload);
  return withOptional({ operation: 'GetItem', key: keyOf('get', p.key) }, p, {
    consistentRead: null,
    projection: (v) => projection('get', v),
  });
}

export function put(payload: unknown): Request {
  const p = input('put', payload);
  const request: Request = {
    operation: 'PutItem',
    key: keyOf('put', p.key),
    attributeValues: toMapValues(p.item ?? {}),
  };
  return withOptional(request, p, { condition: (v) => condition('put', v), ...VERSIONING });
}

export function update(payload: unknown): Request {
  const p = input('update', payload);
  const key = keyOf('update', p.key);
  const request: Request = {
    operation: 'UpdateItem',
    key,
    update: updateExpression('update', p.update, p.key as JsonMap),
  };
  return withOptional(request, p, { condition: (v) => condition('update', v), ...VERSIONING });
}

export function remove(payload: unknown): Request {
  const p = input('remove', payload);
  return withOptional({ operation: 'DeleteItem', key: keyOf('remove', p.key) }, p, {
    condition: (v) => condition('remove', v),
    ...VERSIONING,
  });
}

const READ_OPTIONS = {
  index: null,
  limit: null,
  nextToken: null,
  consistentRead: null,
  select: null,
};

export function query(payload: unknown): Request {
  const p = input('query', payload);
  const request: Request = { operation: 'Query', query: keyConditionExpression('query', p.query) };
  return withOptional(request, p, {
    filter: (v) => filterExpression('query', v),
    ...READ_OPTIONS,
    scanIndexForward: null,
    projection: (v) => projection('query', v),
  });
}

export function scan(payload: unknown = {}): Request {
  const p = input('scan', payload);
  return withOptional({ operation: 'Scan' }, p, {
    filter: (v) => filterExpression('scan', v),
    ...READ_OPTIONS,
    segment: null,
    totalSegments: null,
    projection: (v) => projection('scan', v),
  });
}

export function sync(payload: unknown = {}): Request {
  const p = input('sync', payload);
  return withOptional({ operation: 'Sync' }, p, {
    basePartitionKey: null,
    deltaIndexName: null,
    limit: null,
    nextToken: null,
    lastSync: null,
    filter: (v) => filterExpression('sync', v),
  });
}

function tablesOf(builtin: string, payload: unknown): [string, unknown][] {
  const tables = input(builtin, payload).tables;
  if (!isMap(tables) || Object.keys(tables).length === 0) {
    throw misuse(builtin, `tables must be an object keyed by table name, got ${describe(tables)}`);
  }
  return Object.entries(tables);
}

function listOf(builtin: string, table: string, value: unknown): unknown[] {
  if (!isList(value)) throw misuse(builtin, `tables.${table} must be a list, got ${describe(value)}`);
  return value;
}

export function batchGet(payload: unknown): Request {
  const tables: Record<string, Request> = {};
  for (const [table, spec] of tablesOf('batchGet', payload)) {
    const s = input('batchGet', spec);
    setOwn(
      tables,
      table,
      withOptional({ keys: listOf('batchGet', table, s.keys).map((k) => keyOf('batchGet', k)) }, s, {
        consistentRead: null,
        projection: (v) => projection('batchGet', v),
      }),
    );
  }
  return { operation: 'BatchGetItem', tables };
}

export function batchPut(payload: unknown): Request {
  const tables: Record<string, AttributeMap[]> = {};
  for (const [table, items] of tablesOf('batchPut', payload)) {
    setOwn(tables, table, listOf('batchPut', table, items).map(toMapValues));
  }
  return { operation: 'BatchPutItem', tables };
}

export function batchDelete(payload: unknown): Request {
  const tables: Record<string, AttributeMap[]> = {};
  for (const [table, keys] of tablesOf('batchDelete', payload)) {
    setOwn(
      tables,
      table,
      listOf('batchDelete', table, keys).map((k) => keyOf('batchDelete', k)),
    );
  }
  return { operation: 'BatchDeleteItem', tables };
}

function itemsOf(builtin: string, payload: unknown): JsonMap[] {
  const items = input(builtin, payload).items;
  if (!isList(items) || items.length === 0)
    throw misuse(builtin, `items must be a non-empty list, got ${describe(items)}`);
  return items.map((item) => input(builtin, item));
}

function tableName(builtin: string, item: JsonMap): string {
  if (typeof item.table !== 'string' || item.table === '') throw misuse(builtin, 'each item needs a table name');
  return item.table;
}

export function transactGet(payload: unknown): Request {
  const transactItems = itemsOf('transactGet', payload).map((item) =>
    withOptional({ table: tableName('transactGet', item), key: keyOf('transactGet', item.key) }, item, {
      projection: (v) => projection('transactGet', v),
    }),
  );
  return { operation: 'TransactGetItems', transactItems };
}

/** A transaction condition may also ask for the item back when it fails. */
function transactCondition(builtin: string, item: JsonMap): Request | undefined {
  if (item.condition === undefined || item.condition === null) return undefined;
  const built: Request = { ...condition(builtin, item.condition) };
  if (item.returnValuesOnConditionCheckFailure !== undefined) {
    built.returnValuesOnConditionCheckFailure = item.returnValuesOnConditionCheckFailure;
  }
  return built;
}

const WRITE_KINDS = ['putItem', 'updateItem', 'removeItem', 'deleteItem', 'conditionCheck'] as const;

export function transactWrite(payload: unknown): Request {
  const builtin = 'transactWrite';
  const transactItems = itemsOf(builtin, payload).map((entry) => {
    const kinds = WRITE_KINDS.filter((kind) => entry[kind] !== undefined);
    if (kinds.length !== 1) throw misuse(builtin, `each item needs exactly one of ${WRITE_KINDS.join(', ')}`);
    const kind = kinds[0];
    const item = input(builtin, entry[kind]);
    const base: Request = { table: tableName(builtin, item), key: keyOf(builtin, item.key) };
    const cond = transactCondition(builtin, item);
    if (kind === 'putItem') {
      Object.assign(base, { operation: 'PutItem', attributeValues: toMapValues(item.item ?? {}) });
    } else if (kind === 'updateItem') {
      Object.assign(base, {
        operation: 'UpdateItem',
        update: updateExpression(builtin, item.update, item.key as JsonMap),
      });
    } else if (kind === 'conditionCheck') {
      if (!cond) throw misuse(builtin, 'a conditionCheck item needs a condition');
      base.operation = 'ConditionCheck';
    } else {
      base.operation = 'DeleteItem';
    }
    const ordered: Request = { table: base.table, operation: base.operation, ...base };
    if (cond) ordered.condition = cond;
    return ordered;
  });
  return { operation: 'TransactWriteItems', transactItems };
}

/** The namespace behind `import * as ddb from '@aws-appsync/utils/dynamodb'`. */
export const dynamodbModule = {
  get,
  put,
  update,
  remove,
  query,
  scan,
  sync,
  batchGet,
  batchPut,
  batchDelete,
  transactGet,
  transactWrite,
  operations,
  toDynamoDB,
  toMapValues,
  toStringSet: (values: string[]) => markSet('SS', 'toStringSet', values),
  toNumberSet: (values: number[]) => markSet('NS', 'toNumberSet', values),
  toBinarySet: (values: string[]) => markSet('BS', 'toBinarySet', values),
};
