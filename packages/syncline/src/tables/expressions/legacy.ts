// The pre-expression request parameters (Expected, QueryFilter/ScanFilter, KeyConditions, AttributeUpdates,
// AttributesToGet) converted to the same ASTs as expressions, with their own DynamoDB validation messages.
import { validation } from '../errors.js';
import { compareValues } from '../values/compare.js';
import { type AttributeValue, typeOf } from '../values/types.js';
import { validateAttributeValue } from '../values/validate.js';
import type { Condition, KeyCondition, KeyConditionOp, Path, UpdateAction } from './ast.js';
import { type KeyAttributeCondition, type KeySchemaNames, keyConditionFromParts } from './parser.js';

export type ComparisonOperator =
  | 'EQ'
  | 'NE'
  | 'LE'
  | 'LT'
  | 'GE'
  | 'GT'
  | 'NOT_NULL'
  | 'NULL'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'BEGINS_WITH'
  | 'IN'
  | 'BETWEEN';

export interface ExpectedAttributeValue {
  Value?: AttributeValue;
  Exists?: boolean;
  ComparisonOperator?: ComparisonOperator;
  AttributeValueList?: AttributeValue[];
}

export interface LegacyCondition {
  ComparisonOperator: ComparisonOperator;
  AttributeValueList?: AttributeValue[];
}

export interface AttributeValueUpdate {
  Action?: 'PUT' | 'ADD' | 'DELETE';
  Value?: AttributeValue;
}

export type ConditionalOperator = 'AND' | 'OR';

const INVALID = 'One or more parameter values were invalid: ';

/** How many values each operator takes: an exact count, or [min, max]. */
const ARITY: Record<ComparisonOperator, number | [number, number]> = {
  NULL: 0,
  NOT_NULL: 0,
  EQ: 1,
  NE: 1,
  LE: 1,
  LT: 1,
  GE: 1,
  GT: 1,
  CONTAINS: 1,
  NOT_CONTAINS: 1,
  BEGINS_WITH: 1,
  IN: [1, Number.POSITIVE_INFINITY],
  BETWEEN: 2,
};

// EQ and NE take every type, lists and maps included (the API reference's Condition page); the others only
// scalars, BEGINS_WITH only strings and binaries.
const ALLOWED_TYPES: Partial<Record<ComparisonOperator, string[]>> = {
  LE: ['S', 'N', 'B'],
  LT: ['S', 'N', 'B'],
  GE: ['S', 'N', 'B'],
  GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'],
  NOT_CONTAINS: ['S', 'N', 'B'],
  BEGINS_WITH: ['S', 'B'],
  IN: ['S', 'N', 'B'],
  BETWEEN: ['S', 'N', 'B'],
};

function arityMatches(op: ComparisonOperator, count: number): boolean {
  const arity = ARITY[op];
  return typeof arity === 'number' ? count === arity : count >= arity[0] && count <= arity[1];
}

