// ExecuteStatement: one PartiQL statement. A SELECT runs as a Query or a Scan (partiql/translate.ts) and pages
// with an opaque NextToken; INSERT, UPDATE and DELETE run as single-item writes and answer `Items: []`, or the
// item RETURNING asked for.

import type { ReturnConsumedCapacity } from '../capacity.js';
import type { EngineContext } from '../context.js';
import { MESSAGES, pqlError } from '../partiql/messages.js';
import {
  bind,
  conditionMet,
  decodeNextToken,
  encodeNextToken,
  loadSchema,
  mergeCapacity,
  projectRow,
  type Resume,
  runWrite,
} from '../partiql/run.js';
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
  if (s.kind !== 'select') return runWrite(ctx, s, bound.params, data);
  const schema = loadSchema(ctx, s.source.table);
  if (data.ConsistentRead && s.source.index && schema.indexes.get(s.source.index)?.global)
    throw pqlError(MESSAGES.consistentReadOnGsi);
  const index = findIndex(schema, s.source.index, data.ConsistentRead);
  const plan = planSelect(schema, index, s, bound.params);
  const common: Record<string, unknown> = {};
  if (data.ConsistentRead !== undefined) common.ConsistentRead = data.ConsistentRead;
  if (data.ReturnConsumedCapacity !== undefined) common.ReturnConsumedCapacity = data.ReturnConsumedCapacity;
  const resume =
    data.NextToken !== undefined ? decodeNextToken(data.NextToken, data.Statement, bound.params) : undefined;
  const items: Item[] = [];
  const capacity: unknown[] = [];
  let next: Resume | undefined;
  let lastKey: Item | undefined;
  const read = (run: typeof query, input: Record<string, unknown>) => {
    const page = run(ctx, input, false) as Record<string, unknown>;
    items.push(...((page.Items as Item[] | undefined) ?? []));
    if (page.ConsumedCapacity) capacity.push(page.ConsumedCapacity);
    return page as { LastEvaluatedKey?: Item; ScannedCount: number };
  };
  if (plan.action === 'Scan') {
    const input = { ...plan.input, ...common };
    if (data.Limit !== undefined) input.Limit = data.Limit;
    if (resume?.key) input.ExclusiveStartKey = resume.key;
    lastKey = read(scan, input).LastEvaluatedKey;
    if (lastKey) next = { partition: 0, key: lastKey };
  } else {
    // One Query per partition-key value; Limit counts the items evaluated across all of them.
    let remaining = data.Limit;
    for (let p = resume?.partition ?? 0; p < plan.inputs.length; p++) {
      const input = { ...plan.inputs[p], ...common };
      if (remaining !== undefined) input.Limit = remaining;
      if (resume?.key && p === resume.partition) input.ExclusiveStartKey = resume.key;
      const page = read(query, input);
      if (page.LastEvaluatedKey) {
        lastKey = page.LastEvaluatedKey;
        next = { partition: p, key: lastKey };
        break;
      }
      if (remaining !== undefined) {
        remaining -= page.ScannedCount;
        if (remaining <= 0 && p + 1 < plan.inputs.length) {
          next = { partition: p + 1 };
          break;
        }
      }
    }
  }
  const keyFilter = plan.action === 'Query' ? plan.keyFilter : undefined;
  const kept = keyFilter ? items.filter((item) => conditionMet(keyFilter, item)) : items;
  const out: Record<string, unknown> = { Items: kept.map((item) => projectRow(item, plan.projection)) };
  if (next) out.NextToken = encodeNextToken(data.Statement, bound.params, next);
  if (lastKey) out.LastEvaluatedKey = lastKey;
  if (capacity.length) out.ConsumedCapacity = mergeCapacity(capacity)[0];
  return out;
}
