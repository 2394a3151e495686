// What the three PartiQL actions share: binding parameters, looking up the target table, running a write
// through the engine's own single-item actions, projecting SELECT results, and the opaque NextToken.
import { createHash } from 'node:crypto';
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError } from '../errors.js';
import { ExpressionContext, evaluateCondition, getPath, parseCondition } from '../expressions/index.js';
import { deleteItem } from '../operations/deleteItem.js';
import { putItem } from '../operations/putItem.js';
import { updateItem } from '../operations/updateItem.js';
import type { TableSchema } from '../schema.js';
import { setOwn } from '../values/own.js';
import type { AttributeValue, Item } from '../values/types.js';
import { validateAttributeValue } from '../values/validate.js';
import type {
  DeleteStatement,
  ExistsStatement,
  InsertStatement,
  ParsedStatement,
  Statement,
  UpdateStatement,
} from './ast.js';
import { duplicateItem, MESSAGES, pqlError } from './messages.js';
import { parseStatement } from './parser.js';
import {
  checkParameterCount,
  type ItemFilter,
  type Projection,
  planDelete,
  planInsert,
  planUpdate,
} from './translate.js';

export interface Bound extends ParsedStatement {
  params: AttributeValue[];
}

/** Parses a statement and checks its Parameters (count first, then each value as DynamoDB checks items). */
export function bind(text: string, parameters: unknown[] | undefined): Bound {
  const parsed = parseStatement(text);
  checkParameterCount(parsed.parameterCount, parameters);
  const params = (parameters ?? []).map((p, i) => validateAttributeValue(p, `Parameters.${i + 1}`));
  return { ...parsed, params };
}

export const tableOf = (s: Statement): string =>
  s.kind === 'select' ? s.source.table : s.kind === 'exists' ? s.select.source.table : s.table;

export const isRead = (s: Statement) => s.kind === 'select';

const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/** The schema of the table a statement names; a name DynamoDB could never hold is refused before the lookup. */
export function loadSchema(ctx: EngineContext, name: string): TableSchema {
  if (!TABLE_NAME.test(name)) throw pqlError(MESSAGES.invalidTableName);
  return ctx.storage.read((tx) => requireSchema(ctx, tx, name));
}

export function projectRow(item: Item, projection: Projection | undefined): Item {
  if (!projection) return item;
  const out: Item = {};
  for (const { path, name } of projection) {
    const v = getPath(item, path.steps);
    if (v !== undefined) setOwn(out, name, v);
  }
  return out;
}

