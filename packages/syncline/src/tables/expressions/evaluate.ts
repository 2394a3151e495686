// Evaluates conditions against an item. Comparisons between values of different types, or with a missing
// attribute, are false rather than errors — that is DynamoDB's behaviour; only `<>` is true for them.
import { compareBytes, compareStrings, valuesEqual } from '../values/compare.js';
import { compareNumbers } from '../values/numbers.js';
import { type AttributeValue, type Item, typeOf } from '../values/types.js';
import type { Condition, Operand, Path } from './ast.js';

export function getPath(item: Item, path: Path): AttributeValue | undefined {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (typeof head !== 'string' || !Object.hasOwn(item, head)) return undefined;
  let current: AttributeValue | undefined = item[head];
  for (const step of rest) {
    if (current === undefined) return undefined;
    if (typeof step === 'number') current = 'L' in current ? current.L[step] : undefined;
    else current = 'M' in current && Object.hasOwn(current.M, step) ? current.M[step] : undefined;
  }
  return current;
}

/** size(): string length, binary byte length, number of elements of a set, list or map. */
function sizeOf(v: AttributeValue | undefined): AttributeValue | undefined {
  if (v === undefined) return undefined;
  let n: number;
  if ('S' in v) n = v.S.length;
  else if ('B' in v) n = Buffer.byteLength(v.B, 'base64');
  else if ('SS' in v) n = v.SS.length;
  else if ('NS' in v) n = v.NS.length;
  else if ('BS' in v) n = v.BS.length;
  else if ('L' in v) n = v.L.length;
  else if ('M' in v) n = Object.keys(v.M).length;
  else return undefined;
  return { N: String(n) };
}

export function resolveOperand(o: Operand, item: Item): AttributeValue | undefined {
  switch (o.kind) {
    case 'value':
      return o.value;
    case 'path':
      return getPath(item, o.path);
    case 'size':
      return sizeOf(resolveOperand(o.operand, item));
  }
}

/** Orders two scalars of the same type (S, N or B); undefined when they are not comparable. */
function order(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBytes(a.B, b.B);
  return undefined;
}

function beginsWith(v: AttributeValue, prefix: AttributeValue): boolean {
  if ('S' in v && 'S' in prefix) return v.S.startsWith(prefix.S);
  if ('B' in v && 'B' in prefix) {
    const bytes = Buffer.from(v.B, 'base64');
    const p = Buffer.from(prefix.B, 'base64');
    return bytes.length >= p.length && bytes.subarray(0, p.length).equals(p);
  }
  return false;
}

function contains(v: AttributeValue, member: AttributeValue): boolean {
  if ('S' in v) return 'S' in member && v.S.includes(member.S);
  if ('B' in v) return 'B' in member && Buffer.from(v.B, 'base64').includes(Buffer.from(member.B, 'base64'));
  if ('SS' in v) return 'S' in member && v.SS.includes(member.S);
  if ('NS' in v) return 'N' in member && v.NS.some((n) => compareNumbers(n, member.N) === 0);
  if ('BS' in v) return 'B' in member && v.BS.some((b) => compareBytes(b, member.B) === 0);
  if ('L' in v) return v.L.some((e) => valuesEqual(e, member));
  return false;
}

/** Evaluates a condition; a missing item (no existing item for a conditional write) has no attributes. */
export function evaluateCondition(cond: Condition, item: Item | undefined): boolean {
  const it = item ?? {};
  switch (cond.kind) {
    case 'and':
      return evaluateCondition(cond.left, it) && evaluateCondition(cond.right, it);
    case 'or':
      return evaluateCondition(cond.left, it) || evaluateCondition(cond.right, it);
    case 'not':
      return !evaluateCondition(cond.condition, it);
    case 'attribute_exists':
      return getPath(it, cond.path) !== undefined;
    case 'attribute_not_exists':
      return getPath(it, cond.path) === undefined;
    case 'attribute_type': {
      const v = resolveOperand(cond.operand, it);
      const t = resolveOperand(cond.type, it);
      return v !== undefined && t !== undefined && 'S' in t && typeOf(v) === t.S;
    }
    case 'begins_with': {
      const v = resolveOperand(cond.operand, it);
      const p = resolveOperand(cond.prefix, it);
      return v !== undefined && p !== undefined && beginsWith(v, p);
    }
    case 'contains': {
      const v = resolveOperand(cond.operand, it);
      const m = resolveOperand(cond.member, it);
      return v !== undefined && m !== undefined && contains(v, m);
    }
    case 'in': {
      const v = resolveOperand(cond.operand, it);
      if (v === undefined) return false;
      return cond.list.some((o) => {
        const candidate = resolveOperand(o, it);
        return candidate !== undefined && valuesEqual(v, candidate);
      });
    }
    case 'between': {
      const v = resolveOperand(cond.operand, it);
      const low = resolveOperand(cond.low, it);
      const high = resolveOperand(cond.high, it);
      if (v === undefined || low === undefined || high === undefined) return false;
      const lo = order(v, low);
      const hi = order(v, high);
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'compare': {
      const a = resolveOperand(cond.left, it);
      const b = resolveOperand(cond.right, it);
      if (cond.op === '<>') return a === undefined || b === undefined || !valuesEqual(a, b);
      if (a === undefined || b === undefined) return false;
      if (cond.op === '=') return valuesEqual(a, b);
      const c = order(a, b);
      if (c === undefined) return false;
      switch (cond.op) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
    }
  }
}
