// DynamoDB numbers: decimal, up to 38 significant digits, magnitude 1E-130 .. 9.99…E+125 (or zero).
// Arithmetic must be exact: a Decimal clone with enough precision to hold the widest possible exact sum
// (126 + 130 integer/fraction positions plus 38 digits) so that a result needing more than 38 digits is
// reported the way DynamoDB reports it instead of being silently rounded.

import type { Decimal as DecimalClass } from 'decimal.js';
import DecimalDefault from 'decimal.js';
import { validation } from '../errors.js';

// decimal.js ships CommonJS typings for an ES module whose default export is the constructor itself.
const BaseDecimal = DecimalDefault as unknown as typeof DecimalClass;
const Decimal = BaseDecimal.clone({
  precision: 320,
  rounding: BaseDecimal.ROUND_HALF_EVEN,
  toExpNeg: -400,
  toExpPos: 400,
});
type Dec = DecimalClass;

export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

// Java's BigDecimal grammar (what DynamoDB parses with) minus whitespace, which it rejects.
const NUMBER_SYNTAX = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export const MESSAGES = {
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
  precision: 'Attempting to store more than 38 significant digits in a Number',
  empty: 'The parameter cannot be converted to a numeric value',
  invalid: (s: string) => `The parameter cannot be converted to a numeric value: ${s}`,
} as const;

function parse(s: string): Dec | string {
  if (s === '') return MESSAGES.empty;
  if (!NUMBER_SYNTAX.test(s)) return MESSAGES.invalid(s);
  const d = new Decimal(s);
  return checkRange(d) ?? d;
}

function checkRange(d: Dec): string | undefined {
  if (d.isZero()) return undefined;
  if (d.e > MAX_EXPONENT) return MESSAGES.overflow;
  if (d.e < MIN_EXPONENT) return MESSAGES.underflow;
  if (d.sd() > MAX_SIGNIFICANT_DIGITS) return MESSAGES.precision;
  return undefined;
}

function decimal(s: string): Dec {
  const d = parse(s);
  if (typeof d === 'string') throw validation(d);
  return d;
}

function format(d: Dec): string {
  return d.isZero() ? '0' : d.toFixed();
}

/** DynamoDB's message for an invalid number string, or undefined when it is a valid number. */
export function numberError(s: string): string | undefined {
  if (canonicalParts(s)) return undefined;
  const d = parse(s);
  return typeof d === 'string' ? d : undefined;
}

/** The normalized text DynamoDB returns for a number: plain notation, no redundant zeros, no "-0". */
export function canonicalNumber(s: string): string {
  if (canonicalParts(s)) return s;
  return format(decimal(s));
}

/** Exact numeric comparison of two valid number strings: negative, zero or positive. */
export function compareNumbers(a: string, b: string): number {
  // Stored numbers are canonical, so equal text is the common equal case and skips two Decimal parses.
  if (a === b) return 0;
  const x = canonicalParts(a);
  const y = canonicalParts(b);
  if (x && y) return compareParts(x, y);
  return decimal(a).comparedTo(decimal(b));
}

/** Orders two numbers by their parts (sign, exponent, then digits: 0.d₁d₂… compares as text); -1, 0 or 1. */
function compareParts(x: NumberParts, y: NumberParts): number {
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let c = Math.sign(x.exponent - y.exponent);
  if (c === 0) c = x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return c !== 0 && x.sign < 0 ? -c : c;
}

export function addNumbers(a: string, b: string): string {
  return checked(decimal(a).plus(decimal(b)));
}

export function subtractNumbers(a: string, b: string): string {
  return checked(decimal(a).minus(decimal(b)));
}

function checked(d: Dec): string {
  const err = checkRange(d);
  if (err) throw validation(err);
  return format(d);
}

/**
 * A valid number split into sign, decimal exponent and significant digits:
 * value = sign × 0.d₁d₂…dₙ × 10^exponent with d₁ ≠ 0 and dₙ ≠ 0. Zero is { sign: 0, exponent: 0, digits: '' }.
 */
export interface NumberParts {
  sign: -1 | 0 | 1;
  exponent: number;
  digits: string;
}

export function numberParts(s: string): NumberParts {
  const parts = canonicalParts(s);
  if (parts) return parts;
  const d = decimal(s);
  if (d.isZero()) return { sign: 0, exponent: 0, digits: '' };
  // toExponential gives "d.ddde±x" with every significant digit and none beyond.
  const [mantissa, exp] = d.abs().toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { sign: d.isNegative() ? -1 : 1, exponent: Number(exp) + 1, digits };
}

// The text canonicalNumber produces: no exponent, no sign on zero, no leading zeros before the point (one "0"
// before a fraction), no trailing zeros after it. Stored and returned numbers all look like this, and reading
// their parts straight from the text is some 20× cheaper than a Decimal parse.
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
const ZERO_PARTS: NumberParts = { sign: 0, exponent: 0, digits: '' };

/**
 * The parts of a number already in canonical text and within DynamoDB's range; undefined for anything else
 * (other spellings, out-of-range or over-precise values), which then takes the exact Decimal path.
 */
function canonicalParts(s: string): NumberParts | undefined {
  if (!CANONICAL.test(s)) return undefined;
  if (s === '0') return ZERO_PARTS;
  if (s === '-0') return undefined;
  const negative = s.charCodeAt(0) === 45; // '-'
  const start = negative ? 1 : 0;
  const dot = s.indexOf('.');
  let exponent: number;
  let digits: string;
  if (dot === start + 1 && s.charCodeAt(start) === 48) {
    // 0.000ddd: the leading zeros of the fraction lower the exponent; the digits end in a non-zero.
    let i = dot + 1;
    while (s.charCodeAt(i) === 48) i++;
    exponent = dot + 1 - i;
    digits = s.slice(i);
  } else {
    // ddd[.ddd]: an integer part without leading zeros; only an integer can end in (insignificant) zeros.
    exponent = (dot === -1 ? s.length : dot) - start;
    if (dot === -1) {
      let end = s.length;
      while (s.charCodeAt(end - 1) === 48) end--;
      digits = s.slice(start, end);
    } else {
      digits = s.slice(start, dot) + s.slice(dot + 1);
    }
  }
  // Decimal's exponent (of the leading digit) is one less than ours (of 0.d₁…).
  if (exponent - 1 > MAX_EXPONENT || exponent - 1 < MIN_EXPONENT || digits.length > MAX_SIGNIFICANT_DIGITS) {
    return undefined;
  }
  return { sign: negative ? -1 : 1, exponent, digits };
}
