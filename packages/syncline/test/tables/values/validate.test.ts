import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/tables/errors.js';
import { itemSize, valueSize } from '../../../src/tables/values/size.js';
import { validateAttributeValue, validateItem } from '../../../src/tables/values/validate.js';

function error(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DynamoDBError);
    return { type: (e as DynamoDBError).type, message: (e as DynamoDBError).message };
  }
  throw new Error('expected an error');
}

const invalid = (v: unknown) => error(() => validateAttributeValue(v)).message;

describe('validateAttributeValue', () => {
  it('accepts every type and normalizes numbers', () => {
    expect(validateAttributeValue({ N: '1.50' })).toEqual({ N: '1.5' });
    expect(validateAttributeValue({ NS: ['1.0', '2'] })).toEqual({ NS: ['1', '2'] });
    expect(validateAttributeValue({ M: { a: { L: [{ N: '-0' }, { NULL: true }, { BOOL: false }] } } })).toEqual({
      M: { a: { L: [{ N: '0' }, { NULL: true }, { BOOL: false }] } },
    });
    expect(validateAttributeValue({ S: '' })).toEqual({ S: '' });
    expect(validateAttributeValue({ B: 'AQI=' })).toEqual({ B: 'AQI=' });
  });

  it('reports an empty value, also when members are null or unknown', () => {
    const msg = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
    expect(invalid({})).toBe(msg);
    expect(invalid({ S: null })).toBe(msg);
    expect(invalid({ X: 'a' })).toBe(msg);
  });

  it('reports more than one type', () => {
    expect(invalid({ S: 'a', N: '1' })).toBe(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  });

  it('reports NULL false', () => {
    expect(invalid({ NULL: false })).toBe(
      'One or more parameter values were invalid: Null attribute value types must have the value of true',
    );
  });

  it('reports empty sets with DynamoDB’s wording', () => {
    expect(invalid({ SS: [] })).toBe('One or more parameter values were invalid: An string set  may not be empty');
    expect(invalid({ NS: [] })).toBe('One or more parameter values were invalid: An number set  may not be empty');
    expect(invalid({ BS: [] })).toBe('One or more parameter values were invalid: Binary sets should not be empty');
  });

  it('reports duplicate set members', () => {
    expect(invalid({ SS: ['a', 'a'] })).toBe(
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    );
    expect(invalid({ NS: ['1', '1.0'] })).toBe('Input collection contains duplicates');
    expect(invalid({ BS: ['AQ==', 'AQ=='] })).toBe(
      'One or more parameter values were invalid: Input collection [AQ==, AQ==]of type BS contains duplicates.',
    );
  });

  it('reports bad numbers, also nested', () => {
    expect(invalid({ N: 'x1' })).toBe('The parameter cannot be converted to a numeric value: x1');
    expect(invalid({ L: [{ N: '1e200' }] })).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    expect(invalid({ NS: ['1', '123456789012345678901234567890123456789'] })).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  it('reports wrong JSON shapes as SerializationException', () => {
    expect(error(() => validateAttributeValue({ S: 5 }))).toEqual({
      type: 'SerializationException',
      message: 'NUMBER_VALUE cannot be converted to String',
    });
    expect(error(() => validateAttributeValue({ N: 5 })).type).toBe('SerializationException');
    expect(error(() => validateAttributeValue({ B: 'abc' })).message).toBe(
      'Base64 encoded length is expected a multiple of 4 bytes but found: 3',
    );
    expect(error(() => validateAttributeValue('a')).message).toBe('Unexpected value type in payload');
  });

  it('validates whole items', () => {
    expect(validateItem({ id: { S: 'x' }, n: { N: '01' } })).toEqual({ id: { S: 'x' }, n: { N: '1' } });
    expect(error(() => validateItem({ id: { S: 'x' }, bad: {} })).type).toBe('ValidationException');
  });
});

describe('item size', () => {
  it('counts names and strings in UTF-8 bytes', () => {
    expect(itemSize({ ab: { S: 'héllo' } })).toBe(2 + 6);
    expect(itemSize({ ü: { S: '\u{1F600}' } })).toBe(2 + 4);
  });

  it('counts numbers in base-100 pairs plus an exponent byte', () => {
    expect(valueSize({ N: '0' })).toBe(1);
    expect(valueSize({ N: '1' })).toBe(2);
    expect(valueSize({ N: '10' })).toBe(2);
    expect(valueSize({ N: '123' })).toBe(3);
    expect(valueSize({ N: '1234' })).toBe(3);
    expect(valueSize({ N: '1.234' })).toBe(4);
    expect(valueSize({ N: '-1' })).toBe(3);
    expect(valueSize({ N: '12345678901234567890123456789012345678' })).toBe(20);
  });

  it('counts binaries, booleans, nulls and sets', () => {
    expect(valueSize({ B: 'AQID' })).toBe(3);
    expect(valueSize({ BOOL: true })).toBe(1);
    expect(valueSize({ NULL: true })).toBe(1);
    expect(valueSize({ SS: ['ab', 'c'] })).toBe(3);
    expect(valueSize({ NS: ['1', '10'] })).toBe(4);
  });

  it('adds 3 bytes per map or list and 1 per element', () => {
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { NULL: true }] })).toBe(3 + 1 + 2 + 1 + 1);
    expect(valueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
  });
});
