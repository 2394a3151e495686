import { expect } from 'vitest';
import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;
const get = (extra: Record<string, unknown>) => ({ TableName: T, Key: { pk: { S: 'g' } }, ...extra });

conformance('GetItem', [
  {
    name: 'an unknown table',
    input: { TableName: 'no_such_table', Key: { pk: { S: 'a' } } },
    error: 'ResourceNotFoundException',
    message: 'Requested resource not found',
  },
  invalid(
    'a key with an extra attribute',
    get({ Key: { pk: { S: 'a' }, b: { S: 'x' } } }),
    'The provided key element does not match the schema',
  ),
  invalid(
    'a projection syntax error',
    get({ ProjectionExpression: '!!' }),
    'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
  ),
  {
    name: 'a projection 32 levels deep is allowed',
    input: get({ ProjectionExpression: Array.from({ length: 32 }, () => 'a').join('.') }),
    output: (out) => expect(out.Item).toBeUndefined(),
  },
  invalid(
    'a projection 33 levels deep',
    get({ ProjectionExpression: Array.from({ length: 33 }, () => 'a').join('.') }),
    'Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33',
  ),
  invalid(
    'a huge list index',
    get({ ProjectionExpression: 'a[99999999999999]' }),
    'Invalid ProjectionExpression: List index is not within the allowable range; index: [99999999999999]',
  ),
  invalid(
    'the largest Java int plus one',
    get({ ProjectionExpression: 'a[2147483648]' }),
    'Invalid ProjectionExpression: List index is not within the allowable range; index: [2147483648]',
  ),
  {
    name: 'the largest Java int is a valid index',
    input: get({ ProjectionExpression: 'a[2147483647]' }),
  },
  invalid(
    'duplicate paths',
    get({ ProjectionExpression: 'a, a' }),
    'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
  ),
  invalid(
    'overlapping paths',
    get({ ProjectionExpression: 'a, a.b' }),
    'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
  ),
]);