function checkBetween(values: AttributeValue[]): void {
  if (values.length === 2 && compareValues(values[0], values[1]) > 0) {
    throw validation(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  }
}

function checkSameType(values: AttributeValue[]): void {
  if (values.some((v) => typeOf(v) !== typeOf(values[0]))) {
    throw validation(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
}

/** Arity, one type, a type the operator takes, and an ordered BETWEEN range — as DynamoDB checks them. */
function checkOperatorValues(op: ComparisonOperator, values: AttributeValue[]): void {
  if (!arityMatches(op, values.length)) {
    throw validation(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  }
  if (values.length) checkSameType(values);
  const allowed = ALLOWED_TYPES[op];
  if (allowed) {
    for (const v of values) {
      if (!allowed.includes(typeOf(v))) {
        throw validation(`${INVALID}ComparisonOperator ${op} is not valid for ${typeOf(v)} AttributeValue type`);
      }
    }
  }
  if (op === 'BETWEEN') checkBetween(values);
}

/** The condition for one attribute under a legacy comparison operator. */
function comparison(name: string, op: ComparisonOperator, values: AttributeValue[]): Condition {
  const path = { kind: 'path' as const, path: [name] };
  const v = (i: number) => ({ kind: 'value' as const, value: values[i] });
  switch (op) {
    case 'EQ':
      return { kind: 'compare', op: '=', left: path, right: v(0) };
    case 'NE':
      return { kind: 'compare', op: '<>', left: path, right: v(0) };
    case 'LE':
      return { kind: 'compare', op: '<=', left: path, right: v(0) };
    case 'LT':
      return { kind: 'compare', op: '<', left: path, right: v(0) };
    case 'GE':
      return { kind: 'compare', op: '>=', left: path, right: v(0) };
    case 'GT':
      return { kind: 'compare', op: '>', left: path, right: v(0) };
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path: [name] };
    case 'NULL':
      return { kind: 'attribute_not_exists', path: [name] };
    case 'CONTAINS':
      return { kind: 'contains', operand: path, member: v(0) };
    case 'NOT_CONTAINS':
      return { kind: 'not', condition: { kind: 'contains', operand: path, member: v(0) } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', operand: path, prefix: v(0) };
    case 'IN':
      return { kind: 'in', operand: path, list: values.map((_, i) => v(i)) };
    case 'BETWEEN':
      return { kind: 'between', operand: path, low: v(0), high: v(1) };
  }
}

/**
 * Joins conditions into a balanced tree: a request may name any number of attributes in Expected or a filter,
 * and the evaluator recurses once per level, so a chain as long as the request would exhaust the stack.
 */
function combine(conditions: Condition[], op: ConditionalOperator | undefined): Condition | undefined {
  if (conditions.length === 0) return undefined;
  let level = conditions;
  while (level.length > 1) {
    const next: Condition[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const [left, right] = [level[i], level[i + 1]];
      if (right === undefined) next.push(left);
      else next.push(op === 'OR' ? { kind: 'or', left, right } : { kind: 'and', left, right });
    }
    level = next;
  }
  return level[0];
}

const validateValues = (values: AttributeValue[] | undefined) => (values ?? []).map((v) => validateAttributeValue(v));

/** Expected + ConditionalOperator (PutItem, UpdateItem, DeleteItem). Undefined when there is nothing to check. */
export function conditionFromExpected(
  expected: Record<string, ExpectedAttributeValue> | undefined,
  conditionalOperator?: ConditionalOperator,
): Condition | undefined {
  const conditions: Condition[] = [];
  for (const [name, c] of Object.entries(expected ?? {})) {
    if (c.AttributeValueList !== undefined && c.Value !== undefined) {
      throw validation(`${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    }
    if (c.ComparisonOperator !== undefined) {
      const op = c.ComparisonOperator;
      if (c.Exists !== undefined) {
        throw validation(`${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      }
      if (op !== 'NULL' && op !== 'NOT_NULL' && c.AttributeValueList === undefined && c.Value === undefined) {
        throw validation(
          `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`,
        );
      }
      const values = validateValues(c.AttributeValueList ?? (c.Value !== undefined ? [c.Value] : []));
      checkOperatorValues(op, values);
      conditions.push(comparison(name, op, values));
    } else if (c.AttributeValueList !== undefined) {
      throw validation(
        `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`,
      );
    } else {
      const exists = c.Exists ?? true;
      if (exists && c.Value === undefined) {
        throw validation(
          `${INVALID}Value must be provided when Exists is ${c.Exists ?? 'null'} for Attribute: ${name}`,
        );
      }
      if (!exists && c.Value !== undefined) {
        throw validation(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
      }
      conditions.push(
        exists
          ? comparison(name, 'EQ', [validateAttributeValue(c.Value)])
          : { kind: 'attribute_not_exists', path: [name] },
      );
    }
  }
  return combine(conditions, conditionalOperator);
}

function checkedLegacyConditions(conditions: Record<string, LegacyCondition>): Map<string, AttributeValue[]> {
  const checked = new Map<string, AttributeValue[]>();
  for (const [name, c] of Object.entries(conditions)) {
    const op = c.ComparisonOperator;
    const values = validateValues(c.AttributeValueList);
    checkOperatorValues(op, values);
    checked.set(name, values);
  }
  return checked;
}

/** QueryFilter / ScanFilter + ConditionalOperator. Undefined when the filter is empty. */
export function conditionFromFilter(
  filter: Record<string, LegacyCondition> | undefined,
  conditionalOperator?: ConditionalOperator,
): Condition | undefined {
  if (!filter) return undefined;
  const checked = checkedLegacyConditions(filter);
  const conditions = [...checked].map(([name, values]) => comparison(name, filter[name].ComparisonOperator, values));
  return combine(conditions, conditionalOperator);
}

const KEY_OPS: Partial<Record<ComparisonOperator, KeyConditionOp>> = {
  EQ: '=',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  BETWEEN: 'BETWEEN',
  BEGINS_WITH: 'BEGINS_WITH',
};

/** Query's KeyConditions. */
export function keyConditionFromKeyConditions(
  keyConditions: Record<string, LegacyCondition>,
  keys: KeySchemaNames,
): KeyCondition {
  const checked = checkedLegacyConditions(keyConditions);
  const parts = new Map<string, KeyAttributeCondition>();
  for (const [name, values] of checked) {
    const op = KEY_OPS[keyConditions[name].ComparisonOperator];
    if (!op) {
      if (name === keys.partitionKey || name === keys.sortKey) {
        throw validation('Attempted conditional constraint is not an indexable operation');
      }
      parts.set(name, { op: '=', values });
      continue;
    }
    parts.set(name, { op, values });
  }
  return keyConditionFromParts(parts, keys);
}

/** UpdateItem's AttributeUpdates. */
export function updateFromAttributeUpdates(updates: Record<string, AttributeValueUpdate> | undefined): UpdateAction[] {
  const actions: UpdateAction[] = [];
  for (const [name, u] of Object.entries(updates ?? {})) {
    const action = u.Action ?? 'PUT';
    const path: Path = [name];
    if (u.Value === undefined) {
      if (action !== 'DELETE')
        throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      actions.push({ action: 'REMOVE', path });
      continue;
    }
    const value = validateAttributeValue(u.Value);
    const type = typeOf(value);
    if (action === 'DELETE') {
      if (type !== 'SS' && type !== 'NS' && type !== 'BS') {
        throw validation(`${INVALID}DELETE action with value is not supported for the type ${type}`);
      }
      actions.push({ action: 'DELETE', path, value, legacy: true });
    } else if (action === 'ADD') {
      if (!['L', 'SS', 'NS', 'BS', 'N'].includes(type)) {
        throw validation(`${INVALID}ADD action is not supported for the type ${type}`);
      }
      actions.push({ action: 'ADD', path, value, legacy: true });
    } else {
      actions.push({ action: 'SET', path, value: { kind: 'value', value } });
    }
  }
  return actions;
}

/** AttributesToGet. */
export function projectionFromAttributesToGet(names: string[]): Path[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw validation(`${INVALID}Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return names.map((name) => [name]);
}
