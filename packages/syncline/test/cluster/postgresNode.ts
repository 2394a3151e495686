// One cluster node for the PostgreSQL tests, run as its own process (so nodes really write concurrently and can
// be killed with SIGKILL): the DynamoDB API on a table store in PostgreSQL, and a stream mapping on the `Storm`
// table, under shard leases, whose "function" appends every record it receives to a log file shared by all nodes.
// Usage: node postgresNode.mjs <database url> <log file> <node name>; prints `READY <port>`; SIGTERM closes cleanly.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { ShardLeases } from '../../src/cluster/leases.js';
import { postgresLeaseStore } from '../../src/cluster/leasesPostgres.js';
import { DYNAMODB_TARGET, dynamodbEndpoint, openTables } from '../../src/server/tables.js';
import type { PostgresStorage } from '../../src/tables/storage/postgres.js';
import { createStreamRecorder } from '../../src/tables/streams/index.js';
import { startStreamMappings } from '../../src/triggers/streams/index.js';

const [database, logFile, node] = process.argv.slice(2);
const log = pino({ level: process.env.NODE_LOG ?? 'silent' }, pino.destination(2));
const recorder = createStreamRecorder();
const tables = openTables(':memory:', 'us-east-1', recorder.onChange, database);
for (const [name, stream] of [
  ['Storm', true],
  ['Counters', false],
] as const) {
  tables.ensureTable({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  });
}
const dynamodb = dynamodbEndpoint(tables, log).http;
// Short leases so that the tests see takeovers quickly; the server's defaults are 5 s and 1.5 s.
const leases = new ShardLeases({
  store: postgresLeaseStore(tables.storage as PostgresStorage),
  node,
  log,
  ttlMs: Number(process.env.LEASE_TTL_MS ?? 2000),
  renewMs: Number(process.env.LEASE_RENEW_MS ?? 500),
});
const delayMs = Number(process.env.BATCH_DELAY_MS ?? 20);

const mappings = startStreamMappings(
  [
    {
      functionName: 'fn',
      id: 'fn:Storm',
      tableName: 'Storm',
      event: {
        type: 'stream',
        table: 'Storm',
        batchSize: 10,
        maximumBatchingWindowInSeconds: 0,
        startingPosition: 'TRIM_HORIZON',
        parallelizationFactor: 1,
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: -1,
        bisectBatchOnFunctionError: false,
        reportBatchItemFailures: false,
        filterPatterns: [],
        tumblingWindowInSeconds: 0,
        enabled: true,
      },
    },
  ],
  {
    tables,
    recorder,
    log,
    leases,
    pollIntervalMs: 100,
    runtime: () => ({
      names: () => ['fn'],
      async invoke(_name, event) {
        // The batch is "processed" (logged) first, then the function takes its time: a kill in between is a
        // batch delivered but not checkpointed, which must be delivered again elsewhere.
        const records = (
          event as { Records: Array<{ dynamodb: { NewImage?: Record<string, { S?: string; N?: string }> } }> }
        ).Records;
        const lines = records
          .map((r) => JSON.stringify({ node, id: r.dynamodb.NewImage?.id?.S, v: Number(r.dynamodb.NewImage?.v?.N) }))
          .join('\n');
        appendFileSync(logFile, `${lines}\n`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return { ok: true, payload: null, requestId: 'r', durationMs: delayMs };
      },
      async close() {},
    }),
  },
);

const server = createServer((req, res) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith(DYNAMODB_TARGET)) void dynamodb(req, res, target);
  else if (req.url === '/leases') res.end(JSON.stringify(leases.holding()));
  else res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});

process.on('SIGTERM', async () => {
  await mappings.close();
  await leases.close();
  server.close();
  tables.storage.close();
  process.exit(0);
});
