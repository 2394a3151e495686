// The process under test: a DynamoDB endpoint whose table has a stream and a mapping (batching window 0) to an
// in-process function that reports, over IPC, the wall-clock time of each invocation and the keys it carried.
// Bundled from the sources by run.js; usage: node server.mjs memory|file <data dir>
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { DYNAMODB_TARGET, dynamodbHttpHandler, openTables } from '../../packages/syncline/src/server/tables.js';
import { createStreamRecorder } from '../../packages/syncline/src/tables/streams/index.js';
import { startStreamMappings } from '../../packages/syncline/src/triggers/streams/index.js';

const [kind, dir] = process.argv.slice(2);
const wallNow = () => performance.timeOrigin + performance.now();
const log = pino({ level: 'silent' });
const recorder = createStreamRecorder();
const tables = openTables(kind === 'file' ? dir : ':memory:', 'us-east-1', recorder.onChange);
tables.ensureTable({
  TableName: 'Bench',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
});
startStreamMappings(
  [
    {
      functionName: 'sink',
      id: 'sink:Bench',
      tableName: 'Bench',
      event: {
        type: 'stream',
        table: 'Bench',
        batchSize: 100,
        maximumBatchingWindowInSeconds: 0,
        startingPosition: 'LATEST',
        parallelizationFactor: 1,
        maximumRetryAttempts: -1,
        maximumRecordAgeInSeconds: -1,
        bisectBatchOnFunctionError: false,
        reportBatchItemFailures: false,
        filterPatterns: [],
        tumblingWindowInSeconds: 0,
        enabled: process.env.BENCH_NO_MAPPING !== '1',
      },
    },
  ],
  {
    tables,
    recorder,
    log,
    runtime: () => ({
      names: () => ['sink'],
      async invoke(_name, event) {
        const at = wallNow();
        const ids = (event as { Records: Array<{ dynamodb: { Keys: { id: { S: string } } } }> }).Records.map(
          (r) => r.dynamodb.Keys.id.S,
        );
        process.send!({ at, ids });
        return { ok: true, payload: null, requestId: 'r', durationMs: 0 };
      },
      async close() {},
    }),
  },
);
const dynamodb = dynamodbHttpHandler(tables, log);
const server = createServer((req, res) => void dynamodb(req, res, String(req.headers['x-amz-target'] ?? '')));
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
// Drain rate without HTTP: the process writes `count` items itself (100 per transaction), as fast as it can.
process.on('message', (m: { flood?: number }) => {
  if (!m.flood) return;
  for (let i = 0; i < m.flood; i += 100) {
    tables.storage.transaction(() => {
      for (let j = i; j < Math.min(m.flood!, i + 100); j++) {
        tables.putItem({ TableName: 'Bench', Item: { id: { S: `fl-${j}` }, n: { N: '1' } } });
      }
    });
  }
});
void DYNAMODB_TARGET;
