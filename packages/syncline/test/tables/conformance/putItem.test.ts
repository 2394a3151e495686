import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;

conformance('PutItem', [
  invalid(
    'a missing table name',
    { Item: { pk: { S: 'a' } } },
    "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
  ),
  invalid(
    'an empty table name is exactly one error',
    { TableName: '', Item: { pk: { S: 'a' } } },
    "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1",
  ),
  invalid(
    'a two-character table name',
    { TableName: 'ab', Item: { pk: { S: 'a' } } },
    "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  ),
  invalid(
    'a 256-character table name',
    { TableName: 'a'.repeat(256), Item: { pk: { S: 'a' } } },
    `1 validation error detected: Value '${'a'.repeat(256)}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255`,
  ),
  invalid(
    'a table name with forbidden characters',
    { TableName: 'bad table!@#', Item: { pk: { S: 'a' } } },
    "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
  ),
  invalid(
    'an empty string set',
    { TableName: T, Item: { pk: { S: 'a' }, s: { SS: [] } } },
    'One or more parameter values were invalid: An string set  may not be empty',
  ),
  invalid(
    'an empty number set',
    { TableName: T, Item: { pk: { S: 'a' }, s: { NS: [] } } },
    'One or more parameter values were invalid: An number set  may not be empty',
  ),
  invalid(
    'a string set with duplicates',
    { TableName: T, Item: { pk: { S: 'a' }, s: { SS: ['a', 'a'] } } },
    'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
  ),
  invalid(
    'NULL false',
    { TableName: T, Item: { pk: { S: 'a' }, n: { NULL: false } } },
    'One or more parameter values were invalid: Null attribute value types must have the value of true',
  ),
  invalid(
    'Expected with ConditionExpression',
    {
      TableName: T,
      Item: { pk: { S: 'a' } },
      Expected: { a: { Exists: false } },
      ConditionExpression: 'attribute_exists(a)',
    },
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
  ),
  invalid(
    'ExpressionAttributeValues without an expression',
    { TableName: T, Item: { pk: { S: 'a' } }, ExpressionAttributeValues: { ':a': { S: 'a' } } },
    'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
  ),
  invalid(
    '39 significant digits',
    { TableName: T, Item: { pk: { S: 'a' }, n: { N: '123456789012345678901234567890123456789' } } },
    'Attempting to store more than 38 significant digits in a Number',
  ),
  invalid(
    'a GSI partition key value over 2048 bytes',
    { TableName: TABLES.numeric, Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x'.repeat(2049) } } },
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
  ),
  {
    name: 'a GSI partition key value of exactly 2048 bytes',
    input: { TableName: TABLES.numeric, Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'é'.repeat(1024) } } },
  },
  invalid(
    'a table partition key over 2048 bytes',
    { TableName: T, Item: { pk: { S: 'é'.repeat(1025) } } },
    'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
  ),
  invalid(
    'a sort key over 1024 bytes',
    { TableName: TABLES.composite, Item: { pk: { S: 'a' }, sk: { S: 'x'.repeat(1025) } } },
    'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
  ),
  invalid(
    'an empty attribute name',
    { TableName: T, Item: { pk: { S: 'a' }, '': { S: 'x' } } },
    'Empty attribute name',
  ),
  invalid(
    'an attribute name over 65535 bytes',
    { TableName: T, Item: { pk: { S: 'a' }, ['é'.repeat(32768)]: { S: 'x' } } },
    'Attribute name is too large, must be less than 65536 bytes',
  ),
  {
    name: 'a map inside an item may have an empty key',
    input: { TableName: T, Item: { pk: { S: 'emptykey' }, m: { M: { '': { S: 'x' } } } } },
  },
  invalid(
    'ConditionalOperator without Expected',
    { TableName: T, Item: { pk: { S: 'a' } }, ConditionalOperator: 'AND' },
    'ConditionalOperator cannot be used without Filter or Expected',
  ),
  invalid(
    'ConditionalOperator with a single Expected condition',
    { TableName: T, Item: { pk: { S: 'a' } }, ConditionalOperator: 'OR', Expected: { a: { Exists: false } } },
    'ConditionalOperator can only be used when Filter or Expected has two or more elements',
  ),
  invalid(
    'ConditionalOperator with an empty Expected',
    { TableName: T, Item: { pk: { S: 'a' } }, ConditionalOperator: 'OR', Expected: {} },
    'ConditionalOperator can only be used when Filter or Expected has two or more elements',
  ),
  {
    name: 'ConditionalOperator OR over two Expected conditions',
    input: {
      TableName: T,
      Item: { pk: { S: 'condop' } },
      ConditionalOperator: 'OR',
      Expected: { a: { Exists: false }, b: { Value: { S: 'x' } } },
    },
  },
]);
