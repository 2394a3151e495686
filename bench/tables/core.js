// The DynamoDB core's own CPU cost, without sockets or a load generator: wrk-shaped GetItem and PutItem requests
// (head and body) through the fast path's head parser and handleDynamoDBRequest, one at a time, on a :memory: table
// of 10k items; prints µs per request per round and the best round. No kernel or load generator shares the
// measurement, but a shared machine still moves it: compare the best rounds of several runs of two builds.
// PutItem commits each request alone (nothing else is in flight).
// Usage: npm run build && node bench/tables/core.js   (DIST=<another build's dist> to compare two builds)
import { fileURLToPath } from 'node:url';
import { benchTableDefinition } from '../lib/benchTable.js';

const dist = process.env.DIST ?? fileURLToPath(new URL('../../packages/syncline/dist', import.meta.url));
const { createTableEngine, handleDynamoDBRequest, openSqliteStorage } = await import(dist + '/tables/index.js');
const { parseRequestHead } = await import(dist + '/server/fastHttp/requestHead.js');
const engine = createTableEngine({ storage: openSqliteStorage(':memory:'), region: 'us-east-1' });
engine.createTable(benchTableDefinition('bench_items'));
const BODY = 'x'.repeat(72);
engine.storage.transaction(() => {
  for (let i = 0; i < 10000; i++)
    engine.putItem({
      TableName: 'bench_items',
      Item: {
        pk: { S: `p${Math.floor(i / 100)}` },
        sk: { N: String(i % 100) },
        body: { S: BODY },
        n: { N: String(i % 1000) },
      },
    });
});
const head = (target, len) =>
  Buffer.from(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1:9010\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.${target}\r\nauthorization: AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0\r\nx-amz-date: 20260101T000000Z\r\nContent-Length: ${len}\r\n\r\n`,
  );
const gets = [],
  puts = [];
for (let i = 0; i < 1000; i++) {
  const k = (i * 7919) % 10000;
  const b = `{"TableName":"bench_items","Key":{"pk":{"S":"p${Math.floor(k / 100)}"},"sk":{"N":"${k % 100}"}}}`;
  gets.push(Buffer.concat([head('GetItem', b.length), Buffer.from(b)]));
}
for (let i = 0; i < 1000; i++) {
  const b = `{"TableName":"bench_items","Item":{"pk":{"S":"u${i % 256}"},"sk":{"N":"${2000000000 + i}"},"body":{"S":"${BODY}"},"n":{"N":"${i % 1000}"}}}`;
  puts.push(Buffer.concat([head('PutItem', b.length), Buffer.from(b)]));
}
function one(buf) {
  const h = parseRequestHead(buf, 0);
  const r = handleDynamoDBRequest(
    engine,
    h.headers['x-amz-target'],
    buf.subarray(h.bodyStart, h.bodyStart + h.contentLength),
  );
  return r;
}
async function run(list, n) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const r = one(list[i % list.length]);
    if (r instanceof Promise) await r;
    else if (r.status !== 200) throw new Error(r.body);
  }
  return Number(process.hrtime.bigint() - t) / 1000 / n;
}
let bestGet = Number.POSITIVE_INFINITY;
let bestPut = Number.POSITIVE_INFINITY;
for (let r = 0; r < Number(process.env.ROUNDS ?? 8); r++) {
  const get = await run(gets, 100000);
  const put = await run(puts, 50000);
  bestGet = Math.min(bestGet, get);
  bestPut = Math.min(bestPut, put);
  console.log('get', get.toFixed(2), 'µs   put', put.toFixed(2), 'µs');
}
console.log('best: get', bestGet.toFixed(2), 'µs   put', bestPut.toFixed(2), 'µs');
