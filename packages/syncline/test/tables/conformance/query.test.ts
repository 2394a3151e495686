import { conformance, invalid, TABLES } from './runner.js';

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
