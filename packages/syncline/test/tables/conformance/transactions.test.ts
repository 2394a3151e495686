import { expect } from 'vitest';
import { conformance, invalid, send, TABLES } from './runner.js';

const T = TABLES.hash;
const cancelled = (codes: string[]) =>
  `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`;
const reasons = (codes: string[]) => (e: any) =>
  expect(e.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(codes);

conformance('TransactGetItems', [
  {
    name: 'an empty Key cancels with a ValidationError reason',
    input: { TransactItems: [{ Get: { TableName: T, Key: {} } }] },
    error: 'TransactionCanceledException',
    message: cancelled(['ValidationError']),
    output: reasons(['ValidationError']),
  },
  {
    name: 'a key of the wrong type among good ones',
    input: {
      TransactItems: [
        { Get: { TableName: T, Key: { pk: { S: 'a' } } } },
        { Get: { TableName: T, Key: { pk: { N: '1' } } } },
      ],
    },
    error: 'TransactionCanceledException',
    message: cancelled(['None', 'ValidationError']),
    output: reasons(['None', 'ValidationError']),
  },
  invalid(
    'an empty TransactItems list',
    { TransactItems: [] },
    "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ),
  {
    name: 'an unknown table',
    input: { TransactItems: [{ Get: { TableName: 'no_such_table', Key: { pk: { S: 'a' } } } }] },
    error: 'ResourceNotFoundException',
    message: 'Requested resource not found',
  },
  invalid(
    'a projection syntax error',
    { TransactItems: [{ Get: { TableName: T, Key: { pk: { S: 'a' } }, ProjectionExpression: '!!' } }] },
    'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
  ),
]);

conformance('TransactWriteItems', [
  {
    name: 'a Put whose key has the wrong type cancels with a ValidationError reason',
    input: { TransactItems: [{ Put: { TableName: T, Item: { pk: { N: '1' } } } }] },
    error: 'TransactionCanceledException',
    message: cancelled(['ValidationError']),
    output: reasons(['ValidationError']),
  },
  {
    name: 'a Delete, Update and ConditionCheck with bad keys, next to a good Put that is not written',
    input: {
      TransactItems: [
        { Put: { TableName: T, Item: { pk: { S: 'tw-good' } } } },
        { Delete: { TableName: T, Key: { pk: { N: '1' } } } },
        {
          Update: {
            TableName: T,
            Key: {},
            UpdateExpression: 'SET a = :a',
            ExpressionAttributeValues: { ':a': { S: 'x' } },
          },
        },
        { ConditionCheck: { TableName: T, Key: { pk: { B: 'AA==' } }, ConditionExpression: 'attribute_exists(a)' } },
      ],
    },
    error: 'TransactionCanceledException',
    message: cancelled(['None', 'ValidationError', 'ValidationError', 'ValidationError']),
    output: async (e, h) => {
      reasons(['None', 'ValidationError', 'ValidationError', 'ValidationError'])(e);
      expect((await send(h, 'GetItem', { TableName: T, Key: { pk: { S: 'tw-good' } } })).Item).toBeUndefined();
    },
  },
  {
    name: 'a failed condition is ConditionalCheckFailed, the others None',
    input: {
      TransactItems: [
        { Put: { TableName: T, Item: { pk: { S: 'tw-1' } } } },
        {
          ConditionCheck: {
            TableName: T,
            Key: { pk: { S: 'tw-absent' } },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    },
    error: 'TransactionCanceledException',
    message: cancelled(['None', 'ConditionalCheckFailed']),
  },
  invalid(
    'two operations on one item',
    {
      TransactItems: [
        { Put: { TableName: T, Item: { pk: { S: 'same' } } } },
        { Delete: { TableName: T, Key: { pk: { S: 'same' } } } },
      ],
    },
    'Transaction request cannot include multiple operations on one item',
  ),
  invalid(
    'items adding up past 4 MB',
    {
      TransactItems: Array.from({ length: 12 }, (_, i) => ({
        Put: { TableName: T, Item: { pk: { S: `big-${i}` }, payload: { S: 'x'.repeat(350_000) } } },
      })),
    },
    'Transaction request cannot include items whose aggregate size exceeds 4 MB',
  ),
  {
    name: 'items just under 4 MB are written',
    input: {
      TransactItems: Array.from({ length: 10 }, (_, i) => ({
        Put: { TableName: T, Item: { pk: { S: `near-${i}` }, payload: { S: 'x'.repeat(350_000) } } },
      })),
    },
  },
  invalid(
    'an empty TransactItems list',
    { TransactItems: [] },
    "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ),
]);
