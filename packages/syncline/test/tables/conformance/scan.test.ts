import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;

conformance('Scan', [
  invalid(
    'Limit 0 is still reported by the older framework',
    { TableName: T, Limit: 0 },
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  ),
  invalid(
    'Segment without TotalSegments',
    { TableName: T, Segment: 0 },
    'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
  ),
  invalid(
    'Segment not below TotalSegments',
    { TableName: T, Segment: 5, TotalSegments: 5 },
    'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5',
  ),
  invalid(
    'TotalSegments without Segment',
    { TableName: T, TotalSegments: 2 },
    'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
  ),
  invalid(
    'ConditionalOperator without ScanFilter',
    { TableName: T, ConditionalOperator: 'AND' },
    'ConditionalOperator cannot be used without Filter or Expected',
  ),
  invalid(
    'ScanFilter EQ takes a map value; LT does not',
    { TableName: T, ScanFilter: { a: { ComparisonOperator: 'LT', AttributeValueList: [{ M: {} }] } } },
    'One or more parameter values were invalid: ComparisonOperator LT is not valid for M AttributeValue type',
  ),
]);
