// The servers' own ceiling, without the SDK: wrk sends the same DynamoDB JSON requests the SDK would, over the
// SDK benchmark's layout (items.js), with keys varied per request by a Lua script. If a server does much more
// here than through the SDK, the SDK process, not the server, was the bottleneck.
import { dynamodbWrk } from '../lib/dynamodbWrk.js';
import { PUT_PARTITIONS, QUERY_ITEMS, QUERY_PARTITIONS, TABLE } from './items.js';

const TARGETS = { put: 'PutItem', get: 'GetItem', query: 'Query' };
const CHECKS = { put: '', get: '"Item"', query: `"Count":${QUERY_ITEMS}` };

// Lua expressions producing one request body; `n` counts requests.
const BODIES = {
  put: `string.format('{"TableName":"${TABLE}","Item":{"pk":{"S":"u%d"},"sk":{"N":"%d"},"body":{"S":"${'x'.repeat(72)}"},"n":{"N":"%d"}}}', n % ${PUT_PARTITIONS}, 2000000000 + n, n % 1000)`,
  get: `(function() local r = math.random(0, ${QUERY_PARTITIONS * QUERY_ITEMS - 1}) return string.format('{"TableName":"${TABLE}","Key":{"pk":{"S":"q%d"},"sk":{"N":"%d"}}}', r % ${QUERY_PARTITIONS}, math.floor(r / ${QUERY_PARTITIONS})) end)()`,
  query: `string.format('{"TableName":"${TABLE}","KeyConditionExpression":"pk = :pk","ExpressionAttributeValues":{":pk":{"S":"q%d"}}}', math.random(0, ${QUERY_PARTITIONS - 1}))`,
};

export function wrkLoad({ endpoint, op, connections, seconds }) {
  return dynamodbWrk({ endpoint, target: TARGETS[op], body: BODIES[op], check: CHECKS[op], connections, seconds });
}
