import { expect } from 'vitest';
import { type Case, conformance, invalid, TABLES } from './runner.js';

const C = TABLES.composite;
const key = { KeyConditionExpression: 'pk = :v', ExpressionAttributeValues: { ':v': { S: 'q' } } };

conformance('Query', [
  invalid(
    'Limit 0 is reported by the newer framework (no value, wire-case member)',
    { TableName: C, ...key, Limit: 0 },
    "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  ),
  invalid(
    'an unknown Select value',
    { TableName: C, ...key, Select: 'INVALID_VALUE' },
    "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
  ),
  invalid(
    'an empty KeyConditionExpression',
    { TableName: C, KeyConditionExpression: '' },
    'Invalid KeyConditionExpression: The expression can not be empty;',
  ),
  invalid(
    'a key condition without the partition key',
    { TableName: C, KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': { S: 'q' } } },
    'Query condition missed key schema element: pk',
  ),
  invalid(
    'an unused expression attribute name',
    { TableName: C, ...key, ExpressionAttributeNames: { '#unused': 'x' } },
    'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}',
  ),
]);

const legacy = (filter: Record<string, unknown>) => ({
  TableName: C,
  KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'qf' }] } },
  QueryFilter: filter,
});
const seeded: Case['before'] = [
  ['PutItem', { TableName: C, Item: { pk: { S: 'qf' }, sk: { S: '1' }, l: { L: [{ N: '1' }] }, b: { BOOL: true } } }],
  ['PutItem', { TableName: C, Item: { pk: { S: 'qf' }, sk: { S: '2' }, l: { L: [] }, b: { BOOL: false } } }],
];
const sks = (out: any) => out.Items.map((i: any) => i.sk.S);

conformance('Query', [
  {
    name: 'QueryFilter EQ with a list value',
    before: seeded,
    input: legacy({ l: { ComparisonOperator: 'EQ', AttributeValueList: [{ L: [{ N: '1' }] }] } }),
    output: (out) => expect(sks(out)).toEqual(['1']),
  },
  {
    name: 'QueryFilter NE with a BOOL value',
    before: seeded,
    input: legacy({ b: { ComparisonOperator: 'NE', AttributeValueList: [{ BOOL: true }] } }),
    output: (out) => expect(sks(out)).toEqual(['2']),
  },
  {
    name: 'QueryFilter EQ with a map value',
    before: seeded,
    input: legacy({ m: { ComparisonOperator: 'EQ', AttributeValueList: [{ M: {} }] } }),
    output: (out) => expect(out.Count).toBe(0),
  },
  invalid(
    'QueryFilter GT with a BOOL value is refused',
    legacy({ b: { ComparisonOperator: 'GT', AttributeValueList: [{ BOOL: true }] } }),
    'One or more parameter values were invalid: ComparisonOperator GT is not valid for BOOL AttributeValue type',
  ),
  invalid(
    'ExclusiveStartKey on a table keyed by its partition key alone',
    {
      TableName: TABLES.hash,
      KeyConditionExpression: 'pk = :v',
      ExpressionAttributeValues: { ':v': { S: 'q' } },
      ExclusiveStartKey: { pk: { S: 'q' } },
    },
    'The query can return at most one row and cannot be restarted',
  ),
  invalid(
    'ConditionalOperator with a single QueryFilter condition',
    { ...legacy({ b: { ComparisonOperator: 'NOT_NULL' } }), ConditionalOperator: 'AND' },
    'ConditionalOperator can only be used when Filter or Expected has two or more elements',
  ),
  invalid(
    'Select ALL_ATTRIBUTES on an index that does not project every attribute',
    {
      TableName: TABLES.numeric,
      IndexName: 'byG',
      Select: 'ALL_ATTRIBUTES',
      KeyConditionExpression: 'g = :v',
      ExpressionAttributeValues: { ':v': { S: 'q' } },
    },
    'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byG because its projection type is not ALL',
  ),
  invalid(
    'a consistent read on a global secondary index',
    {
      TableName: TABLES.numeric,
      IndexName: 'byG',
      ConsistentRead: true,
      KeyConditionExpression: 'g = :v',
      ExpressionAttributeValues: { ':v': { S: 'q' } },
    },
    'Consistent reads are not supported on global secondary indexes',
  ),
]);
