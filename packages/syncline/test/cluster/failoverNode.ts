// One node of the failover test (failover.test.ts), run as its own process so that it can be killed, frozen
// (SIGSTOP) and resumed: the DynamoDB API on tables in PostgreSQL, the `Storm` stream mapped under shard leases to
// a stand-in function that appends every record to a log file shared by all nodes, and the TTL sweeper. It logs
// JSON lines at warn and above on stderr, so the test can read what it reported.
// Usage: node failoverNode.mjs <database url> <log file> <node name>; prints `READY <port>`.
import { appendFileSync } from 'node:fs';
import { pino } from 'pino';
import { ShardLeases } from '../../src/cluster/leases.js';
import { postgresLeaseStore } from '../../src/cluster/leasesPostgres.js';
import { DYNAMODB_TARGET, dynamodbEndpoint } from '../../src/server/tables.js';
import { createTableEngine } from '../../src/tables/index.js';
import { openPostgresStorage } from '../../src/tables/storage/postgres.js';
import { createStreamRecorder } from '../../src/tables/streams/index.js';
import { startStreamMappings } from '../../src/triggers/streams/index.js';
import { idTable, listenAndAnnounce, stormMapping } from '../helpers/stormNode.js';

const [database, logFile, node] = process.argv.slice(2);
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const log = pino({ level: 'warn' }, pino.destination(2));
const recorder = createStreamRecorder();
const storage = openPostgresStorage(database, {
  log,
  // Short, so that the test sees a stuck round trip abandoned in seconds rather than minutes.
  callTimeoutMs: env('CALL_TIMEOUT_MS', 120_000),
  idleInTransactionTimeoutMs: env('IDLE_TX_MS', 10_000),
});
const tables = createTableEngine({ storage, region: 'us-east-1', onChange: recorder.onChange });
tables.ensureTable(idTable('Storm', true));
const dynamodb = dynamodbEndpoint(tables, log).http;
const leases = new ShardLeases({
  store: postgresLeaseStore(storage),
  node,
  log,
  ttlMs: env('LEASE_TTL_MS', 5000),
  renewMs: env('LEASE_RENEW_MS', 1500),
});
const storm = stormMapping({
  parallelizationFactor: 1,
  delayMs: 20,
  record(records) {
    const lines = (records as Array<{ dynamodb: { NewImage?: Record<string, { S?: string; N?: string }> } }>)
      .map((r) => JSON.stringify({ node, id: r.dynamodb.NewImage?.id?.S, v: Number(r.dynamodb.NewImage?.v?.N) }))
      .join('\n');
    appendFileSync(logFile, `${lines}\n`);
  },
});
startStreamMappings(storm.specs, { tables, recorder, log, leases, pollIntervalMs: 100, runtime: () => storm.runtime });

// The TTL sweeper as the server runs it (nothing here expires: it must simply never fail on a wrong answer).
setInterval(() => {
  try {
    tables.sweepExpiredItems(1000);
  } catch (err) {
    log.error({ err }, 'TTL sweep failed');
  }
}, 200);

listenAndAnnounce((req, res) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith(DYNAMODB_TARGET)) void dynamodb(req, res, target);
  else res.writeHead(404).end();
});
