// TransactGetItems: up to 100 reads from one consistent snapshot, answered in request order.
import { cancellation, validationReason } from '../cancellation.js';
import { CapacityMeter, type ReturnConsumedCapacity, readUnits } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { readItem } from '../itemStore.js';
import { compileExpressions, projectItem } from '../requestExpressions.js';
import { checkKey, primaryRowKey } from '../schema.js';
import {
  checkRequest,
  expressionAttributeNames,
  type RequestShape,
  returnConsumedCapacity,
  str,
  tableName,
} from '../validation/shape.js';
import { type Item, itemSize, validateItem } from '../values/index.js';

interface Get {
  TableName: string;
  Key: Item;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
}

export interface TransactGetItemsInput {
  TransactItems: Array<{ Get: Get }>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    TransactItems: {
      kind: 'list',
      notNull: true,
      minLength: 1,
      maxLength: 100,
      of: {
        kind: 'struct',
        name: 'TransactGetItem',
        fields: {
          Get: {
            kind: 'struct',
            name: 'Get',
            notNull: true,
            fields: {
              Key: { kind: 'item', notNull: true },
              TableName: tableName(),
              ProjectionExpression: str,
              ExpressionAttributeNames: expressionAttributeNames,
            },
          },
        },
      },
    },
    ReturnConsumedCapacity: returnConsumedCapacity,
  },
};

export function transactGetItems(ctx: EngineContext, body: unknown) {
  const data = checkRequest<TransactGetItemsInput>(body, shape);
  const gets = data.TransactItems.map(({ Get }) => ({
    get: Get,
    key: validateItem(Get.Key, 'Key'),
    projection: compileExpressions(Get as unknown as Record<string, unknown>, { projection: true }).projection,
  }));
  return ctx.storage.read((tx) => {
    const meters = new Map<string, CapacityMeter>();
    const seen = new Set<string>();
    const schemas = gets.map(({ get }) => requireSchema(ctx, tx, get.TableName));
    // A key that does not fit its table cancels the transaction with a ValidationError reason for that Get.
    const reasons = gets.map(({ key }, i) => validationReason(() => checkKey(schemas[i], key)));
    if (reasons.some((r) => r.Code !== 'None')) throw cancellation(reasons);
    const responses = gets.map(({ get, key, projection }, i) => {
      const schema = schemas[i];
      const row = primaryRowKey(schema, key);
      const id = `${get.TableName}/${row.pk.toString('hex')}/${row.sk.toString('hex')}`;
      if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
      const found = readItem(tx, schema, key);
      let meter = meters.get(schema.name);
      if (!meter) meters.set(schema.name, (meter = new CapacityMeter(schema, 'read')));
      meter.addTable(readUnits(found ? itemSize(found) : 0, true) * 2);
      if (!found) return {};
      return { Item: projection ? projectItem(found, projection) : found };
    });
    const out: Record<string, unknown> = { Responses: responses };
    if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
      out.ConsumedCapacity = [...meters.values()].map((m) => m.report(data.ReturnConsumedCapacity));
    }
    return out;
  });
}
