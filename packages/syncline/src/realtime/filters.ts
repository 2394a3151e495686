// AppSync's subscription filters, compiled once at subscribe time into plain predicates so that matching a
// published mutation result costs a few property reads. Two kinds exist and never combine: argument filtering
// (strict equality of the subscription's arguments against top-level fields) and enhanced filters
// (`extensions.setSubscriptionFilter`), which replace argument filtering once a resolver sets them. Invalidation
// filters use the enhanced syntax.

/** A compiled filter: does this published value (the mutation's result object) match? */
export type Matcher = (value: Record<string, unknown>) => boolean;

/** AppSync's enhanced-filter operators (case-sensitive). */
export const FILTER_OPERATORS = [
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

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface FilterRule {
  fieldName: string;
  operator: FilterOperator;
  value: unknown;
}

export interface FilterJson {
  filterGroup: { filters: FilterRule[] }[];
}

/** A filter object AppSync would refuse; the message says which rule and which limit. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export const FILTER_LIMITS = {
  /** OR: filters per filterGroup, counting each `in` value as its own filter. */
  filters: 10,
  /** AND: unique field names per filter. */
  fieldsPerFilter: 5,
  inValues: 5,
  containsAnyValues: 20,
  stringLength: 256,
  /** Dotted field names deeper than this are ignored, as AppSync does. */
  depth: 5,
} as const;

const OPERATORS = new Set<string>(FILTER_OPERATORS);

type Scalar = string | number | boolean | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOrderable = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function checkString(v: unknown, where: string) {
  if (typeof v === 'string' && v.length > FILTER_LIMITS.stringLength) {
    throw new FilterError(`${where}: strings in filters are limited to ${FILTER_LIMITS.stringLength} characters`);
  }
}

function checkValue(rule: FilterRule, where: string): void {
  const { operator, value } = rule;
  const scalarList = (max: number | undefined, min = 1) => {
    if (!Array.isArray(value) || value.length < min) {
      throw new FilterError(
        `${where}: operator ${operator} needs a list of ${min === 2 ? 'two' : 'one or more'} values`,
      );
    }
    if (max !== undefined && value.length > max) {
      throw new FilterError(`${where}: operator ${operator} accepts at most ${max} values, got ${value.length}`);
    }
    for (const v of value) {
      if (!isOrderable(v))
        throw new FilterError(`${where}: operator ${operator} accepts only numbers and strings in its list`);
      checkString(v, where);
    }
  };
  switch (operator) {
    case 'eq':
    case 'ne':
      if (value !== null && typeof value !== 'boolean' && !isOrderable(value)) {
        throw new FilterError(`${where}: operator ${operator} compares with a number, string, boolean or null`);
      }
      break;
    case 'le':
    case 'lt':
    case 'ge':
    case 'gt':
    case 'contains':
    case 'notContains':
      if (!isOrderable(value))
        throw new FilterError(`${where}: operator ${operator} compares with a number or a string`);
      break;
    case 'beginsWith':
      if (typeof value !== 'string') throw new FilterError(`${where}: operator beginsWith compares with a string`);
      break;
    case 'in':
    case 'notIn':
      scalarList(FILTER_LIMITS.inValues);
      break;
    case 'containsAny':
      scalarList(FILTER_LIMITS.containsAnyValues);
      break;
    case 'between':
      scalarList(2, 2);
      if ((value as unknown[]).length !== 2 || typeof (value as unknown[])[0] !== typeof (value as unknown[])[1]) {
        throw new FilterError(`${where}: operator between needs exactly two values of the same type`);
      }
      break;
  }
  checkString(value, where);
}

// Published values are plain objects: only own properties are fields (`constructor` is not Object).
const own = (v: Record<string, unknown>, key: string): unknown => (Object.hasOwn(v, key) ? v[key] : undefined);

function read(value: Record<string, unknown>, path: string[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (!isObject(v)) return undefined;
    v = own(v, key);
  }
  return v;
}

