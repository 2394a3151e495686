// ExecuteStatement: one PartiQL statement. A SELECT runs as a Query or a Scan (partiql/translate.ts) and pages
// with an opaque NextToken; INSERT, UPDATE and DELETE run as single-item writes and answer `Items: []`, or the
// item RETURNING asked for.

import type { ReturnConsumedCapacity } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { MESSAGES, pqlError } from '../partiql/messages.js';
import { bind, decodeNextToken, encodeNextToken, loadSchema, projectRow, runWrite } from '../partiql/run.js';
import { planSelect } from '../partiql/translate.js';
import { findIndex } from '../readPage.js';
import {
  attributeValue,
  bool,
  checkRequest,
  type RequestShape,
  returnConsumedCapacity,
  returnValuesOnConditionCheckFailure,
} from '../validation/shape.js';
import type { Item } from '../values/types.js';
import { query } from './query.js';
import { scan } from './scan.js';

export interface ExecuteStatementInput {
  Statement: string;
  Parameters?: unknown[];
  ConsistentRead?: boolean;
  NextToken?: string;
  ReturnConsumedCapacity?: ReturnConsumedCapacity;
  Limit?: number;
  ReturnValuesOnConditionCheckFailure?: string;
}

export const statementText = { kind: 'string', notNull: true, minLength: 1, maxLength: 8192 } as const;
export const parameters = { kind: 'list', minLength: 1, of: attributeValue } as const;

const shape: RequestShape = {
  fields: {
    Statement: statementText,
    Parameters: parameters,
    ConsistentRead: bool,
    NextToken: { kind: 'string', minLength: 1, maxLength: 32768 },
    ReturnConsumedCapacity: returnConsumedCapacity,
    Limit: { kind: 'integer', min: 1 },
    ReturnValuesOnConditionCheckFailure: returnValuesOnConditionCheckFailure,
  },
};

export function executeStatement(ctx: EngineContext, body: unknown) {
  const data = checkRequest<ExecuteStatementInput>(body, shape);
  const bound = bind(data.Statement, data.Parameters);
  const s = bound.statement;
  if (s.kind === 'exists') throw pqlError(MESSAGES.existsOutsideTransaction);
  if (s.kind !== 'select') return runWrite(ctx, bound, data);
  const schema = loadSchema(ctx, s.source.table);
  if (data.ConsistentRead && s.source.index && schema.indexes.get(s.source.index)?.global)
    throw pqlError(MESSAGES.consistentReadOnGsi);
  const index = findIndex(schema, s.source.index, data.ConsistentRead);
  const plan = planSelect(schema, index, s, bound.params);
  const input: Record<string, unknown> = { ...plan.input };
  if (data.ConsistentRead !== undefined) input.ConsistentRead = data.ConsistentRead;
  if (data.ReturnConsumedCapacity !== undefined) input.ReturnConsumedCapacity = data.ReturnConsumedCapacity;
  if (data.Limit !== undefined) input.Limit = data.Limit;
  if (data.NextToken !== undefined)
    input.ExclusiveStartKey = decodeNextToken(data.NextToken, data.Statement, bound.params);
  const page = (plan.action === 'Query' ? query : scan)(ctx, input, false) as Record<string, unknown>;
  const out: Record<string, unknown> = {
    Items: ((page.Items as Item[] | undefined) ?? []).map((item) => projectRow(item, plan.projection)),
  };
  const last = page.LastEvaluatedKey as Item | undefined;
  if (last) {
    out.NextToken = encodeNextToken(data.Statement, bound.params, last);
    out.LastEvaluatedKey = last;
  }
  if (page.ConsumedCapacity) out.ConsumedCapacity = page.ConsumedCapacity;
  return out;
}