export interface WriteOptions {
  ReturnConsumedCapacity?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

/** Runs INSERT, UPDATE or DELETE through PutItem, UpdateItem or DeleteItem. Items holds what RETURNING asked. */
export function runWrite(
  ctx: EngineContext,
  s: InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement,
  params: AttributeValue[],
  options: WriteOptions,
): { Items: Item[]; ConsumedCapacity?: unknown } {
  if (s.kind === 'exists') throw pqlError(MESSAGES.existsOutsideTransaction);
  const schema = loadSchema(ctx, s.table);
  const extras: Record<string, unknown> = {};
  if (options.ReturnConsumedCapacity !== undefined) extras.ReturnConsumedCapacity = options.ReturnConsumedCapacity;
  let out: Record<string, unknown>;
  if (s.kind === 'insert') {
    try {
      out = putItem(ctx, { ...planInsert(schema, s, params), ...extras });
    } catch (e) {
      if (e instanceof DynamoDBError && e.type === 'ConditionalCheckFailedException') throw duplicateItem();
      throw e;
    }
  } else {
    if (options.ReturnValuesOnConditionCheckFailure !== undefined)
      extras.ReturnValuesOnConditionCheckFailure = options.ReturnValuesOnConditionCheckFailure;
    const input = s.kind === 'update' ? planUpdate(schema, s, params) : planDelete(schema, s, params);
    out = (s.kind === 'update' ? updateItem : deleteItem)(ctx, { ...input, ...extras });
  }
  const attributes = out.Attributes as Item | undefined;
  const result: { Items: Item[]; ConsumedCapacity?: unknown } = {
    Items: attributes && Object.keys(attributes).length ? [attributes] : [],
  };
  if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
  return result;
}

// ---- NextToken ------------------------------------------------------------------------------------------------
// The token carries the LastEvaluatedKey and a fingerprint of the statement and its parameters, so it resumes only
// the request that issued it (DynamoDB: "NextToken does not match request").

const fingerprint = (statement: string, params: AttributeValue[]) =>
  createHash('sha256').update(statement).update('\0').update(JSON.stringify(params)).digest('base64url').slice(0, 22);

/** Where a SELECT resumes: the partition (for a SELECT split into one Query per partition key) and the key. */
export interface Resume {
  partition: number;
  key?: Item;
}

export function encodeNextToken(statement: string, params: AttributeValue[], resume: Resume): string {
  const token: Record<string, unknown> = { f: fingerprint(statement, params) };
  if (resume.partition) token.p = resume.partition;
  if (resume.key) token.k = resume.key;
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeNextToken(token: string, statement: string, params: AttributeValue[]): Resume {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw pqlError(MESSAGES.invalidNextToken);
  }
  const t = decoded as { f?: unknown; k?: unknown; p?: unknown };
  const validKey = t?.k === undefined || (t.k !== null && typeof t.k === 'object' && !Array.isArray(t.k));
  const validPartition = t?.p === undefined || (Number.isSafeInteger(t.p) && (t.p as number) >= 0);
  if (!t || typeof t !== 'object' || typeof t.f !== 'string' || !validKey || !validPartition)
    throw pqlError(MESSAGES.invalidNextToken);
  if (t.f !== fingerprint(statement, params)) throw pqlError(MESSAGES.nextTokenMismatch);
  return { partition: (t.p as number | undefined) ?? 0, key: t.k as Item | undefined };
}

/** The error code of a failed statement in BatchExecuteStatement (BatchStatementError.Code). */
export function batchErrorCode(e: DynamoDBError): string {
  switch (e.type) {
    case 'ConditionalCheckFailedException':
      return 'ConditionalCheckFailed';
    case 'DuplicateItemException':
      return 'DuplicateItem';
    case 'ResourceNotFoundException':
      return 'ResourceNotFound';
    case 'ItemCollectionSizeLimitExceededException':
      return 'ItemCollectionSizeLimitExceeded';
    case 'ProvisionedThroughputExceededException':
      return 'ProvisionedThroughputExceeded';
    case 'TransactionConflictException':
      return 'TransactionConflict';
    case 'AccessDeniedException':
      return 'AccessDenied';
    case 'InternalServerError':
      return 'InternalServerError';
    default:
      return 'ValidationError';
  }
}

/** Whether an item meets the non-key terms of a single-item SELECT (batches and transactions read by key). */
export function conditionMet(filter: ItemFilter | undefined, item: Item): boolean {
  if (!filter) return true;
  const names = Object.keys(filter.names).length ? filter.names : undefined;
  const values = Object.keys(filter.values).length ? filter.values : undefined;
  return evaluateCondition(parseCondition(filter.expression, new ExpressionContext(names, values)), item);
}

/** Sums the ConsumedCapacity of several single-item calls into one entry per table, as batch actions report. */
export function mergeCapacity(entries: unknown[]): unknown[] {
  const byTable = new Map<string, Record<string, unknown>>();
  const add = (into: Record<string, unknown>, from: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(from)) {
      if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
      else if (v && typeof v === 'object' && !Array.isArray(v)) {
        into[k] ??= {};
        add(into[k] as Record<string, unknown>, v as Record<string, unknown>);
      } else into[k] ??= v;
    }
  };
  for (const entry of entries) {
    const e = entry as Record<string, unknown>;
    const table = String(e.TableName);
    if (!byTable.has(table)) byTable.set(table, {});
    add(byTable.get(table)!, e);
  }
  return [...byTable.values()];
}
