// DynamoDB orders strings by their UTF-8 bytes and binaries by unsigned bytes; JavaScript compares UTF-16 code
// units, which disagrees once a surrogate pair (U+10000 and above) meets a character in U+E000..U+FFFF.
import { compareNumbers } from './numbers.js';
import { type AttributeValue, typeOf } from './types.js';

/** Shifts UTF-16 code units so that their numeric order is code point (= UTF-8 byte) order. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** Compares two strings in UTF-8 byte order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Compares two base64-encoded binaries as unsigned byte strings. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/**
 * Orders two scalar values the way DynamoDB sorts keys: S by UTF-8 bytes, N numerically, B by bytes.
 * Values of different types are ordered by type name so sorting stays total; DynamoDB never compares them.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBytes(a.B, b.B);
  throw new TypeError(`compareValues is defined for S, N and B values, not ${ta}`);
}

function sameMembers(a: string[], b: string[], equal: (x: string, y: string) => boolean): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => equal(x, y)));
}

/** Deep equality with DynamoDB's semantics: numbers by value, sets unordered, lists ordered, maps by key. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && compareBytes(a.B, b.B) === 0;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameMembers(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a) return 'NS' in b && sameMembers(a.NS, b.NS, (x, y) => compareNumbers(x, y) === 0);
  if ('BS' in a) return 'BS' in b && sameMembers(a.BS, b.BS, (x, y) => compareBytes(x, y) === 0);
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i]));
  if ('M' in a) {
    if (!('M' in b)) return false;
    const ka = Object.keys(a.M);
    if (ka.length !== Object.keys(b.M).length) return false;
    return ka.every((k) => Object.hasOwn(b.M, k) && valuesEqual(a.M[k], b.M[k]));
  }
  return false;
}
