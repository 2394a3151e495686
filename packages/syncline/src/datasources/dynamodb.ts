// AppSync's DynamoDB data source: the request objects of the JS resolver reference (GetItem, PutItem, UpdateItem,
// DeleteItem, Query, Scan, Batch*, Transact*) turned into calls on the table engine, with AppSync's result
// shapes (plain JSON) and error types (`DynamoDB:<ExceptionName>`).
import { createHmac, randomBytes } from 'node:crypto';
import type { ResolverContext } from '../resolvers/context.js';
import { DynamoDBError } from '../tables/errors.js';
import type { Item } from '../tables/values/index.js';
import { fromItem, normalizeTyped } from './dynamodbValues.js';
import { type DataSource, DataSourceError } from './types.js';

type Wire = Record<string, unknown>;

/** The table engine operations this data source needs, in DynamoDB's JSON shapes. */
export interface DynamoDBOperations {
  getItem(input: Wire): Wire;
  putItem(input: Wire): Wire;
  updateItem(input: Wire): Wire;
  deleteItem(input: Wire): Wire;
  query(input: Wire): Wire;
  scan(input: Wire): Wire;
  batchGetItem(input: Wire): Wire;
  batchWriteItem(input: Wire): Wire;
  transactGetItems(input: Wire): Wire;
  transactWriteItems(input: Wire): Wire;
}

interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Item;
}

const fail = (message: string, type = 'DynamoDB:ValidationException') => new DataSourceError(message, type);