function ruleMatcher(rule: FilterRule): Matcher {
  const path = rule.fieldName.split('.');
  const get =
    path.length === 1 ? (v: Record<string, unknown>) => own(v, path[0]) : (v: Record<string, unknown>) => read(v, path);
  const want = rule.value;
  switch (rule.operator) {
    case 'eq':
      return (v) => (get(v) ?? null) === want;
    case 'ne':
      return (v) => (get(v) ?? null) !== want;
    case 'lt':
      return (v) => {
        const have = get(v);
        return typeof have === typeof want && (have as Scalar)! < (want as Scalar)!;
      };
    case 'le':
      return (v) => {
        const have = get(v);
        return typeof have === typeof want && (have as Scalar)! <= (want as Scalar)!;
      };
    case 'gt':
      return (v) => {
        const have = get(v);
        return typeof have === typeof want && (have as Scalar)! > (want as Scalar)!;
      };
    case 'ge':
      return (v) => {
        const have = get(v);
        return typeof have === typeof want && (have as Scalar)! >= (want as Scalar)!;
      };
    case 'contains':
      return (v) => contains(get(v), want);
    case 'notContains':
      return (v) => !contains(get(v), want);
    case 'beginsWith':
      return (v) => {
        const have = get(v);
        return typeof have === 'string' && have.startsWith(want as string);
      };
    case 'in': {
      const set = new Set(want as unknown[]);
      return (v) => set.has(get(v));
    }
    case 'notIn': {
      const set = new Set(want as unknown[]);
      return (v) => !set.has(get(v));
    }
    case 'between': {
      const [lo, hi] = want as [string | number, string | number];
      return (v) => {
        const have = get(v);
        return typeof have === typeof lo && (have as string | number) >= lo && (have as string | number) <= hi;
      };
    }
    case 'containsAny': {
      const set = new Set(want as unknown[]);
      return (v) => {
        const have = get(v);
        return Array.isArray(have) ? have.some((x) => set.has(x)) : set.has(have);
      };
    }
  }
}

// A list field contains an element; a string field contains a substring.
function contains(have: unknown, want: unknown): boolean {
  if (Array.isArray(have)) return have.includes(want);
  return typeof have === 'string' && typeof want === 'string' && have.includes(want);
}

/**
 * Validates a filterJsonObject against AppSync's operators and limits and compiles it. `filters` inside one
 * group are ANDed; the groups of `filterGroup` are ORed.
 */
export function compileFilter(json: unknown): Matcher {
  if (!isObject(json) || !Array.isArray(json.filterGroup)) {
    throw new FilterError('a subscription filter must be an object with a filterGroup list');
  }
  if (json.filterGroup.length === 0) throw new FilterError('filterGroup must hold at least one filter');
  let expanded = 0;
  const groups: Matcher[] = json.filterGroup.map((group, g) => {
    const where = `filterGroup[${g}]`;
    // An empty rules list is the AND of nothing (toSubscriptionFilter yields it when every field was ignored).
    if (!isObject(group) || !Array.isArray(group.filters)) {
      throw new FilterError(`${where}: each filter must be an object with a filters list`);
    }
    const fields = new Set<string>();
    let product = 1;
    const rules: Matcher[] = [];
    group.filters.forEach((rule: unknown, r: number) => {
      const at = `${where}.filters[${r}]`;
      if (!isObject(rule) || typeof rule.fieldName !== 'string' || rule.fieldName === '') {
        throw new FilterError(`${at}: a rule needs a fieldName string`);
      }
      if (typeof rule.operator !== 'string' || !OPERATORS.has(rule.operator)) {
        throw new FilterError(
          `${at}: unknown operator ${JSON.stringify(rule.operator)}; expected one of ${[...OPERATORS].join(', ')}`,
        );
      }
      if (!('value' in rule)) throw new FilterError(`${at}: a rule needs a value`);
      const typed = rule as unknown as FilterRule;
      checkValue(typed, at);
      fields.add(typed.fieldName);
      if (typed.operator === 'in') product *= (typed.value as unknown[]).length;
      if (typed.fieldName.split('.').length > FILTER_LIMITS.depth) return;
      rules.push(ruleMatcher(typed));
    });
    if (fields.size > FILTER_LIMITS.fieldsPerFilter) {
      throw new FilterError(
        `${where}: a filter may test at most ${FILTER_LIMITS.fieldsPerFilter} unique fields, got ${fields.size}`,
      );
    }
    expanded += product;
    return and(rules);
  });
  if (expanded > FILTER_LIMITS.filters) {
    throw new FilterError(
      `filterGroup may hold at most ${FILTER_LIMITS.filters} filters, got ${expanded} (each value of an in operator counts as one filter)`,
    );
  }
  return groups.length === 1 ? groups[0] : (v) => groups.some((m) => m(v));
}

function and(rules: Matcher[]): Matcher {
  if (rules.length === 0) return () => true;
  if (rules.length === 1) return rules[0];
  return (v) => rules.every((m) => m(v));
}

/**
 * Argument filtering: every supplied argument must equal the same-named top-level field; an omitted argument
 * matches anything, an explicit null only null (a field the mutation did not select reads as null).
 */
export function argumentMatcher(args: Record<string, unknown>): Matcher {
  const entries = Object.entries(args);
  if (entries.length === 0) return () => true;
  return (v) => {
    for (const [key, want] of entries) {
      if (!sameValue(own(v, key) ?? null, want)) return false;
    }
    return true;
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

export const matchAll: Matcher = () => true;
