// A server process for the crash test: tables with a stream on a data folder, the DynamoDB and Streams APIs,
// and a stream mapping whose "function" appends every record it receives to a log file before returning.
// Started with `node` on the bundled form of this file; the test kills it with SIGKILL.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { DYNAMODB_TARGET, dynamodbEndpoint, openTables } from '../../src/server/tables.js';
import {
  createStreamRecorder,
  createStreamsApi,
  handleStreamsRequest,
  STREAMS_TARGET_PREFIX,
} from '../../src/tables/streams/index.js';
import { startStreamMappings } from '../../src/triggers/streams/index.js';

const [dataDir, logFile] = process.argv.slice(2);
const log = pino({ level: 'silent' });
const recorder = createStreamRecorder();
const tables = openTables(dataDir, 'us-east-1', recorder.onChange);
tables.ensureTable({
  TableName: 'Storm',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
});
const dynamodb = dynamodbEndpoint(tables, log).http;
const streamsApi = createStreamsApi({ storage: tables.storage });

startStreamMappings(
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
        parallelizationFactor: 2,
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
    runtime: () => ({
      names: () => ['fn'],
      async invoke(_name, event) {
        const records = (event as { Records: Array<{ eventID: string }> }).Records;
        appendFileSync(logFile, records.map((r) => `${r.eventID}\n`).join(''));
        // Work takes a moment, so a kill often lands between delivery and checkpoint.
        await new Promise((r) => setTimeout(r, 2));
        return { ok: true, payload: null, requestId: 'r', durationMs: 2 };
      },
      async close() {},
    }),
  },
);

const server = createServer((req, res) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith(DYNAMODB_TARGET)) {
    void dynamodb(req, res, target);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const r = handleStreamsRequest(
      streamsApi,
      target.startsWith(STREAMS_TARGET_PREFIX) ? target : '',
      Buffer.concat(chunks),
    );
    res.writeHead(r.status, r.headers).end(r.body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
