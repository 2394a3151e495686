import { expect } from 'vitest';
import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;
const C = TABLES.composite;

conformance('DeleteItem', [
  {
    name: 'an unknown table',
    input: { TableName: 'no_such_table', Key: { pk: { S: 'a' } } },
    error: 'ResourceNotFoundException',
    message: 'Requested resource not found',
  },
  invalid(
    'a key missing its sort key',
    { TableName: C, Key: { pk: { S: 'a' } } },
    'The provided key element does not match the schema',
  ),
  invalid(
    'a key of the wrong type',
    { TableName: T, Key: { pk: { N: '1' } } },
    'The provided key element does not match the schema',
  ),
  invalid(
    'ReturnValues ALL_NEW',
    { TableName: T, Key: { pk: { S: 'a' } }, ReturnValues: 'ALL_NEW' },
    'ReturnValues can only be ALL_OLD or NONE',
  ),
  {
    name: 'ALL_OLD returns the deleted item',
    before: [['PutItem', { TableName: T, Item: { pk: { S: 'del' }, v: { N: '1' } } }]],
    input: { TableName: T, Key: { pk: { S: 'del' } }, ReturnValues: 'ALL_OLD' },
    output: (out) => expect(out.Attributes).toEqual({ pk: { S: 'del' }, v: { N: '1' } }),
  },
  {
    name: 'deleting a missing item succeeds without attributes',
    input: { TableName: T, Key: { pk: { S: 'del-missing' } }, ReturnValues: 'ALL_OLD' },
    output: (out) => expect(out.Attributes).toBeUndefined(),
  },
  {
    name: 'a failed condition returns the item with ReturnValuesOnConditionCheckFailure',
    before: [['PutItem', { TableName: T, Item: { pk: { S: 'del-cond' }, v: { N: '1' } } }]],
    input: {
      TableName: T,
      Key: { pk: { S: 'del-cond' } },
      ConditionExpression: 'v = :two',
      ExpressionAttributeValues: { ':two': { N: '2' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
    error: 'ConditionalCheckFailedException',
    message: 'The conditional request failed',
    output: (e) => expect(e.Item).toEqual({ pk: { S: 'del-cond' }, v: { N: '1' } }),
  },
]);
