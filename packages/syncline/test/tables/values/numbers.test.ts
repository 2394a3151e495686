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

  it('splits numbers into sign, exponent and digits', () => {
    expect(numberParts('123.45')).toEqual({ sign: 1, exponent: 3, digits: '12345' });
    expect(numberParts('-0.001')).toEqual({ sign: -1, exponent: -2, digits: '1' });
    expect(numberParts('1000')).toEqual({ sign: 1, exponent: 4, digits: '1' });
    expect(numberParts('0')).toEqual({ sign: 0, exponent: 0, digits: '' });
  });
});
