// TransactWriteItems: up to 100 condition checks, puts, updates and deletes that commit together or not at all,
// in one storage transaction. Every action is evaluated so the cancellation lists a reason per action, in order.
// ClientRequestToken makes the call idempotent for 10 minutes: a replay returns the first answer without
// writing again, a different request under the same token is refused.
import { createHash } from 'node:crypto';
import { cancellation, type Reason, validationReason } from '../cancellation.js';
import { CapacityMeter, type ReturnConsumedCapacity, writeUnits } from '../capacity.js';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { readItem } from '../itemStore.js';
import { conditionHolds } from '../requestExpressions.js';
import { checkItemKeys, checkKey, keyOf, primaryRowKey, type TableSchema } from '../schema.js';
import type { StorageTx } from '../storage/port.js';
import {
  checkRequest,
  expressionAttributeNames,
  expressionAttributeValues,
  type RequestShape,
  returnConsumedCapacity,
  returnItemCollectionMetrics,
  returnValuesOnConditionCheckFailure,
  str,
  tableName,
} from '../validation/shape.js';
import { type Item, itemSize, own, setOwn } from '../values/index.js';
import { conditionFailed } from '../writeResults.js';
import { type DeleteItemInput, executeDelete, prepareDelete } from './deleteItem.js';
import { executePut, type PutItemInput, preparePut } from './putItem.js';
import { executeUpdate, prepareUpdate, type UpdateItemInput } from './updateItem.js';

const TOKEN_TTL_MS = 10 * 60 * 1000;

const common = {
  TableName: tableName(),
  ConditionExpression: str,
  ExpressionAttributeNames: expressionAttributeNames,
  ExpressionAttributeValues: expressionAttributeValues,
  ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
};

const shape: RequestShape = {
  fields: {
    TransactItems: {
      kind: 'list',
      notNull: true,
      minLength: 1,
      maxLength: 100,
      of: {
        kind: 'struct',
        name: 'TransactWriteItem',
        fields: {
          ConditionCheck: {
            kind: 'struct',
            name: 'ConditionCheck',
            fields: {
              Key: { kind: 'item', notNull: true },
              ...common,
              ConditionExpression: { kind: 'string', notNull: true },
            },
          },
          Put: { kind: 'struct', name: 'Put', fields: { Item: { kind: 'item', notNull: true }, ...common } },
          Delete: { kind: 'struct', name: 'Delete', fields: { Key: { kind: 'item', notNull: true }, ...common } },
          Update: {
            kind: 'struct',
            name: 'Update',
            fields: {
              Key: { kind: 'item', notNull: true },
              UpdateExpression: { kind: 'string', notNull: true },
              ...common,
            },
          },
        },
      },
    },
    ReturnConsumedCapacity: returnConsumedCapacity,
    ReturnItemCollectionMetrics: returnItemCollectionMetrics,
    ClientRequestToken: { kind: 'string', minLength: 1, maxLength: 36 },
  },
};

type Action = {
  ConditionCheck?: DeleteItemInput & { ConditionExpression: string };
  Put?: PutItemInput;
  Delete?: DeleteItemInput;
  Update?: UpdateItemInput;
};

