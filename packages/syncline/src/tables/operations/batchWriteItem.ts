// BatchWriteItem: up to 25 puts and deletes over several tables. DynamoDB applies them independently; here they
// commit in one storage transaction, which clients cannot tell apart (no conditions, nothing unprocessed).
import { CapacityMeter, type ReturnConsumedCapacity } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { validation } from '../errors.js';
import { readItem, writeItem } from '../itemStore.js';
import { checkItemKeys, checkKey, keyOf, primaryRowKey } from '../schema.js';
import {
  checkRequest,
  type RequestShape,
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  TABLE_NAME_PATTERN,
} from '../validation/shape.js';
import { type Item, itemSize, MAX_ITEM_SIZE, own, setOwn, validateItem } from '../values/index.js';

interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}

export interface BatchWriteItemInput {
  RequestItems: Record<string, WriteRequest[]>;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
}

const shape: RequestShape = {
  required: { member: 'RequestItems', message: 'The requestItems parameter is required for BatchWriteItem' },
  fields: {
    ReturnConsumedCapacity: returnConsumedCapacity,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    RequestItems: {
      kind: 'map',
      valueType: 'java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>',
      notNull: true,
      minLength: 1,
      keys: { maxLength: 255, minLength: 3, regex: TABLE_NAME_PATTERN },
      values: { maxLength: 25, minLength: 1 },
      of: {
        kind: 'list',
        of: {
          kind: 'struct',
          name: 'WriteRequest',
          fields: {
            DeleteRequest: { kind: 'struct', name: 'DeleteRequest', fields: { Key: { kind: 'item', notNull: true } } },
            PutRequest: { kind: 'struct', name: 'PutRequest', fields: { Item: { kind: 'item', notNull: true } } },
          },
        },
      },
    },
  },
};

export function batchWriteItem(ctx: EngineContext, body: unknown) {
  const data = checkRequest<BatchWriteItemInput>(body, shape);
  const requests: Array<{ table: string; puts: Array<{ item?: Item; key?: Item }> }> = [];
  let total = 0;
  for (const [table, writes] of Object.entries(data.RequestItems)) {
    const puts: Array<{ item?: Item; key?: Item }> = [];
    for (const write of writes) {
      const kinds = (write.PutRequest ? 1 : 0) + (write.DeleteRequest ? 1 : 0);
      if (kinds !== 1) {
        throw validation(
          'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
        );
      }
      if (write.PutRequest) {
        const item = validateItem(write.PutRequest.Item);
        if (itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
        puts.push({ item });
      } else {
        puts.push({ key: validateItem(write.DeleteRequest!.Key, 'Key') });
      }
    }
    total += writes.length;
    requests.push({ table, puts });
  }
  if (total > 25) throw validation('Too many items requested for the BatchWriteItem call');
  return ctx.storage.transaction((tx) => {
    const meters: CapacityMeter[] = [];
    const plans = requests.map((request) => {
      const schema = requireSchema(ctx, tx, request.table);
      const seen = new Set<string>();
      for (const w of request.puts) {
        if (w.item) checkItemKeys(schema, w.item);
        else checkKey(schema, w.key!);
        const row = primaryRowKey(schema, w.item ?? w.key!);
        const id = `${row.pk.toString('hex')}/${row.sk.toString('hex')}`;
        if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
        seen.add(id);
      }
      return { schema, request };
    });
    for (const { schema, request } of plans) {
      const meter = new CapacityMeter(schema, 'write');
      meters.push(meter);
      for (const w of request.puts) {
        const key = w.item ? keyOf(schema, w.item) : w.key!;
        const oldItem = readItem(tx, schema, key);
        if (w.item) writeItem(ctx, tx, schema, oldItem, w.item);
        else if (oldItem) writeItem(ctx, tx, schema, oldItem, undefined);
        meter.addWrite(oldItem, w.item);
      }
    }
    const out: Record<string, unknown> = { UnprocessedItems: {} };
    if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
      out.ConsumedCapacity = meters.map((m) => m.report(data.ReturnConsumedCapacity));
    }
    if (data.ReturnItemCollectionMetrics === 'SIZE') {
      const metrics: Record<string, unknown[]> = {};
      for (const { schema, request } of plans) {
        if (!schema.table.LocalSecondaryIndexes?.length) continue;
        const entries = request.puts.map((w) => ({
          ItemCollectionKey: { [schema.hash.name]: own(w.item ?? w.key!, schema.hash.name) },
          SizeEstimateRangeGB: [0, 1],
        }));
        setOwn(metrics, schema.name, entries);
      }
      out.ItemCollectionMetrics = metrics;
    }
    return out;
  });
}
