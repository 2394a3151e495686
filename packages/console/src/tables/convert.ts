// Items are edited as plain JSON (numbers, strings, objects) or as DynamoDB JSON (`{"S": "…"}`); these convert
// between the two the way @aws-sdk/util-dynamodb does for the common types.
import type { AttributeValue, Item } from './dynamodb.js';

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS']);

export function toPlain(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) {
    const n = Number(value.N);
    // Numbers beyond double precision stay strings rather than silently change.
    return Number.isFinite(n) && String(n) === value.N ? n : value.N;
  }
  if ('B' in value) return value.B;
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('M' in value) return plainItem(value.M);
  if ('L' in value) return value.L.map(toPlain);
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS.map(Number);
  if ('BS' in value) return value.BS;
  return value;
}

export const plainItem = (item: Item): Record<string, unknown> =>
  Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)]));

export function toAttribute(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (typeof value === 'object') return { M: dynamoItem(value as Record<string, unknown>) };
  throw new Error(`cannot store ${typeof value}`);
}

export const dynamoItem = (plain: Record<string, unknown>): Item =>
  Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, toAttribute(v)]));

/** True when every attribute is already an AttributeValue (`{"S": "x"}`, `{"N": "1"}`, …). */
export function isDynamoJson(value: Record<string, unknown>): boolean {
  const entries = Object.values(value);
  return (
    entries.length > 0 &&
    entries.every((v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      const keys = Object.keys(v);
      return keys.length === 1 && TYPES.has(keys[0]!);
    })
  );
}

/** An editor's text as an item: DynamoDB JSON is taken as it is, plain JSON converted. */
export function parseItem(text: string): Item {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('An item is a JSON object.');
  }
  const record = parsed as Record<string, unknown>;
  return isDynamoJson(record) ? (record as Item) : dynamoItem(record);
}

/** A key value typed as the table declares it. */
export function keyAttribute(type: 'S' | 'N' | 'B', text: string): AttributeValue {
  return type === 'N' ? { N: text.trim() } : type === 'B' ? { B: text } : { S: text };
}

export const display = (value: AttributeValue | undefined): string => {
  if (value === undefined) return '';
  const plain = toPlain(value);
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
};
