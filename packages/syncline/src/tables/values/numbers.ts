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
  const d = parse(s);
  return typeof d === 'string' ? d : undefined;
}

/** The normalized text DynamoDB returns for a number: plain notation, no redundant zeros, no "-0". */
export function canonicalNumber(s: string): string {
  return format(decimal(s));
}

/** Exact numeric comparison of two valid number strings: negative, zero or positive. */
export function compareNumbers(a: string, b: string): number {
  // Stored numbers are canonical, so equal text is the common equal case and skips two Decimal parses.
  if (a === b) return 0;
  return decimal(a).comparedTo(decimal(b));
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
  const d = decimal(s);
  if (d.isZero()) return { sign: 0, exponent: 0, digits: '' };
  // toExponential gives "d.ddde±x" with every significant digit and none beyond.
  const [mantissa, exp] = d.abs().toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { sign: d.isNegative() ? -1 : 1, exponent: Number(exp) + 1, digits };
}
