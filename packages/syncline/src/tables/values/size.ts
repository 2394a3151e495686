// Item size as DynamoDB counts it for the 400 KB item limit, the 1 MB Query/Scan page and capacity units:
// attribute names and strings by UTF-8 length, binaries by byte length, numbers by their stored form,
// and 3 bytes plus 1 per element of overhead for maps and lists.

import { validation } from '../errors.js';
import { numberParts } from './numbers.js';
import type { AttributeValue, Item } from './types.js';
import { MAX_NESTING_LEVELS, NESTING_MESSAGE } from './validate.js';

export const MAX_ITEM_SIZE = 400 * 1024;

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * DynamoDB stores numbers in base 100 aligned on the decimal point (one byte per pair of digits), plus one
 * exponent byte and, for negatives, one terminator byte; zero takes one byte.
 */
export function numberSize(n: string): number {
  const { sign, exponent, digits } = numberParts(n);
  if (sign === 0) return 1;
  // Digit k (1-based) has place value 10^(exponent - k); pairs are the floor((exponent - k) / 2) groups.
  const first = Math.floor((exponent - 1) / 2);
  const last = Math.floor((exponent - digits.length) / 2);
  return first - last + 1 + 1 + (sign < 0 ? 1 : 0);
}

/**
 * Also the nesting check of a whole item: a value is level 1, its members level 2… An UpdateItem can assemble an
 * item deeper than any value it was given (`SET a.b.c = :deep`), and every write sizes its item.
 */
export function valueSize(v: AttributeValue, level = 1): number {
  if (level > MAX_NESTING_LEVELS) throw validation(NESTING_MESSAGE);
  if ('S' in v) return utf8Length(v.S);
  if ('N' in v) return numberSize(v.N);
  if ('B' in v) return Buffer.byteLength(v.B, 'base64');
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('SS' in v) return v.SS.reduce((sum, s) => sum + utf8Length(s), 0);
  if ('NS' in v) return v.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in v) return v.BS.reduce((sum, b) => sum + Buffer.byteLength(b, 'base64'), 0);
  if ('L' in v) return 3 + v.L.reduce((sum, e) => sum + 1 + valueSize(e, level + 1), 0);
  let sum = 3;
  for (const name in v.M) sum += 1 + utf8Length(name) + valueSize(v.M[name], level + 1);
  return sum;
}

/** The size of an item: the sum of its attribute names' and values' sizes. */
export function itemSize(item: Item): number {
  let sum = 0;
  for (const name in item) sum += utf8Length(name) + valueSize(item[name]);
  return sum;
}
