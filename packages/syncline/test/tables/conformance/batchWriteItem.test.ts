import { conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;

conformance('BatchWriteItem', [
  invalid(
    'empty RequestItems has its own sentence',
    { RequestItems: {} },
    'The requestItems parameter is required for BatchWriteItem',
  ),
  invalid(
    'more than 25 requests for a table quotes the map in Java form',
    { RequestItems: { [T]: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `w${i}` } } } })) } },
    new RegExp(
      `^1 validation error detected: Value '\\{${T}=\\[WriteRequest\\(.+\\)\\]\\}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \\[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\\]$`,
    ),
  ),
  invalid(
    'duplicate keys',
    {
      RequestItems: {
        [T]: [{ PutRequest: { Item: { pk: { S: 'dup' } } } }, { DeleteRequest: { Key: { pk: { S: 'dup' } } } }],
      },
    },
    'Provided list of item keys contains duplicates',
  ),
]);
