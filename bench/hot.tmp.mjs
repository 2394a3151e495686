// In-process hot loop over the DynamoDB core: GetItem / PutItem bodies through handleDynamoDBRequest, no sockets.
const dist = process.env.DIST ?? '/work/main/packages/syncline/dist';
const { createTableEngine, handleDynamoDBRequest, openSqliteStorage } = await import(dist + '/tables/index.js');
const { parseRequestHead } = await import(dist + '/server/fastHttp/requestHead.js');
const engine = createTableEngine({ storage: openSqliteStorage(':memory:'), region: 'us-east-1' });
engine.createTable({ TableName: 'bench_items', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
const BODY = 'x'.repeat(72);
engine.storage.transaction(() => { for (let i = 0; i < 10000; i++) engine.putItem({ TableName: 'bench_items', Item: { pk: { S: `p${Math.floor(i / 100)}` }, sk: { N: String(i % 100) }, body: { S: BODY }, n: { N: String(i % 1000) } } }); });
const head = (target, len) => Buffer.from(`POST / HTTP/1.1\r\nHost: 127.0.0.1:9010\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: DynamoDB_20120810.${target}\r\nauthorization: AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0\r\nx-amz-date: 20260101T000000Z\r\nContent-Length: ${len}\r\n\r\n`);
const gets = [], puts = [];
for (let i = 0; i < 1000; i++) { const k = (i * 7919) % 10000; const b = `{"TableName":"bench_items","Key":{"pk":{"S":"p${Math.floor(k / 100)}"},"sk":{"N":"${k % 100}"}}}`; gets.push(Buffer.concat([head('GetItem', b.length), Buffer.from(b)])); }
for (let i = 0; i < 1000; i++) { const b = `{"TableName":"bench_items","Item":{"pk":{"S":"u${i % 256}"},"sk":{"N":"${2000000000 + i}"},"body":{"S":"${BODY}"},"n":{"N":"${i % 1000}"}}}`; puts.push(Buffer.concat([head('PutItem', b.length), Buffer.from(b)])); }
function one(buf) { const h = parseRequestHead(buf, 0); const r = handleDynamoDBRequest(engine, h.headers['x-amz-target'], buf.subarray(h.bodyStart, h.bodyStart + h.contentLength)); return r; }
async function run(name, list, n) {
  let t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) { const r = one(list[i % list.length]); if (r instanceof Promise) await r; else if (r.status !== 200) throw new Error(r.body); }
  return Number(process.hrtime.bigint() - t) / 1000 / n;
}
for (let r = 0; r < Number(process.env.ROUNDS ?? 8); r++) console.log('get', (await run('get', gets, 100000)).toFixed(2), 'µs   put', (await run('put', puts, 50000)).toFixed(2), 'µs');
