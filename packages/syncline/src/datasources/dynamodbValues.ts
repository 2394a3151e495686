// AppSync hands resolvers DynamoDB results as plain JSON: numbers as JS numbers, sets as arrays, binary as
// base64 strings.

import { setOwn } from '../resolvers/utils/values.js';
import type { AttributeValue, Item } from '../tables/values/index.js';

export function fromAttributeValue(v: AttributeValue): unknown {
  if ('S' in v) return v.S;
  if ('N' in v) return Number(v.N);
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('M' in v) return fromItem(v.M);
  if ('L' in v) return v.L.map(fromAttributeValue);
  if ('SS' in v) return [...v.SS];
  if ('NS' in v) return v.NS.map(Number);
  if ('B' in v) return v.B;
  if ('BS' in v) return [...v.BS];
  return null;
}

export function fromItem(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) setOwn(out, k, fromAttributeValue(v));
  return out;
}

/**
 * Typed values written by resolvers may carry numbers as JSON numbers (`{ N: 12 }`), as AppSync's own docs show;
 * the DynamoDB wire format wants strings. Applied to every typed value a request object carries.
 */
export function normalizeTyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalizeTyped);
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const [type] = keys;
    if (type === 'N' && typeof v.N === 'number') return { N: String(v.N) };
    if (type === 'NS' && Array.isArray(v.NS)) return { NS: v.NS.map(String) };
    if (type === 'M' || type === 'L') return { [type]: normalizeTyped(v[type]) };
    if (type === 'S' || type === 'B' || type === 'BOOL' || type === 'NULL' || type === 'SS' || type === 'BS') return v;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) setOwn(out, k, normalizeTyped(v[k]));
  return out;
}
