import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/tables/errors.js';
import {
  addNumbers,
  canonicalNumber,
  compareNumbers,
  numberError,
  numberParts,
  subtractNumbers,
} from '../../../src/tables/values/numbers.js';

/** An out-of-range number written without exponent, as a client might send it. */
function canonicalNumberText(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]?\d+))?$/i.exec(s);
  if (!m?.[4]) return s;
  const [, sign, int, frac = '', exp] = m;
  const e = Number(exp);
  const all = int + frac;
  const point = int.length + e;
  if (point >= all.length) return `${sign}${all}${'0'.repeat(point - all.length)}`;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${all}`;
  return `${sign}${all.slice(0, point)}.${all.slice(point)}`;
}

function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DynamoDBError);
    expect((e as DynamoDBError).type).toBe('ValidationException');
    return (e as DynamoDBError).message;
  }
  throw new Error('expected a ValidationException');
}

describe('DynamoDB numbers', () => {
  it.each([
    ['1.50', '1.5'],
    ['-0', '0'],
    ['0.000', '0'],
    ['+7', '7'],
    ['007', '7'],
    ['1E+2', '100'],
    ['1.5e-3', '0.0015'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-12.3400', '-12.34'],
  ])('canonicalizes %s to %s', (input, expected) => {
    expect(canonicalNumber(input)).toBe(expected);
  });

  it('keeps 38 significant digits exactly and refuses a 39th', () => {
    expect(canonicalNumber('12345678901234567890123456789012345678')).toBe('12345678901234567890123456789012345678');
    expect(numberError('123456789012345678901234567890123456789')).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
    // trailing zeros are not significant
    expect(numberError('123456789012345678901234567890123456780000')).toBeUndefined();
  });

  it('adds without float rounding', () => {
    expect(addNumbers('12345678901234567890123456789012345678', '1')).toBe('12345678901234567890123456789012345679');
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(subtractNumbers('1', '1.000')).toBe('0');
    expect(subtractNumbers('-5', '2.5')).toBe('-7.5');
  });

  it('reports an arithmetic result that needs more than 38 digits', () => {
    expect(thrownMessage(() => addNumbers('12345678901234567890123456789012345678', '0.1'))).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
    expect(thrownMessage(() => addNumbers('1E125', '1E-130'))).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  it('reports overflow and underflow', () => {
    expect(numberError('1E126')).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    expect(numberError('9.9999999999999999999999999999999999999E+125')).toBeUndefined();
    expect(numberError('1E-130')).toBeUndefined();
    expect(numberError('1E-131')).toBe(
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    );
    expect(thrownMessage(() => addNumbers('9.9999999999999999999999999999999999999E+125', '1E+125'))).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });

  it.each(['abc', 'NaN', 'Infinity', ' 1', '1 ', '1e', '--1', '0x10', '1,5'])('rejects %j', (s) => {
    expect(numberError(s)).toBe(`The parameter cannot be converted to a numeric value: ${s}`);
  });

  it('rejects the empty string with the bare message', () => {
    expect(numberError('')).toBe('The parameter cannot be converted to a numeric value');
  });

  it('compares exactly', () => {
    expect(compareNumbers('12345678901234567890123456789012345678', '12345678901234567890123456789012345677')).toBe(1);
    expect(compareNumbers('1.0', '1')).toBe(0);
    expect(compareNumbers('-1', '0.5')).toBe(-1);
    expect(compareNumbers('1E-130', '0')).toBe(1);
  });

  it('reads canonical text exactly as the Decimal path does', () => {
    // A fixed-seed generator: the same numbers every run.
    let seed = 42;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const digits = (n: number) => Array.from({ length: n }, () => String(next(10))).join('');
    const samples = ['0', '1', '-1', '0.5', '1E125', '9.9999999999999999999999999999999999999E+125', '1E126', '1E-130'];
    samples.push('1E-131', '12345678901234567890123456789012345678', '123456789012345678901234567890123456789');
    for (let i = 0; i < 400; i++) {
      const sign = next(2) ? '-' : '';
      samples.push(
        `${sign}${next(9) + 1}${digits(next(45))}`,
        `${sign}${next(9) + 1}${digits(next(20))}.${digits(next(25))}${next(9) + 1}`,
      );
      samples.push(`${sign}0.${'0'.repeat(next(140))}${next(9) + 1}${digits(next(40))}${next(9) + 1}`);
      samples.push(`${sign}${next(9) + 1}${'0'.repeat(next(130))}`);
    }
    // Canonical spellings of every sample (the slow path writes them), then each compared with a spelling
    // ("e0" appended) that only the Decimal path accepts.
    const canonical = samples.filter((s) => numberError(s) === undefined).map(canonicalNumber);
    const rejected = samples.filter((s) => numberError(s) !== undefined);
    expect(canonical.length).toBeGreaterThan(1000);
    expect(rejected.length).toBeGreaterThan(50);
    for (const s of canonical) {
      expect(canonicalNumber(`${s}e0`)).toBe(s);
      expect(numberParts(s)).toEqual(numberParts(`${s}e0`));
    }
    for (const s of rejected) expect(numberError(canonicalNumberText(s))).toBe(numberError(s));
    for (let i = 0; i + 1 < canonical.length; i++) {
      const [a, b] = [canonical[i], canonical[i + 1]];
      expect(compareNumbers(a, b)).toBe(compareNumbers(`${a}e0`, b));
      expect(compareNumbers(b, a)).toBe(-compareNumbers(a, b) || 0);
    }
  });

  it('splits numbers into sign, exponent and digits', () => {
    expect(numberParts('123.45')).toEqual({ sign: 1, exponent: 3, digits: '12345' });
    expect(numberParts('-0.001')).toEqual({ sign: -1, exponent: -2, digits: '1' });
    expect(numberParts('1000')).toEqual({ sign: 1, exponent: 4, digits: '1' });
    expect(numberParts('0')).toEqual({ sign: 0, exponent: 0, digits: '' });
  });
});