export interface TransactWriteItemsInput {
  TransactItems: Action[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  ReturnItemCollectionMetrics?: string;
  ClientRequestToken?: string;
}

type Prepared =
  | { kind: 'check'; table: string; key: Item; run: ReturnType<typeof prepareDelete> }
  | { kind: 'put'; table: string; key?: undefined; run: ReturnType<typeof preparePut> }
  | { kind: 'delete'; table: string; key: Item; run: ReturnType<typeof prepareDelete> }
  | { kind: 'update'; table: string; key: Item; run: ReturnType<typeof prepareUpdate> };

function prepare(action: Action): Prepared {
  const present = [action.ConditionCheck, action.Put, action.Delete, action.Update].filter((a) => a !== undefined);
  if (present.length !== 1) {
    // DynamoDB's exact wording for an action with zero or several operations is not recorded in our references.
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  if (action.ConditionCheck) {
    const run = prepareDelete(action.ConditionCheck, false);
    return { kind: 'check', table: action.ConditionCheck.TableName, key: run.key, run };
  }
  if (action.Put) return { kind: 'put', table: action.Put.TableName, run: preparePut(action.Put, false) };
  if (action.Delete) {
    const run = prepareDelete(action.Delete, false);
    return { kind: 'delete', table: action.Delete.TableName, key: run.key, run };
  }
  const run = prepareUpdate(action.Update!);
  return { kind: 'update', table: action.Update!.TableName, key: run.key, run };
}

/** The aggregate size of the items in a transaction (the TransactWriteItems reference). */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

function fingerprint(body: unknown): string {
  const { ReturnConsumedCapacity: _c, ReturnItemCollectionMetrics: _m, ...rest } = body as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

function replayed(
  ctx: EngineContext,
  tx: StorageTx,
  token: string,
  print: string,
): Record<string, unknown> | undefined {
  const raw = tx.getMeta(`transact-token:${token}`);
  if (!raw) return undefined;
  const seen = JSON.parse(raw) as { print: string; at: number; response: Record<string, unknown> };
  if (ctx.now() - seen.at > TOKEN_TTL_MS) {
    tx.putMeta(`transact-token:${token}`, undefined);
    return undefined;
  }
  if (seen.print !== print) {
    throw new DynamoDBError(
      'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request.',
    );
  }
  return seen.response;
}

function execute(ctx: EngineContext, tx: StorageTx, schema: TableSchema, p: Prepared, meter: CapacityMeter): void {
  switch (p.kind) {
    case 'check': {
      const oldItem = readItem(tx, schema, p.key);
      if (!conditionHolds(p.run.expressions.condition, oldItem)) {
        throw conditionFailed(oldItem, p.run.data.ReturnValuesOnConditionCheckFailure);
      }
      meter.addTable(writeUnits(oldItem ? itemSize(oldItem) : 0) * 2);
      return;
    }
    case 'put':
      executePut(ctx, tx, schema, p.run, meter, 2);
      return;
    case 'delete':
      executeDelete(ctx, tx, schema, p.run, meter, 2);
      return;
    case 'update':
      executeUpdate(ctx, tx, schema, p.run, meter, 2);
      return;
  }
}

export function transactWriteItems(ctx: EngineContext, body: unknown) {
  const data = checkRequest<TransactWriteItemsInput>(body, shape);
  const prepared = data.TransactItems.map(prepare);
  const print = data.ClientRequestToken ? fingerprint(body) : '';
  return ctx.storage.transaction((tx) => {
    if (data.ClientRequestToken) {
      const previous = replayed(ctx, tx, data.ClientRequestToken, print);
      if (previous) return previous;
    }
    // Static checks first. A key that does not fit its table cancels the transaction with a ValidationError
    // reason for that action (DynamoDB reports it through the cancellation channel); the others fail the request.
    const schemas = prepared.map((p) => requireSchema(ctx, tx, p.table));
    const keyReasons = prepared.map((p, i) =>
      validationReason(() => (p.kind === 'put' ? checkItemKeys(schemas[i], p.run.item) : checkKey(schemas[i], p.key))),
    );
    if (keyReasons.some((r) => r.Code !== 'None')) throw cancellation(keyReasons);
    let size = 0;
    for (const p of prepared) if (p.kind === 'put') size += itemSize(p.run.item);
    if (size > MAX_TRANSACTION_BYTES) {
      // The limit is documented; DynamoDB's wording for it is not recorded in our references.
      throw validation('Transaction request cannot include items whose aggregate size exceeds 4 MB');
    }
    const seen = new Set<string>();
    prepared.forEach((p, i) => {
      const schema = schemas[i];
      const key = p.kind === 'put' ? keyOf(schema, p.run.item) : p.key;
      const row = primaryRowKey(schema, key);
      const id = `${schema.name}/${row.pk.toString('hex')}/${row.sk.toString('hex')}`;
      if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    });
    const meters = new Map<string, CapacityMeter>();
    const reasons: Reason[] = [];
    let cancelled = false;
    prepared.forEach((p, i) => {
      const schema = schemas[i];
      let meter = meters.get(schema.name);
      if (!meter) meters.set(schema.name, (meter = new CapacityMeter(schema, 'write')));
      try {
        execute(ctx, tx, schema, p, meter);
        reasons.push({ Code: 'None' });
      } catch (e) {
        if (!(e instanceof DynamoDBError)) throw e;
        cancelled = true;
        if (e.type === 'ConditionalCheckFailedException') {
          const reason: Reason = { Code: 'ConditionalCheckFailed', Message: e.message };
          if (e.extra.Item) reason.Item = e.extra.Item as Item;
          reasons.push(reason);
        } else if (e.type === 'ValidationException') {
          reasons.push({ Code: 'ValidationError', Message: e.message });
        } else {
          throw e;
        }
      }
    });
    // Thrown inside the storage transaction: the writes of the actions that passed roll back.
    if (cancelled) throw cancellation(reasons);
    const out: Record<string, unknown> = {};
    if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
      out.ConsumedCapacity = [...meters.values()].map((m) => m.report(data.ReturnConsumedCapacity));
    }
    if (data.ReturnItemCollectionMetrics === 'SIZE') {
      // Per table with local secondary indexes (only they have item collections), one entry per written item.
      const metrics: Record<string, unknown[]> = {};
      prepared.forEach((p, i) => {
        const schema = schemas[i];
        if (p.kind === 'check' || !schema.table.LocalSecondaryIndexes?.length) return;
        const key = p.kind === 'put' ? p.run.item : p.key;
        if (!Object.hasOwn(metrics, schema.name)) setOwn(metrics, schema.name, []);
        metrics[schema.name].push({
          ItemCollectionKey: { [schema.hash.name]: own(key, schema.hash.name) },
          SizeEstimateRangeGB: [0, 1],
        });
      });
      out.ItemCollectionMetrics = metrics;
    }
    if (data.ClientRequestToken) {
      tx.putMeta(`transact-token:${data.ClientRequestToken}`, JSON.stringify({ print, at: ctx.now(), response: out }));
    }
    return out;
  });
}
