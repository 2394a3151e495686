// BatchExecuteStatement: up to 25 PartiQL statements, all reads or all writes, each run on its own. A read must
// name one item by its full primary key (a GetItem); a write is a single-item write. A statement that fails
// answers with an Error in its place in Responses; the others still run, and the call as a whole succeeds.
import type { ReturnConsumedCapacity } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { MESSAGES, pqlError } from '../partiql/messages.js';
import {
  type Bound,
  batchErrorCode,
  bind,
  conditionMet,
  isRead,
  loadSchema,
  mergeCapacity,
  projectRow,
  runWrite,
  tableOf,
} from '../partiql/run.js';
import { planGet } from '../partiql/translate.js';
import {
  bool,
  checkRequest,
  type RequestShape,
  returnConsumedCapacity,
  returnValuesOnConditionCheckFailure,
} from '../validation/shape.js';
import type { Item } from '../values/types.js';
import { parameters, statementText } from './executeStatement.js';
import { getItem } from './getItem.js';

interface BatchStatementRequest {
  Statement: string;
  Parameters?: unknown[];
  ConsistentRead?: boolean;
  ReturnValuesOnConditionCheckFailure?: string;
}

export interface BatchExecuteStatementInput {
  Statements: BatchStatementRequest[];
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    Statements: {
      kind: 'list',
      notNull: true,
      minLength: 1,
      maxLength: 25,
      of: {
        kind: 'struct',
        name: 'BatchStatementRequest',
        fields: {
          Statement: statementText,
          Parameters: parameters,
          ConsistentRead: bool,
          ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
        },
      },
    },
    ReturnConsumedCapacity: returnConsumedCapacity,
  },
};

/** DynamoDB's documentation states the rule; its exact message for a mixed batch is not recorded in our sources. */
export const MIXED_BATCH = 'The entire batch must consist of either read statements or write statements';

type Entry = { request: BatchStatementRequest; bound?: Bound; error?: DynamoDBError };

export function batchExecuteStatement(ctx: EngineContext, body: unknown) {
  const data = checkRequest<BatchExecuteStatementInput>(body, shape);
  const entries: Entry[] = data.Statements.map((request) => {
    try {
      return { request, bound: bind(request.Statement, request.Parameters) };
    } catch (error) {
      if (error instanceof DynamoDBError) return { request, error };
      throw error;
    }
  });
  const kinds = new Set(entries.flatMap((e) => (e.bound ? [isRead(e.bound.statement)] : [])));
  if (kinds.size > 1) throw validation(MIXED_BATCH);
  const capacity: unknown[] = [];
  const responses = entries.map((entry) => {
    if (!entry.bound) return { Error: { Code: batchErrorCode(entry.error!), Message: entry.error!.message } };
    const s = entry.bound.statement;
    const TableName = tableOf(s);
    try {
      if (s.kind === 'select') {
        if (s.source.index) throw pqlError(MESSAGES.indexWrite);
        const schema = loadSchema(ctx, TableName);
        const plan = planGet(schema, s, entry.bound.params, MESSAGES.incompleteKey);
        const input: Record<string, unknown> = { TableName, Key: plan.key };
        if (entry.request.ConsistentRead !== undefined) input.ConsistentRead = entry.request.ConsistentRead;
        if (data.ReturnConsumedCapacity !== undefined) input.ReturnConsumedCapacity = data.ReturnConsumedCapacity;
        const out = getItem(ctx, input, false) as { Item?: Item; ConsumedCapacity?: unknown };
        if (out.ConsumedCapacity) capacity.push(out.ConsumedCapacity);
        const item = out.Item && conditionMet(plan.filter, out.Item) ? out.Item : undefined;
        return item ? { TableName, Item: projectRow(item, plan.projection) } : { TableName };
      }
      const out = runWrite(ctx, s, entry.bound.params, {
        ReturnConsumedCapacity: data.ReturnConsumedCapacity,
        ReturnValuesOnConditionCheckFailure: entry.request.ReturnValuesOnConditionCheckFailure,
      });
      if (out.ConsumedCapacity) capacity.push(out.ConsumedCapacity);
      return out.Items.length ? { TableName, Item: out.Items[0] } : { TableName };
    } catch (e) {
      if (!(e instanceof DynamoDBError)) throw e;
      const error: Record<string, unknown> = { Code: batchErrorCode(e), Message: e.message };
      if (e.extra.Item) error.Item = e.extra.Item;
      return { TableName, Error: error };
    }
  });
  const out: Record<string, unknown> = { Responses: responses };
  if (data.ReturnConsumedCapacity === 'TOTAL' || data.ReturnConsumedCapacity === 'INDEXES') {
    out.ConsumedCapacity = mergeCapacity(capacity);
  }
  return out;
}