export function dynamodbDataSource(
  name: string,
  tableName: string,
  engine: DynamoDBOperations,
  /** The cluster's shared key for nextTokens, so any node accepts a token another issued; default per process. */
  tokenKey?: Buffer,
): DataSource {
  // nextToken is opaque and bound to the resolver field that issued it, as on AppSync.
  const secret = tokenKey ? createHmac('sha256', tokenKey).update(`nextToken|${name}`).digest() : randomBytes(32);
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
  const encodeToken = (key: unknown, ctx: ResolverContext) => {
    const payload = Buffer.from(
      JSON.stringify({ k: key, f: `${ctx.info.parentTypeName}.${ctx.info.fieldName}` }),
    ).toString('base64url');
    return `${payload}.${sign(payload)}`;
  };
  const decodeToken = (token: unknown, ctx: ResolverContext) => {
    if (token == null) return undefined;
    const [payload, mac] = String(token).split('.');
    if (!payload || mac !== sign(payload)) throw fail('The provided nextToken is not valid.');
    const { k, f } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    if (f !== `${ctx.info.parentTypeName}.${ctx.info.fieldName}`)
      throw fail('The provided nextToken is not valid for this resolver.');
    return k;
  };

  const withExpression = (target: Wire, field: string, e: Expression | undefined) => {
    if (!e) return;
    target[field] = e.expression;
    if (e.expressionNames && Object.keys(e.expressionNames).length) {
      target.ExpressionAttributeNames = { ...(target.ExpressionAttributeNames as object), ...e.expressionNames };
    }
    if (e.expressionValues && Object.keys(e.expressionValues).length) {
      target.ExpressionAttributeValues = { ...(target.ExpressionAttributeValues as object), ...e.expressionValues };
    }
  };

  const projection = (target: Wire, p: { expression: string; expressionNames?: Record<string, string> } | undefined) =>
    withExpression(target, 'ProjectionExpression', p);

  const page = (out: Wire, ctx: ResolverContext) => ({
    items: ((out.Items as Item[] | undefined) ?? []).map(fromItem),
    nextToken: out.LastEvaluatedKey ? encodeToken(out.LastEvaluatedKey, ctx) : null,
    scannedCount: out.ScannedCount ?? 0,
  });

  const run = (r: Wire, ctx: ResolverContext): unknown => {
    switch (r.operation) {
      case 'GetItem': {
        const input: Wire = { TableName: tableName, Key: r.key, ConsistentRead: r.consistentRead === true };
        projection(input, r.projection as Expression);
        const out = engine.getItem(input);
        return out.Item ? fromItem(out.Item as Item) : null;
      }
      case 'PutItem': {
        const item = { ...(r.attributeValues as Item), ...(r.key as Item) };
        const input: Wire = { TableName: tableName, Item: item };
        withExpression(input, 'ConditionExpression', r.condition as Expression);
        engine.putItem(input);
        return fromItem(item);
      }
      case 'UpdateItem': {
        const input: Wire = { TableName: tableName, Key: r.key, ReturnValues: 'ALL_NEW' };
        withExpression(input, 'UpdateExpression', r.update as Expression);
        withExpression(input, 'ConditionExpression', r.condition as Expression);
        const out = engine.updateItem(input);
        return out.Attributes ? fromItem(out.Attributes as Item) : null;
      }
      case 'DeleteItem': {
        const input: Wire = { TableName: tableName, Key: r.key, ReturnValues: 'ALL_OLD' };
        withExpression(input, 'ConditionExpression', r.condition as Expression);
        const out = engine.deleteItem(input);
        return out.Attributes ? fromItem(out.Attributes as Item) : null;
      }
      case 'Query':
      case 'Scan': {
        const input: Wire = { TableName: tableName };
        if (r.operation === 'Query') withExpression(input, 'KeyConditionExpression', r.query as Expression);
        withExpression(input, 'FilterExpression', r.filter as Expression);
        projection(input, r.projection as Expression);
        if (r.index) input.IndexName = r.index;
        if (r.limit != null) input.Limit = r.limit;
        if (r.consistentRead != null) input.ConsistentRead = r.consistentRead;
        if (r.scanIndexForward != null) input.ScanIndexForward = r.scanIndexForward;
        if (r.select) input.Select = r.select;
        if (r.segment != null) input.Segment = r.segment;
        if (r.totalSegments != null) input.TotalSegments = r.totalSegments;
        const start = decodeToken(r.nextToken, ctx);
        if (start) input.ExclusiveStartKey = start;
        return page(r.operation === 'Query' ? engine.query(input) : engine.scan(input), ctx);
      }
      case 'BatchGetItem': {
        const tables = r.tables as Record<string, { keys: Item[]; consistentRead?: boolean; projection?: Expression }>;
        const request: Wire = {};
        for (const [t, spec] of Object.entries(tables)) {
          const entry: Wire = { Keys: spec.keys, ConsistentRead: spec.consistentRead === true };
          projection(entry, spec.projection);
          request[t] = entry;
        }
        const out = engine.batchGetItem({ RequestItems: request }) as { Responses: Record<string, Item[]> };
        const data: Record<string, unknown[]> = {};
        // AppSync returns results in the order of the requested keys, null for keys not found.
        for (const [t, spec] of Object.entries(tables)) {
          const found = out.Responses[t] ?? [];
          data[t] = spec.keys.map((key) => {
            const hit = found.find((item) =>
              Object.entries(key).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v)),
            );
            return hit ? fromItem(hit) : null;
          });
        }
        return { data, unprocessedKeys: Object.fromEntries(Object.keys(tables).map((t) => [t, []])) };
      }
      case 'BatchPutItem':
      case 'BatchDeleteItem': {
        const tables = r.tables as Record<string, Item[]>;
        const put = r.operation === 'BatchPutItem';
        const request: Wire = {};
        for (const [t, entries] of Object.entries(tables)) {
          request[t] = entries.map((e) => (put ? { PutRequest: { Item: e } } : { DeleteRequest: { Key: e } }));
        }
        engine.batchWriteItem({ RequestItems: request });
        const data = Object.fromEntries(Object.entries(tables).map(([t, entries]) => [t, entries.map(fromItem)]));
        const empty = Object.fromEntries(Object.keys(tables).map((t) => [t, []]));
        return put ? { data, unprocessedItems: empty } : { data, unprocessedKeys: empty };
      }
      case 'TransactGetItems': {
        const items = r.transactItems as { table: string; key: Item; projection?: Expression }[];
        const out = engine.transactGetItems({
          TransactItems: items.map((i) => {
            const get: Wire = { TableName: i.table, Key: i.key };
            projection(get, i.projection);
            return { Get: get };
          }),
        }) as { Responses: { Item?: Item }[] };
        return { items: out.Responses.map((x) => (x.Item ? fromItem(x.Item) : null)), cancellationReasons: null };
      }
      case 'TransactWriteItems': {
        const items = r.transactItems as (Wire & { table: string; operation: string; key: Item })[];
        engine.transactWriteItems({
          TransactItems: items.map((i) => {
            const base: Wire = { TableName: i.table };
            switch (i.operation) {
              case 'PutItem':
                base.Item = { ...(i.attributeValues as Item), ...i.key };
                withExpression(base, 'ConditionExpression', i.condition as Expression);
                return { Put: base };
              case 'UpdateItem':
                base.Key = i.key;
                withExpression(base, 'UpdateExpression', i.update as Expression);
                withExpression(base, 'ConditionExpression', i.condition as Expression);
                return { Update: base };
              case 'DeleteItem':
                base.Key = i.key;
                withExpression(base, 'ConditionExpression', i.condition as Expression);
                return { Delete: base };
              case 'ConditionCheck':
                base.Key = i.key;
                withExpression(base, 'ConditionExpression', i.condition as Expression);
                return { ConditionCheck: base };
              default:
                throw fail(`Unsupported transactItems operation: ${String(i.operation)}`);
            }
          }),
        });
        return { keys: items.map((i) => fromItem(i.key)), cancellationReasons: null };
      }
      default:
        throw fail(
          `Unsupported operation '${String(r.operation)}'. Supported operations: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem, BatchPutItem, BatchDeleteItem, TransactGetItems, TransactWriteItems.`,
        );
    }
  };

  return {
    name,
    type: 'AMAZON_DYNAMODB',
    invoke(request, ctx) {
      if (!request || typeof request !== 'object')
        throw fail('The resolver request must be an object with an operation.');
      try {
        return run(normalizeTyped(request) as Wire, ctx);
      } catch (error) {
        if (error instanceof DynamoDBError) throw new DataSourceError(error.message, `DynamoDB:${error.type}`);
        throw error;
      }
    },
  };
}
