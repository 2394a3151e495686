// ExecuteTransaction: up to 100 PartiQL statements that succeed or fail together, all reads or all writes.
// Reads are single-item SELECTs run as one TransactGetItems; writes (INSERT, UPDATE, DELETE, and EXISTS(SELECT …)
// condition checks) run as one TransactWriteItems, so cancellation reasons, idempotency by ClientRequestToken and
// atomicity are that action's. An INSERT that meets an existing item is cancelled with the reason DuplicateItem.
import type { ReturnConsumedCapacity } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { MESSAGES, pqlError } from '../partiql/messages.js';
import { type Bound, bind, conditionMet, loadSchema, projectRow } from '../partiql/run.js';
import { planConditionCheck, planDelete, planGet, planInsert, planUpdate } from '../partiql/translate.js';
import {
  checkRequest,
  type RequestShape,
  returnConsumedCapacity,
  returnValuesOnConditionCheckFailure,
} from '../validation/shape.js';
import type { Item } from '../values/types.js';
import { parameters, statementText } from './executeStatement.js';
import { transactGetItems } from './transactGetItems.js';
import { transactWriteItems } from './transactWriteItems.js';

interface ParameterizedStatement {
  Statement: string;
  Parameters?: unknown[];
  ReturnValuesOnConditionCheckFailure?: string;
}

export interface ExecuteTransactionInput {
  TransactStatements: ParameterizedStatement[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
}

const shape: RequestShape = {
  fields: {
    TransactStatements: {
      kind: 'list',
      notNull: true,
      minLength: 1,
      maxLength: 100,
      of: {
        kind: 'struct',
        name: 'ParameterizedStatement',
        fields: {
          Statement: statementText,
          Parameters: parameters,
          ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
        },
      },
    },
    ClientRequestToken: { kind: 'string', minLength: 1, maxLength: 36 },
    ReturnConsumedCapacity: returnConsumedCapacity,
  },
};

/** DynamoDB's documentation states the rule; its exact message for a mixed transaction is not recorded in our sources. */
export const MIXED_TRANSACTION = 'The entire transaction must consist of either read statements or write statements';

export function executeTransaction(ctx: EngineContext, body: unknown) {
  const data = checkRequest<ExecuteTransactionInput>(body, shape);
  const bound = data.TransactStatements.map((s) => bind(s.Statement, s.Parameters));
  const reads = bound.filter((b) => b.statement.kind === 'select').length;
  if (reads > 0 && reads < bound.length) throw validation(MIXED_TRANSACTION);
  return reads ? readTransaction(ctx, data, bound) : writeTransaction(ctx, data, bound);
}

function readTransaction(ctx: EngineContext, data: ExecuteTransactionInput, bound: Bound[]) {
  const plans = bound.map((b) => {
    const s = b.statement;
    if (s.kind !== 'select') throw validation(MIXED_TRANSACTION);
    if (s.source.index) throw pqlError(MESSAGES.transactionIndexRead);
    const schema = loadSchema(ctx, s.source.table);
    return { table: schema.name, ...planGet(schema, s, b.params, MESSAGES.transactionSelectKey) };
  });
  const input: Record<string, unknown> = {
    TransactItems: plans.map((p) => ({ Get: { TableName: p.table, Key: p.key } })),
  };
  if (data.ReturnConsumedCapacity !== undefined) input.ReturnConsumedCapacity = data.ReturnConsumedCapacity;
  const out = transactGetItems(ctx, input) as { Responses: { Item?: Item }[]; ConsumedCapacity?: unknown };
  const result: Record<string, unknown> = {
    Responses: out.Responses.map((r, i) =>
      r.Item && conditionMet(plans[i].filter, r.Item) ? { Item: projectRow(r.Item, plans[i].projection) } : {},
    ),
  };
  if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
  return result;
}

function writeTransaction(ctx: EngineContext, data: ExecuteTransactionInput, bound: Bound[]) {
  const items = bound.map((b, i) => {
    const s = b.statement;
    const onFailure = data.TransactStatements[i].ReturnValuesOnConditionCheckFailure;
    const extra = onFailure !== undefined ? { ReturnValuesOnConditionCheckFailure: onFailure } : {};
    switch (s.kind) {
      case 'insert': {
        const { ReturnValuesOnConditionCheckFailure: _, ...put } = extra;
        return { Put: { ...planInsert(loadSchema(ctx, s.table), s, b.params), ...put } };
      }
      case 'update':
        if (s.returning) throw pqlError('Unsupported clause: RETURNING');
        return { Update: { ...planUpdate(loadSchema(ctx, s.table), s, b.params), ...extra } };
      case 'delete':
        if (s.returning) throw pqlError('Unsupported clause: RETURNING');
        return { Delete: { ...planDelete(loadSchema(ctx, s.table), s, b.params), ...extra } };
      case 'exists':
        return {
          ConditionCheck: {
            ...planConditionCheck(loadSchema(ctx, s.select.source.table), s.select, b.params),
            ...extra,
          },
        };
      default:
        throw validation(MIXED_TRANSACTION);
    }
  });
  const input: Record<string, unknown> = { TransactItems: items };
  if (data.ClientRequestToken !== undefined) input.ClientRequestToken = data.ClientRequestToken;
  if (data.ReturnConsumedCapacity !== undefined) input.ReturnConsumedCapacity = data.ReturnConsumedCapacity;
  try {
    return transactWriteItems(ctx, input);
  } catch (e) {
    if (!(e instanceof DynamoDBError) || e.type !== 'TransactionCanceledException') throw e;
    const reasons = (e.extra.CancellationReasons as { Code: string; Message?: string }[]).map((r, i) =>
      bound[i].statement.kind === 'insert' && r.Code === 'ConditionalCheckFailed'
        ? { Code: 'DuplicateItem', Message: MESSAGES.duplicateItem }
        : r,
    );
    throw new DynamoDBError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      { ...e.extra, CancellationReasons: reasons },
    );
  }
}
