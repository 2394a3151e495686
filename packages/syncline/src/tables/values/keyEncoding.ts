// Order-preserving byte encodings of key values: for two values of the same key type,
// Buffer.compare(encodeKey(a), encodeKey(b)) has the sign of compareValues(a, b). Storage keeps these as
// BLOB (SQLite, memcmp order) or bytea (PostgreSQL) primary keys so range scans run in DynamoDB's order.
// See docs/decisions/0002-key-encoding.md before changing anything here: stored data depends on it.
//
// S: the UTF-8 bytes (memcmp on UTF-8 is DynamoDB's string order).
// B: the raw bytes.
// N: value = sign × 0.d₁d₂…dₙ × 10^E with d₁ ≠ 0, dₙ ≠ 0 (so E ∈ [-129, 126] for DynamoDB's range):
//    zero      → 01
//    positive  → 02, E+129, digit bytes
//    negative  → 00, 255−(E+129), complemented digit bytes, FF
//    Digit bytes pack two digits per byte as nibbles (d+1); an odd count ends with a 0 nibble. As digits
//    carry no trailing zeros, a shorter digit string is a prefix-smaller number, so memcmp orders positives.
//    Negatives invert exponent and digits; the FF terminator (never produced by complementing a digit
//    byte, whose complement is ≥ 0x55) makes a longer magnitude sort first, i.e. lower.
// The S and B encodings are not self-delimiting: compare one key attribute per column, never concatenated.
import { canonicalNumber, numberParts } from './numbers.js';
import type { AttributeValue, KeyType } from './types.js';

const NEGATIVE = 0x00;
const ZERO = 0x01;
const POSITIVE = 0x02;
const TERMINATOR = 0xff;
const EXPONENT_BIAS = 129;

function unpackDigits(bytes: Buffer): string {
  let digits = '';
  for (const b of bytes) {
    digits += String.fromCharCode(47 + (b >> 4));
    if (b & 0x0f) digits += String.fromCharCode(47 + (b & 0x0f));
  }
  return digits;
}

// Written byte by byte into one buffer: every key of every request passes here.
export function encodeNumber(n: string): Buffer {
  const { sign, exponent, digits } = numberParts(n);
  if (sign === 0) return Buffer.from([ZERO]);
  const negative = sign < 0;
  const out = Buffer.allocUnsafe(2 + ((digits.length + 1) >> 1) + (negative ? 1 : 0));
  out[0] = negative ? NEGATIVE : POSITIVE;
  out[1] = negative ? 255 - (exponent + EXPONENT_BIAS) : exponent + EXPONENT_BIAS;
  let at = 2;
  for (let i = 0; i < digits.length; i += 2) {
    const hi = digits.charCodeAt(i) - 47;
    const lo = i + 1 < digits.length ? digits.charCodeAt(i + 1) - 47 : 0;
    const packed = (hi << 4) | lo;
    out[at++] = negative ? 255 - packed : packed;
  }
  if (negative) out[at] = TERMINATOR;
  return out;
}

export function decodeNumber(buf: Buffer): string {
  const tag = buf[0];
  if (tag === ZERO) return '0';
  const negative = tag === NEGATIVE;
  const exponent = (negative ? 255 - buf[1] : buf[1]) - EXPONENT_BIAS;
  const body = negative ? Buffer.from(buf.subarray(2, buf.length - 1).map((b) => 255 - b)) : buf.subarray(2);
  const digits = unpackDigits(body);
  return canonicalNumber(`${negative ? '-' : ''}0.${digits}e${exponent}`);
}

/** The order-preserving bytes of a key value (S, N or B). */
export function encodeKey(v: AttributeValue): Buffer {
  if ('S' in v) return Buffer.from(v.S, 'utf8');
  if ('N' in v) return encodeNumber(v.N);
  if ('B' in v) return Buffer.from(v.B, 'base64');
  throw new TypeError('Only S, N and B values can be key values');
}

/** Inverse of encodeKey for a known key type. */
export function decodeKey(buf: Buffer, type: KeyType): AttributeValue {
  if (type === 'S') return { S: buf.toString('utf8') };
  if (type === 'B') return { B: buf.toString('base64') };
  return { N: decodeNumber(buf) };
}
