// DynamoDB's AttributeValue as it travels on the JSON wire. Binary values stay base64 strings so that
// items round-trip through storage and the protocol without re-encoding; helpers decode when bytes matter.

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type Item = Record<string, AttributeValue>;

/** The types a key attribute (table, index or key condition) may have. */
export type KeyType = 'S' | 'N' | 'B';

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

/** The single type key of a (validated) value. */
export function typeOf(v: AttributeValue): AttributeType {
  for (const k in v) return k as AttributeType;
  throw new TypeError('empty AttributeValue');
}
