// PutItem, GetItem and Query against a DynamoDB endpoint holding `size` items (the report's layout, tableItems.js),
// by wrk, keys drawn per request, every response checked: a GetItem must return an Item, a Query exactly 100 items.
import { dynamodbWrk } from '../lib/dynamodbWrk.js';
import { PER_PARTITION, TABLE } from './tableItems.js';

const TARGETS = { put: 'PutItem', get: 'GetItem', query: 'Query' };
const CHECKS = { put: '', get: '"Item"', query: `"Count":${PER_PARTITION}` };

function bodies(size, putBase) {
  const partitions = Math.floor(size / PER_PARTITION);
  return {
    put: `string.format('{"TableName":"${TABLE}","Item":{"pk":{"S":"u%d"},"sk":{"N":"%d"},"body":{"S":"${'x'.repeat(72)}"},"n":{"N":"%d"}}}', n % 256, ${putBase} + n, n % 1000)`,
    get: `(function() local i = math.random(0, ${size - 1}) return string.format('{"TableName":"${TABLE}","Key":{"pk":{"S":"p%d"},"sk":{"N":"%d"}}}', math.floor(i / ${PER_PARTITION}), i % ${PER_PARTITION}) end)()`,
    query: `string.format('{"TableName":"${TABLE}","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"p%d"}}}', math.random(0, ${partitions - 1}))`,
  };
}

export function tableWrk({ endpoint, op, size, connections, seconds, putBase = 2_000_000_000 }) {
  const body = bodies(size, putBase)[op];
  return dynamodbWrk({ endpoint, target: TARGETS[op], body, check: CHECKS[op], connections, seconds });
}
