// ConditionExpression and legacy Expected, through PutItem (the same evaluator serves every write).
import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;
const seed: [string, Record<string, unknown>] = [
  'PutItem',
  { TableName: T, Item: { pk: { S: 'cond' }, a: { N: '1' }, s: { S: 'abc' }, l: { L: [{ N: '1' }] } } },
];
const put = (extra: Record<string, unknown>) => ({
  TableName: T,
  Item: { pk: { S: 'cond' }, a: { N: '1' } },
  ...extra,
});
const vals = (v: Record<string, unknown>) => ({ ExpressionAttributeValues: v });
const LIST = { L: [{ N: '1' }] };

const orderingOnList = (['<', '<=', '>', '>='] as const).map((op) =>
  invalid(
    `${op} against a list constant is refused before evaluation`,
    put({ ConditionExpression: `a ${op} :l`, ...vals({ ':l': LIST }) }),
    `Invalid ConditionExpression: Incorrect operand type for operator or function; operator: ${op}, operand type: L`,
    { before: [seed] },
  ),
);

const legacyWrongType = (
  [
    ['LE', { L: [] }, 'L'],
    ['LT', { M: {} }, 'M'],
    ['GE', { BOOL: true }, 'BOOL'],
    ['GT', { SS: ['a'] }, 'SS'],
    ['CONTAINS', { L: [] }, 'L'],
    ['NOT_CONTAINS', { SS: ['a'] }, 'SS'],
    ['BEGINS_WITH', { N: '1' }, 'N'],
    ['IN', { SS: ['1'] }, 'SS'],
  ] as const
).map(([op, value, type]) =>
  invalid(
    `legacy Expected ${op} with a ${type} value`,
    put({ Expected: { a: { ComparisonOperator: op, AttributeValueList: [value] } } }),
    `One or more parameter values were invalid: ComparisonOperator ${op} is not valid for ${type} AttributeValue type`,
    { before: [seed] },
  ),
);

conformance('PutItem', [
  ...orderingOnList,
  invalid(
    'BETWEEN with list bounds is refused',
    put({ ConditionExpression: 'a BETWEEN :l AND :l', ...vals({ ':l': LIST }) }),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator: BETWEEN, operand type: L',
  ),
  invalid(
    '< against a map constant',
    put({ ConditionExpression: 'a < :m', ...vals({ ':m': { M: {} } }) }),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator: <, operand type: M',
  ),
  {
    name: '= against a list constant compares (no error)',
    before: [seed],
    input: put({ ConditionExpression: 'l = :l', ...vals({ ':l': LIST }) }),
  },
  {
    name: '< whose path holds a list only compares false',
    before: [seed],
    input: put({ ConditionExpression: 'l < :n', ...vals({ ':n': { N: '5' } }) }),
    error: 'ConditionalCheckFailedException',
    message: 'The conditional request failed',
  },
  ...legacyWrongType,
  invalid(
    'legacy Expected BETWEEN with set values is a validation error, not a server error',
    put({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ SS: ['1'] }, { SS: ['2'] }] } } }),
    'One or more parameter values were invalid: ComparisonOperator BETWEEN is not valid for SS AttributeValue type',
  ),
  invalid(
    'legacy Expected BETWEEN with list values',
    put({ Expected: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ L: [] }, { L: [] }] } } }),
    'One or more parameter values were invalid: ComparisonOperator BETWEEN is not valid for L AttributeValue type',
  ),
  {
    name: 'legacy Expected EQ takes a list value',
    before: [seed],
    input: put({ Expected: { l: { ComparisonOperator: 'EQ', AttributeValueList: [LIST] } } }),
  },
  {
    name: 'legacy Expected NE takes a BOOL value',
    before: [seed],
    input: put({ Expected: { a: { ComparisonOperator: 'NE', AttributeValueList: [{ BOOL: true }] } } }),
  },
  {
    name: 'attribute_type takes a value operand',
    input: put({ ConditionExpression: 'attribute_type(:v, :t)', ...vals({ ':v': { S: 'x' }, ':t': { S: 'S' } }) }),
  },
  {
    name: 'attribute_type of a value operand that does not match fails the condition',
    input: put({ ConditionExpression: 'attribute_type(:v, :t)', ...vals({ ':v': { S: 'x' }, ':t': { S: 'N' } }) }),
    error: 'ConditionalCheckFailedException',
    message: 'The conditional request failed',
  },
  invalid(
    'attribute_exists still needs a path',
    put({ ConditionExpression: 'attribute_exists(:v)', ...vals({ ':v': { S: 'x' } }) }),
    'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists',
  ),
]);
