// Enhanced subscription filters: `util.transform.toSubscriptionFilter` builds them, `extensions.setSubscriptionFilter`
// and `setSubscriptionInvalidationFilter` check them against AppSync's rules before handing them to the engine.
import {
  compileFilter,
  FILTER_OPERATORS,
  FilterError,
  type FilterJson,
  type FilterOperator,
  type FilterRule,
} from '../../realtime/filters.js';
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { isList, isMap } from './values.js';

// One definition of the filter format and its limits: the realtime engine's, which also matches with it.
export type SubscriptionOperator = FilterOperator;
export type SubscriptionFilterRule = FilterRule;
export type SubscriptionFilter = FilterJson;

/** AppSync's documentation writes `lte`/`gte` in examples and `le`/`ge` in its operator table; both are accepted. */
const ALIASES: Record<string, SubscriptionOperator> = { lte: 'le', gte: 'ge' };
const OPERATOR_SET = new Set<string>(FILTER_OPERATORS);

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

/**
 * Checks a filter as AppSync does when a resolver sets it (operators and every limit, by compiling it with the
 * realtime engine's filter compiler) and returns a copy with `lte`/`gte` spelled `le`/`ge`.
 */
export function validateSubscriptionFilter(builtin: string, filter: unknown): SubscriptionFilter {
  if (!isMap(filter) || !isList(filter.filterGroup)) {
    throw misuse(builtin, `expected { filterGroup: [{ filters: [...] }] }, got ${describe(filter)}`);
  }
  const normalized = {
    filterGroup: filter.filterGroup.map((group, index) => {
      if (!isMap(group) || !isList(group.filters)) {
        throw misuse(builtin, `filterGroup[${index}] must be { filters: [...] }`);
      }
      return {
        filters: group.filters.map((rule) => {
          if (!isMap(rule) || typeof rule.fieldName !== 'string' || typeof rule.operator !== 'string') {
            throw misuse(builtin, `each filter rule needs fieldName, operator and value, got ${JSON.stringify(rule)}`);
          }
          return {
            fieldName: rule.fieldName,
            operator: operatorName(builtin, rule.fieldName, rule.operator),
            value: rule.value,
          };
        }),
      };
    }),
  };
  try {
    compileFilter(normalized);
  } catch (error) {
    if (error instanceof FilterError) throw misuse(builtin, error.message);
    throw error;
  }
  return normalized;
}
