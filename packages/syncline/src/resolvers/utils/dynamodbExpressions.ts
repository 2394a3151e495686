// The filter-object syntax of `@aws-appsync/utils/dynamodb` and `util.transform` ({ status: { eq: 'x' },
// and: [...], or: [...], not: {...} }) turned into DynamoDB expressions with #name and :value placeholders.
import { type AttributeMap, isSet, toDynamoDB } from './dynamodbValues.js';
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { isList, isMap, type JsonMap } from './values.js';

export interface DynamoDBExpression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: AttributeMap;
}

/** Hands out placeholders; the same attribute name keeps one placeholder, values each get their own. */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: AttributeMap = {};

  name(attribute: string): string {
    const base = `#${placeholderSafe(attribute)}`;
    let placeholder = base;
    for (let n = 1; placeholder in this.names && this.names[placeholder] !== attribute; n += 1) {
      placeholder = `${base}_${n}`;
    }
    this.names[placeholder] = attribute;
    return placeholder;
  }

  value(label: string, value: unknown): string {
    const base = `:${placeholderSafe(label)}`;
    let placeholder = base;
    for (let n = 1; placeholder in this.values; n += 1) placeholder = `${base}_${n}`;
    this.values[placeholder] = toDynamoDB(value);
    return placeholder;
  }

  /** Empty maps are left out: DynamoDB rejects an empty ExpressionAttributeValues. */
  build(expression: string): DynamoDBExpression {
    const out: DynamoDBExpression = { expression };
    if (Object.keys(this.names).length) out.expressionNames = this.names;
    if (Object.keys(this.values).length) out.expressionValues = this.values;
    return out;
  }
}

/** Placeholders may only hold letters, digits and underscores. */
function placeholderSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_') || '_';
}

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Condition and filter expressions: keys of one object are ANDed, as are several operators on one field. */
export function filterExpression(builtin: string, filter: unknown): DynamoDBExpression {
  const builder = new ExpressionBuilder();
  return builder.build(conjunction(builtin, filter, builder));
}

function conjunction(builtin: string, filter: unknown, builder: ExpressionBuilder): string {
  if (!isMap(filter)) throw misuse(builtin, `a filter must be an object, got ${describe(filter)}`);
  const parts: string[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!isList(condition)) throw misuse(builtin, `'${key}' takes a list of filters, got ${describe(condition)}`);
      const terms = condition.map((f) => conjunction(builtin, f, builder)).filter(Boolean);
      if (terms.length) parts.push(terms.length === 1 ? terms[0] : `(${terms.join(` ${key.toUpperCase()} `)})`);
    } else if (key === 'not') {
      const inner = isList(condition)
        ? condition
            .map((f) => conjunction(builtin, f, builder))
            .filter(Boolean)
            .join(' AND ')
        : conjunction(builtin, condition, builder);
      if (inner) parts.push(`(NOT ${inner})`);
    } else {
      if (!isMap(condition)) throw misuse(builtin, `the condition on '${key}' must be an object of operators`);
      for (const [operator, operand] of Object.entries(condition)) {
        if (operand === undefined) continue;
        parts.push(`(${fieldCondition(builtin, key, operator, operand, builder)})`);
      }
    }
  }
  return parts.join(' AND ');
}

