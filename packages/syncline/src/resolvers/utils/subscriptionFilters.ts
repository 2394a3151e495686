// Enhanced subscription filters: `util.transform.toSubscriptionFilter` builds them, `extensions.setSubscriptionFilter`
// and `setSubscriptionInvalidationFilter` check them against AppSync's rules before handing them to the engine.
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { isList, isMap } from './values.js';

export const SUBSCRIPTION_OPERATORS = [
  'eq',
  'ne',
  'le',
  'lt',
  'ge',
  'gt',
  'contains',
  'notContains',
  'beginsWith',
  'in',
  'notIn',
  'between',
  'containsAny',
] as const;

export type SubscriptionOperator = (typeof SUBSCRIPTION_OPERATORS)[number];

export interface SubscriptionFilterRule {
  fieldName: string;
  operator: SubscriptionOperator;
  value: unknown;
}

export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterRule[] }[];
}

/** AppSync's documentation writes `lte`/`gte` in examples and `le`/`ge` in its operator table; both are accepted. */
const ALIASES: Record<string, SubscriptionOperator> = { lte: 'le', gte: 'ge' };
const OPERATOR_SET = new Set<string>(SUBSCRIPTION_OPERATORS);

function operatorName(builtin: string, field: string, operator: string): SubscriptionOperator {
  const name = ALIASES[operator] ?? operator;
  if (!OPERATOR_SET.has(name)) throw misuse(builtin, `unknown operator '${operator}' on field '${field}'`);
  return name as SubscriptionOperator;
}

/** OR of ANDs. */
type Dnf = SubscriptionFilterRule[][];

const TRUE: Dnf = [[]];

function and(left: Dnf, right: Dnf): Dnf {
  return left.flatMap((l) => right.map((r) => [...l, ...r]));
}

/**
 * Fields of one object are ANDed, several operators on one field are ORed, `and`/`or` lists nest; the result is
 * flattened to disjunctive normal form. An `or` branch left empty by `ignoredFields` drops out instead of
 * making the whole `or` true, as AppSync's own example shows.
 */
export function toSubscriptionFilter(objFilter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter {
  const builtin = 'util.transform.toSubscriptionFilter';
  if (
    ignoredFields !== undefined &&
    ignoredFields !== null &&
    (!isList(ignoredFields) || ignoredFields.some((f) => typeof f !== 'string'))
  ) {
    throw misuse(builtin, `ignoredFields must be a list of field names, got ${describe(ignoredFields)}`);
  }
  const ignored = new Set((ignoredFields as string[] | undefined | null) ?? []);
  let dnf = toDnf(builtin, objFilter, ignored);
  if (rules !== undefined && rules !== null) {
    if (!isMap(rules)) throw misuse(builtin, `rules must be an object, got ${describe(rules)}`);
    const alternatives = Object.entries(rules).flatMap(([field, condition]) =>
      fieldAlternatives(builtin, field, condition),
    );
    if (alternatives.length) dnf = and(dnf, alternatives);
  }
  return { filterGroup: dnf.map((filters) => ({ filters })) };
}

function toDnf(builtin: string, filter: unknown, ignored: Set<string>): Dnf {
  if (!isMap(filter)) throw misuse(builtin, `a filter must be an object, got ${describe(filter)}`);
  let dnf = TRUE;
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === 'and' || key === 'or') {
      if (!isList(condition)) throw misuse(builtin, `'${key}' takes a list of filters, got ${describe(condition)}`);
      const parts = condition.map((sub) => toDnf(builtin, sub, ignored));
      if (key === 'and') {
        for (const part of parts) dnf = and(dnf, part);
      } else {
        const branches = parts.flatMap((part) => part.filter((group) => group.length > 0));
        if (branches.length) dnf = and(dnf, branches);
      }
    } else if (!ignored.has(key)) {
      const alternatives = fieldAlternatives(builtin, key, condition);
      if (alternatives.length) dnf = and(dnf, alternatives);
    }
  }
  return dnf;
}

function fieldAlternatives(builtin: string, field: string, condition: unknown): Dnf {
  if (!isMap(condition)) throw misuse(builtin, `the condition on '${field}' must be an object of operators`);
  return Object.entries(condition)
    .filter(([, value]) => value !== undefined)
    .map(([operator, value]) => [{ fieldName: field, operator: operatorName(builtin, field, operator), value }]);
}

const MAX_GROUPS = 10;
const MAX_FIELDS_PER_GROUP = 5;
const MAX_LIST = { in: 5, notIn: 5, containsAny: 20 } as Record<string, number>;
const MAX_NESTING = 5;
const MAX_STRING = 256;

/** Checks a filter as AppSync does when a resolver sets it, and returns a normalized copy. */
export function validateSubscriptionFilter(builtin: string, filter: unknown): SubscriptionFilter {
  if (!isMap(filter) || !isList(filter.filterGroup)) {
    throw misuse(builtin, `expected { filterGroup: [{ filters: [...] }] }, got ${describe(filter)}`);
  }
  const groups = filter.filterGroup;
  if (groups.length === 0) throw misuse(builtin, 'filterGroup must hold at least one filter');
  if (groups.length > MAX_GROUPS)
    throw misuse(builtin, `filterGroup holds ${groups.length} filters; the limit is ${MAX_GROUPS}`);
  return {
    filterGroup: groups.map((group, index) => {
      // An empty rule list is the AND of nothing: toSubscriptionFilter yields it when every field was ignored.
      if (!isMap(group) || !isList(group.filters))
        throw misuse(builtin, `filterGroup[${index}] must be { filters: [...] }`);
      const filters = group.filters.map((rule) => validateRule(builtin, rule));
      const fields = new Set(filters.map((f) => f.fieldName));
      if (fields.size > MAX_FIELDS_PER_GROUP) {
        throw misuse(
          builtin,
          `filterGroup[${index}] tests ${fields.size} fields; the limit is ${MAX_FIELDS_PER_GROUP}`,
        );
      }
      return { filters };
    }),
  };
}

function validateRule(builtin: string, rule: unknown): SubscriptionFilterRule {
  if (
    !isMap(rule) ||
    typeof rule.fieldName !== 'string' ||
    rule.fieldName === '' ||
    typeof rule.operator !== 'string'
  ) {
    throw misuse(builtin, `each filter rule needs fieldName, operator and value, got ${JSON.stringify(rule)}`);
  }
  const { fieldName, value } = rule;
  const operator = operatorName(builtin, fieldName, rule.operator);
  if (fieldName.split('.').length > MAX_NESTING) {
    throw misuse(builtin, `field '${fieldName}' is nested deeper than ${MAX_NESTING} levels`);
  }
  const listLimit = MAX_LIST[operator];
  if (operator === 'between') {
    if (!isList(value) || value.length !== 2) throw misuse(builtin, `'between' on '${fieldName}' takes [low, high]`);
  } else if (listLimit !== undefined) {
    if (!isList(value)) throw misuse(builtin, `'${operator}' on '${fieldName}' takes a list`);
    if (value.length > listLimit) {
      throw misuse(builtin, `'${operator}' on '${fieldName}' has ${value.length} values; the limit is ${listLimit}`);
    }
  } else if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
    throw misuse(builtin, `'${operator}' on '${fieldName}' takes a string, number or boolean`);
  }
  for (const item of isList(value) ? value : [value]) {
    if (typeof item === 'string' && item.length > MAX_STRING) {
      throw misuse(builtin, `a value for '${fieldName}' is longer than ${MAX_STRING} characters`);
    }
  }
  return { fieldName, operator, value };
}
