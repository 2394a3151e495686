import { expect } from 'vitest';
import { DynamoDBError } from '../../../src/tables/errors.js';
import { ExpressionContext } from '../../../src/tables/expressions/index.js';
import type { AttributeValue } from '../../../src/tables/values/types.js';

export const S = (s: string): AttributeValue => ({ S: s });
export const N = (n: string | number): AttributeValue => ({ N: String(n) });

export function ctx(values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}) {
  return new ExpressionContext(
    Object.keys(names).length ? names : undefined,
    Object.keys(values).length ? values : undefined,
  );
}

/** The ValidationException message thrown by fn. */
export function validationMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DynamoDBError);
    expect((e as DynamoDBError).type).toBe('ValidationException');
    return (e as DynamoDBError).message;
  }
  throw new Error('expected a ValidationException');
}