function fieldCondition(
  builtin: string,
  field: string,
  operator: string,
  operand: unknown,
  builder: ExpressionBuilder,
  subject = builder.name(field),
  label = field,
): string {
  const value = (suffix = operator) => builder.value(`${label}_${suffix}`, operand);
  switch (operator) {
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return `${subject} ${COMPARATORS[operator]} ${value()}`;
    case 'contains':
      return `contains(${subject},${value()})`;
    case 'notContains':
      return `NOT contains(${subject},${value()})`;
    case 'beginsWith':
      return `begins_with(${subject},${value()})`;
    case 'attributeType':
      return `attribute_type(${subject},${value()})`;
    case 'attributeExists':
      return operand ? `attribute_exists(${subject})` : `attribute_not_exists(${subject})`;
    case 'between': {
      const [low, high] = pair(builtin, field, operand);
      return `${subject} BETWEEN ${builder.value(`${label}_between_0`, low)} AND ${builder.value(`${label}_between_1`, high)}`;
    }
    case 'in': {
      if (!isList(operand) || operand.length === 0) throw misuse(builtin, `'in' on '${field}' takes a non-empty list`);
      const names = operand.map((v, i) => builder.value(`${label}_in_${i}`, v));
      return `${subject} IN (${names.join(',')})`;
    }
    case 'size': {
      if (!isMap(operand)) throw misuse(builtin, `'size' on '${field}' takes an object of comparisons`);
      const sized = `size(${subject})`;
      const terms = Object.entries(operand)
        .filter(([, v]) => v !== undefined)
        .map(([op, v]) => {
          if (!(op in COMPARATORS) && op !== 'between') throw misuse(builtin, `'size' does not take '${op}'`);
          return fieldCondition(builtin, field, op, v, builder, sized, `${label}_size`);
        });
      return terms.join(' AND ');
    }
    default:
      throw misuse(builtin, `unknown filter operator '${operator}' on '${field}'`);
  }
}

function pair(builtin: string, field: string, operand: unknown): [unknown, unknown] {
  if (!isList(operand) || operand.length !== 2) throw misuse(builtin, `'between' on '${field}' takes [low, high]`);
  return [operand[0], operand[1]];
}

const KEY_OPERATORS = new Set(['eq', 'lt', 'le', 'gt', 'ge', 'between', 'beginsWith']);

/** Query key conditions: an equality on the partition key and at most one comparison on the sort key. */
export function keyConditionExpression(builtin: string, query: unknown): DynamoDBExpression {
  if (!isMap(query)) throw misuse(builtin, `query must be an object of key conditions, got ${describe(query)}`);
  const builder = new ExpressionBuilder();
  const parts: string[] = [];
  for (const [key, condition] of Object.entries(query)) {
    if (condition === undefined) continue;
    if (!isMap(condition)) throw misuse(builtin, `the key condition on '${key}' must be an object of operators`);
    for (const [operator, operand] of Object.entries(condition)) {
      if (operand === undefined) continue;
      if (!KEY_OPERATORS.has(operator)) throw misuse(builtin, `'${operator}' is not allowed in a key condition`);
      parts.push(fieldCondition(builtin, key, operator, operand, builder));
    }
  }
  if (!parts.length) throw misuse(builtin, 'query needs at least a partition key condition');
  return builder.build(parts.join(' AND '));
}

/** A projection given as a list of attribute names. */
export function projectionExpression(builtin: string, fields: unknown): DynamoDBExpression {
  if (!isList(fields) || fields.some((f) => typeof f !== 'string')) {
    throw misuse(builtin, `projection must be a list of attribute names, got ${describe(fields)}`);
  }
  const builder = new ExpressionBuilder();
  const expression = (fields as string[]).map((f) => builder.name(f)).join(',');
  return { expression, expressionNames: builder.names };
}

/** Values the update builder treats as instructions rather than data; made by `operations`. */
const OPERATION = Symbol('syncline.dynamodbOperation');

export type UpdateOperation =
  | {
      readonly [OPERATION]: 'add' | 'replace' | 'increment' | 'decrement' | 'append' | 'prepend';
      readonly value: unknown;
    }
  | { readonly [OPERATION]: 'remove' }
  | { readonly [OPERATION]: 'updateListItem'; readonly value: unknown; readonly index: number };

function isOperation(value: unknown): value is UpdateOperation {
  return typeof value === 'object' && value !== null && OPERATION in value;
}

function numberOperand(builtin: string, amount: unknown): number {
  if (amount === undefined) return 1;
  if (typeof amount !== 'number' || !Number.isFinite(amount))
    throw misuse(builtin, `expected a number, got ${describe(amount)}`);
  return amount;
}

