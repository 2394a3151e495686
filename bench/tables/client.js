// The load generator: the real AWS SDK v3 DynamoDB client, in its own process, keeping `concurrency` requests
// in flight for a fixed duration and timing each one. Forked by run.js; several may run side by side.

import http from 'node:http';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { benchTableDefinition } from '../lib/benchTable.js';
import { item, putKey, QUERY_ITEMS, randomGetKey, randomQueryPartition, seedItems, TABLE } from './items.js';

// The SDK warns once per process that Node 20 support ends in 2027; it is noise in a benchmark's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const MAX_SAMPLES = 400_000;
let client;
let concurrency;
let index;
let nextPut = 0;

const ops = {
  async put() {
    const k = putKey(index, nextPut++);
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item(k.pk, k.sk) }));
  },
  async get() {
    const k = randomGetKey();
    const out = await client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: k.pk }, sk: { N: String(k.sk) } } }),
    );
    if (!out.Item) throw new Error(`GetItem found no item at ${k.pk}/${k.sk}`);
  },
  async query() {
    const out = await client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: randomQueryPartition() } },
      }),
    );
    if (out.Count !== QUERY_ITEMS) throw new Error(`Query returned ${out.Count} items, not ${QUERY_ITEMS}`);
  },
};

async function ensureTable() {
  try {
    await client.send(new DescribeTableCommand({ TableName: TABLE }));
    return;
  } catch (error) {
    if (error.name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(benchTableDefinition(TABLE)));
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (out.Table.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('table did not become ACTIVE');
}

async function seed() {
  await ensureTable();
  const all = [...seedItems()];
  for (let i = 0; i < all.length; i += 25) {
    let items = { [TABLE]: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 0; Object.keys(items).length && attempt < 10; attempt++) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: items }));
      items = out.UnprocessedItems ?? {};
    }
    if (Object.keys(items).length) throw new Error('BatchWriteItem left items unprocessed');
  }
}

async function run(op, seconds) {
  const fn = ops[op];
  const latencies = [];
  let done = 0;
  let failed = 0;
  let firstError;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        await fn();
        done++;
        if (latencies.length < MAX_SAMPLES) latencies.push(performance.now() - t);
      } catch (error) {
        failed++;
        firstError ??= `${error.name}: ${error.message}`;
        // A dead server fails fast; do not spin.
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { done, failed, firstError, elapsed: (performance.now() - started) / 1000, latencies };
}

process.on('disconnect', () => process.exit(0));

process.on('message', async (m) => {
  try {
    if (m.type === 'init') {
      ({ concurrency, index } = m);
      client = new DynamoDBClient({
        endpoint: m.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        maxAttempts: 1, // a retried failure would hide behind a slower success
        requestHandler: { httpAgent: new http.Agent({ keepAlive: true, maxSockets: concurrency }) },
      });
      process.send({ id: m.id });
    } else if (m.type === 'seed') {
      await seed();
      process.send({ id: m.id });
    } else if (m.type === 'run') {
      process.send({ id: m.id, ...(await run(m.op, m.seconds)) });
    }
  } catch (error) {
    process.send({ id: m.id, error: `${error.name}: ${error.message}` });
  }
});
