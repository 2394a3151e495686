// EventBridge event patterns, as Lambda's FilterCriteria applies them to stream records.
// A pattern mirrors the event's shape: a nested object descends, an array lists the accepted values of a leaf
// (any one matches; against an array in the event, any element matching is enough). A leaf entry is a literal
// (exact match: strings and numbers compared as written, so "300" is not "300.0") or an operator:
// prefix, suffix, equals-ignore-case, wildcard, anything-but (value, list, prefix or suffix), numeric and exists.
// `"$or": [pattern, …]` at any level matches when one of its patterns matches at that level (the other fields of
// the level must match too). Numeric comparisons also accept numeric strings, since DynamoDB numbers travel as
// strings ({"N": "42"}).

export type EventPattern = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function numericMatch(spec: unknown[], value: unknown): boolean {
  const n = toNumber(value);
  if (n === undefined) return false;
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const bound = Number(spec[i + 1]);
    const ok =
      spec[i] === '='
        ? n === bound
        : spec[i] === '<'
          ? n < bound
          : spec[i] === '<='
            ? n <= bound
            : spec[i] === '>'
              ? n > bound
              : spec[i] === '>='
                ? n >= bound
                : false;
    if (!ok) return false;
  }
  return true;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

function prefixMatch(spec: unknown, value: string): boolean {
  if (typeof spec === 'string') return value.startsWith(spec);
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string') {
    return value.toLowerCase().startsWith(spec['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function suffixMatch(spec: unknown, value: string): boolean {
  if (typeof spec === 'string') return value.endsWith(spec);
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string') {
    return value.toLowerCase().endsWith(spec['equals-ignore-case'].toLowerCase());
  }
  return false;
}

/** One leaf rule against one scalar event value (present). */
function ruleMatches(rule: unknown, value: unknown): boolean {
  if (!isObject(rule)) return rule === value;
  if ('prefix' in rule) return typeof value === 'string' && prefixMatch(rule.prefix, value);
  if ('suffix' in rule) return typeof value === 'string' && suffixMatch(rule.suffix, value);
  if ('equals-ignore-case' in rule) {
    return typeof value === 'string' && String(rule['equals-ignore-case']).toLowerCase() === value.toLowerCase();
  }
  if ('wildcard' in rule) return typeof value === 'string' && wildcardMatch(String(rule.wildcard), value);
  if ('numeric' in rule) return Array.isArray(rule.numeric) && numericMatch(rule.numeric, value);
  if ('anything-but' in rule) {
    const but = rule['anything-but'];
    if (Array.isArray(but)) return !but.includes(value);
    if (isObject(but)) {
      if ('prefix' in but) return typeof value === 'string' && !prefixMatch(but.prefix, value);
      if ('suffix' in but) return typeof value === 'string' && !suffixMatch(but.suffix, value);
      return false;
    }
    return but !== value;
  }
  return false;
}

function leafMatches(rules: unknown[], value: unknown, present: boolean): boolean {
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === true ? present : !present;
    if (!present) return false;
    if (Array.isArray(value)) return value.some((v) => ruleMatches(rule, v));
    if (isObject(value)) return false;
    return ruleMatches(rule, value);
  });
}

/** Whether `event` matches one pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([name, expected]) => {
    if (name === '$or') {
      return (
        Array.isArray(expected) &&
        expected.some((alternative) => isObject(alternative) && matchesPattern(alternative, event))
      );
    }
    const present = Object.hasOwn(fields, name);
    const value = fields[name];
    if (Array.isArray(expected)) return leafMatches(expected, value, present);
    if (isObject(expected)) {
      // A nested pattern under a missing field still matches when all it asks is absence.
      return matchesPattern(expected, present ? value : undefined);
    }
    return false;
  });
}

/** Lambda's FilterCriteria: a record passes when any pattern matches (no patterns: everything passes). */
export function matchesAnyPattern(patterns: readonly EventPattern[], event: unknown): boolean {
  return patterns.length === 0 || patterns.some((p) => matchesPattern(p, event));
}