export const operations = {
  add: (value: unknown): UpdateOperation => ({ [OPERATION]: 'add', value }),
  remove: (): UpdateOperation => ({ [OPERATION]: 'remove' }),
  replace: (value: unknown): UpdateOperation => ({ [OPERATION]: 'replace', value }),
  increment: (amount?: number): UpdateOperation => ({
    [OPERATION]: 'increment',
    value: numberOperand('operations.increment', amount),
  }),
  decrement: (amount?: number): UpdateOperation => ({
    [OPERATION]: 'decrement',
    value: numberOperand('operations.decrement', amount),
  }),
  append: (value: unknown): UpdateOperation => ({ [OPERATION]: 'append', value: isList(value) ? value : [value] }),
  prepend: (value: unknown): UpdateOperation => ({ [OPERATION]: 'prepend', value: isList(value) ? value : [value] }),
  updateListItem: (value: unknown, index: number): UpdateOperation => {
    if (!Number.isInteger(index) || index < 0) {
      throw misuse('operations.updateListItem', `index must be a non-negative integer, got ${describe(index)}`);
    }
    return { [OPERATION]: 'updateListItem', value, index };
  },
};

/**
 * The update expression for `update({ key, update })`. Plain values are SET; a plain nested object updates
 * the keys it names inside the stored map (use `operations.replace` to overwrite the whole map); key attributes
 * are left out because DynamoDB refuses to update them.
 */
export function updateExpression(builtin: string, update: unknown, key: JsonMap): DynamoDBExpression {
  if (!isMap(update)) throw misuse(builtin, `update must be an object, got ${describe(update)}`);
  const builder = new ExpressionBuilder();
  const clauses = { SET: [] as string[], REMOVE: [] as string[], ADD: [] as string[] };
  const visit = (map: JsonMap, path: string[]) => {
    for (const [attribute, value] of Object.entries(map)) {
      if (value === undefined || (path.length === 0 && attribute in key)) continue;
      const segments = [...path, attribute];
      if (isMap(value) && !isOperation(value) && !isSet(value)) {
        visit(value, segments);
        continue;
      }
      const target = segments.map((s) => builder.name(s)).join('.');
      const label = segments.join('_');
      updateAction(value, target, label, segments.length === 1, builder, clauses);
    }
  };
  visit(update, []);
  const expression = (['SET', 'REMOVE', 'ADD'] as const)
    .filter((clause) => clauses[clause].length)
    .map((clause) => `${clause} ${clauses[clause].join(', ')}`)
    .join(' ');
  if (!expression) throw misuse(builtin, 'update has nothing to change');
  return builder.build(expression);
}

function updateAction(
  value: unknown,
  target: string,
  label: string,
  topLevel: boolean,
  builder: ExpressionBuilder,
  clauses: Record<'SET' | 'REMOVE' | 'ADD', string[]>,
): void {
  if (!isOperation(value)) {
    clauses.SET.push(`${target} = ${builder.value(label, value)}`);
    return;
  }
  switch (value[OPERATION]) {
    case 'remove':
      clauses.REMOVE.push(target);
      return;
    case 'replace':
      clauses.SET.push(`${target} = ${builder.value(label, value.value)}`);
      return;
    case 'add':
      clauses.ADD.push(`${target} ${builder.value(label, value.value)}`);
      return;
    case 'increment':
    case 'decrement': {
      const amount = value[OPERATION] === 'increment' ? (value.value as number) : -(value.value as number);
      // ADD counts a missing attribute as 0, but only works on top-level attributes.
      if (topLevel) clauses.ADD.push(`${target} ${builder.value(label, amount)}`);
      else clauses.SET.push(`${target} = ${target} + ${builder.value(label, amount)}`);
      return;
    }
    case 'append':
      clauses.SET.push(`${target} = list_append(${target}, ${builder.value(label, value.value)})`);
      return;
    case 'prepend':
      clauses.SET.push(`${target} = list_append(${builder.value(label, value.value)}, ${target})`);
      return;
    case 'updateListItem':
      clauses.SET.push(`${target}[${value.index}] = ${builder.value(`${label}_${value.index}`, value.value)}`);
      return;
  }
}
