import { expect } from 'vitest';
import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;

conformance('BatchGetItem', [
  invalid(
    'empty RequestItems has its own sentence',
    { RequestItems: {} },
    'The requestItems parameter is required for BatchGetItem',
  ),
  invalid(
    'missing RequestItems has the same sentence, ahead of other constraints',
    { ReturnConsumedCapacity: 'hi' },
    'The requestItems parameter is required for BatchGetItem',
  ),
  invalid(
    'more than 100 keys names the member in the wire case, without its value',
    { RequestItems: { [T]: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: { S: `k${i}` } })) } } },
    `1 validation error detected: Value at 'RequestItems.${T}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`,
  ),
  invalid(
    'an empty Keys list',
    { RequestItems: { [T]: { Keys: [] } } },
    `1 validation error detected: Value at 'RequestItems.${T}.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1`,
  ),
  invalid(
    'a malformed table name quotes the map as JSON',
    { RequestItems: { 'bad!name': { Keys: [{ pk: { S: 'a' } }] } } },
    `1 validation error detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]`,
  ),
  invalid(
    'duplicate keys',
    { RequestItems: { [T]: { Keys: [{ pk: { S: 'd' } }, { pk: { S: 'd' } }] } } },
    'Provided list of item keys contains duplicates',
  ),
  {
    name: 'an unknown table',
    input: { RequestItems: { no_such_table: { Keys: [{ pk: { S: 'a' } }] } } },
    error: 'ResourceNotFoundException',
    message: 'Requested resource not found',
  },
  {
    name: 'reads what was written, with empty UnprocessedKeys',
    before: [['PutItem', { TableName: T, Item: { pk: { S: 'bg1' }, v: { N: '1' } } }]],
    input: { RequestItems: { [T]: { Keys: [{ pk: { S: 'bg1' } }, { pk: { S: 'bg-missing' } }] } } },
    output: (out) => {
      expect(out.Responses[T]).toEqual([{ pk: { S: 'bg1' }, v: { N: '1' } }]);
      expect(out.UnprocessedKeys).toEqual({});
    },
  },
]);
