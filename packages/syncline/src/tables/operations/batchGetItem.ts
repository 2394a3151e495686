// BatchGetItem: up to 100 keys over several tables, read in one snapshot. Everything is always processed, so
// UnprocessedKeys is empty.
import { CapacityMeter, type ReturnConsumedCapacity, readUnits } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { readItem } from '../itemStore.js';
import { compileExpressions, projectItem, type RequestExpressions } from '../requestExpressions.js';
import { checkKey, primaryRowKey } from '../schema.js';
import {
  attributesToGet,
  bool,
  checkRequest,
  expressionAttributeNames,
  type RequestShape,
  returnConsumedCapacity,
  str,
  TABLE_NAME_PATTERN,
} from '../validation/shape.js';
import { type Item, itemSize, setOwn, validateItem } from '../values/index.js';

interface KeysAndAttributes {
  Keys: Item[];
  AttributesToGet?: string[];
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

export interface BatchGetItemInput {
  RequestItems: Record<string, KeysAndAttributes>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  required: { member: 'RequestItems', message: 'The requestItems parameter is required for BatchGetItem' },
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    RequestItems: {
      kind: 'map',
      valueType: 'com.amazonaws.dynamodb.v20120810.KeysAndAttributes',
      notNull: true,
      minLength: 1,
      render: 'json',
      keys: { maxLength: 255, minLength: 3, regex: TABLE_NAME_PATTERN },
      of: {
        kind: 'struct',
        name: 'KeysAndAttributes',
        fields: {
          Keys: { kind: 'list', notNull: true, minLength: 1, maxLength: 100, modern: true, of: { kind: 'item' } },
          AttributesToGet: attributesToGet,
          ConsistentRead: bool,
          ProjectionExpression: str,
          ExpressionAttributeNames: expressionAttributeNames,
        },
      },
    },
  },
};

export function batchGetItem(ctx: EngineContext, body: unknown) {
  const data = checkRequest<BatchGetItemInput>(body, shape);
  const requests: Array<{ table: string; keys: Item[]; expressions: RequestExpressions; consistent: boolean }> = [];
  let total = 0;
  for (const [table, request] of Object.entries(data.RequestItems)) {
    const expressions = compileExpressions(request as unknown as Record<string, unknown>, { projection: true });
    const keys = request.Keys.map((k) => validateItem(k, 'Key'));
    total += keys.length;
    if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
    requests.push({ table, keys, expressions, consistent: request.ConsistentRead === true });
  }
  return ctx.storage.read((tx) => {
    const responses: Record<string, Item[]> = {};
    const meters: CapacityMeter[] = [];
    for (const request of requests) {
      const schema = requireSchema(ctx, tx, request.table);
      const seen = new Set<string>();
      for (const key of request.keys) {
        checkKey(schema, key);
        const row = primaryRowKey(schema, key);
        const id = `${row.pk.toString('hex')}/${row.sk.toString('hex')}`;
        if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
        seen.add(id);
      }
      const meter = new CapacityMeter(schema, 'read');
      meters.push(meter);
      const items: Item[] = [];
      for (const key of request.keys) {
        const found = readItem(tx, schema, key);
        meter.addTable(readUnits(found ? itemSize(found) : 0, request.consistent));
        if (found)
          items.push(request.expressions.projection ? projectItem(found, request.expressions.projection) : found);
      }
      setOwn(responses, request.table, items);
    }
    const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: {} };
    if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
      out.ConsumedCapacity = meters.map((m) => m.report(data.ReturnConsumedCapacity));
    }
    return out;
  });
}
