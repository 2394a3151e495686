import { conformance, invalid } from './runner.js';

conformance('DescribeTable', [
  invalid(
    'a two-character table name is a length constraint',
    { TableName: 'ab' },
    "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  ),
  invalid(
    'an empty table name is exactly one error',
    { TableName: '' },
    "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ),
  invalid(
    'a missing table name has its own sentence',
    {},
    "The parameter 'TableName' is required but was not present in the request",
  ),
  {
    name: 'an unknown table',
    input: { TableName: 'no_such_table' },
    error: 'ResourceNotFoundException',
    message: 'Requested resource not found: Table: no_such_table not found',
  },
]);
