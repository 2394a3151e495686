// Fills a DynamoDB endpoint with items [from, to) through BatchWriteItem (25 items a request, several in
// flight), retrying unprocessed items, in its own process. Creates the table first when the server does not
// declare it (dynalite). Setup only: nothing here is timed in the report except the load rate it returns.
import http from 'node:http';
import { benchTableDefinition } from '../lib/benchTable.js';
import { item, TABLE } from './tableItems.js';

let agent;
let endpoint;

function call(target, body) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      `${endpoint}/`,
      {
        agent,
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDB_20120810.${target}`,
          authorization:
            'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
          'x-amz-date': '20260101T000000Z',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const out = text ? JSON.parse(text) : {};
          if (res.statusCode === 200) resolve(out);
          else
            reject(
              Object.assign(new Error(`${target}: ${res.statusCode} ${text.slice(0, 200)}`), { type: out.__type }),
            );
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function ensureTable() {
  try {
    await call('DescribeTable', { TableName: TABLE });
  } catch (error) {
    if (!String(error.type).includes('ResourceNotFoundException')) throw error;
    await call('CreateTable', benchTableDefinition(TABLE));
  }
  // dynalite creates tables asynchronously even with createTableMs 0: writes before ACTIVE are refused.
  for (let attempt = 0; ; attempt++) {
    const { Table } = await call('DescribeTable', { TableName: TABLE });
    if (Table.TableStatus === 'ACTIVE') return;
    if (attempt === 100) throw new Error(`table ${TABLE} still ${Table.TableStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function seed(from, to, concurrency) {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const start = next;
      next = Math.min(to, next + 25);
      let items = { [TABLE]: [] };
      for (let i = start; i < Math.min(to, start + 25); i++) items[TABLE].push({ PutRequest: { Item: item(i) } });
      for (let attempt = 0; Object.keys(items).length; attempt++) {
        if (attempt === 20) throw new Error('BatchWriteItem left items unprocessed after 20 attempts');
        const out = await call('BatchWriteItem', { RequestItems: items });
        items = out.UnprocessedItems ?? {};
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (m) => {
  try {
    if (m.type === 'seed') {
      endpoint = m.endpoint;
      if (agent?.maxSockets !== m.concurrency) {
        agent?.destroy();
        agent = new http.Agent({ keepAlive: true, maxSockets: m.concurrency });
      }
      const t = performance.now();
      await ensureTable();
      await seed(m.from, m.to, m.concurrency);
      process.send({ id: m.id, itemsPerSecond: (m.to - m.from) / ((performance.now() - t) / 1000) });
    } else if (m.type === 'close') {
      agent?.destroy();
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.message ?? error) });
  }
});
