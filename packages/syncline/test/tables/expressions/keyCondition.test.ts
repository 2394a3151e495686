import { describe, expect, it } from 'vitest';
import { keyConditionFromKeyConditions, parseKeyCondition } from '../../../src/tables/expressions/index.js';
import type { AttributeValue } from '../../../src/tables/values/types.js';
import { ctx, N, S, validationMessage } from './helpers.js';

const keys = { partitionKey: 'pk', sortKey: 'sk' };
const values: Record<string, AttributeValue> = { ':p': S('p'), ':a': N(1), ':b': N(2) };

const key = (
  expr: string,
  k: { partitionKey: string; sortKey?: string } = keys,
  names: Record<string, string> = {},
) => {
  const used = Object.fromEntries(Object.entries(values).filter(([name]) => expr.includes(name)));
  return parseKeyCondition(expr, ctx(used, names), k);
};
const keyError = (expr: string, k: { partitionKey: string; sortKey?: string } = keys) =>
  validationMessage(() => key(expr, k));

describe('key condition expressions', () => {
  it('accepts partition equality alone or with each sort key operator', () => {
    expect(key('pk = :p')).toEqual({ partition: S('p') });
    expect(key('pk = :p AND sk = :a')).toEqual({ partition: S('p'), sort: { op: '=', values: [N(1)] } });
    for (const op of ['<', '<=', '>', '>='] as const) {
      expect(key(`pk = :p AND sk ${op} :a`).sort).toEqual({ op, values: [N(1)] });
    }
    expect(key('sk BETWEEN :a AND :b AND pk = :p')).toEqual({
      partition: S('p'),
      sort: { op: 'BETWEEN', values: [N(1), N(2)] },
    });
    expect(key('pk = :p AND begins_with(sk, :p)').sort).toEqual({ op: 'BEGINS_WITH', values: [S('p')] });
    expect(key('(pk = :p) AND (sk > :a)').sort).toEqual({ op: '>', values: [N(1)] });
    expect(key('#k = :p', { partitionKey: 'status' }, { '#k': 'status' })).toEqual({ partition: S('p') });
  });

  it('flips comparisons written value-first', () => {
    expect(key(':p = pk AND :a < sk').sort).toEqual({ op: '>', values: [N(1)] });
    expect(key('pk = :p AND :a >= sk').sort).toEqual({ op: '<=', values: [N(1)] });
  });

  it.each([
    ['pk = :p OR sk = :a', 'Invalid operator used in KeyConditionExpression: OR'],
    ['NOT pk = :p', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:p)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk <> :p', 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND attribute_exists(sk)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk = :p AND contains(sk, :a)', 'Invalid operator used in KeyConditionExpression: contains'],
    ['pk = :p AND size(sk) > :a', 'KeyConditionExpressions cannot contain nested operations'],
    [
      'pk = :p AND sk = pk',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    ['pk = :p AND :a = :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    ['pk = :p AND sk.x = :a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :p AND pk = :p', 'KeyConditionExpressions must only contain one condition per key'],
    ['sk = :a', 'Query condition missed key schema element: pk'],
    ['pk = :p AND extra = :a', 'Query condition missed key schema element: sk'],
    ['pk > :p', 'Query key condition not supported'],
    [
      'pk = :p AND begins_with(:p, sk)',
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    ],
    [
      'pk = :p AND :a BETWEEN sk AND :b',
      'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
    ],
  ])('%s → %s', (expr, message) => {
    expect(keyError(expr)).toBe(message);
  });

  it('rejects a second condition on a hash-only table', () => {
    expect(keyError('pk = :p AND sk = :a', { partitionKey: 'pk' })).toBe('Query key condition not supported');
  });

  it('prefixes parse errors with the parameter name', () => {
    expect(keyError('pk = ')).toBe('Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "= "');
    expect(validationMessage(() => parseKeyCondition('pk = :nope', ctx(), keys))).toBe(
      'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope',
    );
  });
});

describe('legacy KeyConditions', () => {
  it('converts to the same key condition', () => {
    expect(
      keyConditionFromKeyConditions(
        {
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('p')] },
          sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1), N(2)] },
        },
        keys,
      ),
    ).toEqual({ partition: S('p'), sort: { op: 'BETWEEN', values: [N(1), N(2)] } });
  });

  it('reports DynamoDB’s messages', () => {
    expect(
      validationMessage(() =>
        keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'NE', AttributeValueList: [S('p')] } }, keys),
      ),
    ).toBe('Attempted conditional constraint is not an indexable operation');
    expect(
      validationMessage(() =>
        keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'GT', AttributeValueList: [S('p')] } }, keys),
      ),
    ).toBe('Query key condition not supported');
    expect(
      validationMessage(() =>
        keyConditionFromKeyConditions({ sk: { ComparisonOperator: 'EQ', AttributeValueList: [S('p')] } }, keys),
      ),
    ).toBe('Query condition missed key schema element: pk');
    expect(
      validationMessage(() =>
        keyConditionFromKeyConditions({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [] } }, keys),
      ),
    ).toBe('One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator');
  });
});
