// One cluster node for the PostgreSQL tests, run as its own process (so nodes really write concurrently and can
// be killed with SIGKILL): the DynamoDB API on a table store in PostgreSQL, and a stream mapping on the `Storm`
// table, under shard leases, whose "function" appends every record it receives to a log file shared by all nodes.
// Usage: node postgresNode.mjs <database url> <log file> <node name>; prints `READY <port>`; SIGTERM closes cleanly.
import { appendFileSync } from 'node:fs';
import { pino } from 'pino';
import { ShardLeases } from '../../src/cluster/leases.js';
import { postgresLeaseStore } from '../../src/cluster/leasesPostgres.js';
import { DYNAMODB_TARGET, dynamodbEndpoint, openTables } from '../../src/server/tables.js';
import type { PostgresStorage } from '../../src/tables/storage/postgres.js';
import { createStreamRecorder } from '../../src/tables/streams/index.js';
import { startStreamMappings } from '../../src/triggers/streams/index.js';
import { idTable, listenAndAnnounce, stormMapping } from '../helpers/stormNode.js';

const [database, logFile, node] = process.argv.slice(2);
const log = pino({ level: process.env.NODE_LOG ?? 'silent' }, pino.destination(2));
const recorder = createStreamRecorder();
const tables = openTables(':memory:', 'us-east-1', recorder.onChange, database);
tables.ensureTable(idTable('Storm', true));
tables.ensureTable(idTable('Counters', false));
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

const storm = stormMapping({
  parallelizationFactor: 1,
  // The batch is "processed" (logged) first, then the function takes its time: a kill in between is a batch
  // delivered but not checkpointed, which must be delivered again elsewhere.
  delayMs,
  record(records) {
    const lines = (records as Array<{ dynamodb: { NewImage?: Record<string, { S?: string; N?: string }> } }>)
      .map((r) => JSON.stringify({ node, id: r.dynamodb.NewImage?.id?.S, v: Number(r.dynamodb.NewImage?.v?.N) }))
      .join('\n');
    appendFileSync(logFile, `${lines}\n`);
  },
});
const mappings = startStreamMappings(storm.specs, {
  tables,
  recorder,
  log,
  leases,
  pollIntervalMs: 100,
  runtime: () => storm.runtime,
});

const server = listenAndAnnounce((req, res) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith(DYNAMODB_TARGET)) void dynamodb(req, res, target);
  else if (req.url === '/leases') res.end(JSON.stringify(leases.holding()));
  else res.writeHead(404).end();
});

process.on('SIGTERM', async () => {
  await mappings.close();
  await leases.close();
  server.close();
  tables.storage.close();
  process.exit(0);
});
