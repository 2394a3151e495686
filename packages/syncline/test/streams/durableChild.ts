// A server process for the crash test: tables with a stream on a data folder, the DynamoDB and Streams APIs,
// and a stream mapping whose "function" appends every record it receives to a log file before returning.
// Started with `node` on the bundled form of this file; the test kills it with SIGKILL.
import { appendFileSync } from 'node:fs';
import { pino } from 'pino';
import { DYNAMODB_TARGET, dynamodbEndpoint, openTables } from '../../src/server/tables.js';
import {
  createStreamRecorder,
  createStreamsApi,
  handleStreamsRequest,
  STREAMS_TARGET_PREFIX,
} from '../../src/tables/streams/index.js';
import { startStreamMappings } from '../../src/triggers/streams/index.js';
import { idTable, listenAndAnnounce, stormMapping } from '../helpers/stormNode.js';

const [dataDir, logFile] = process.argv.slice(2);
const log = pino({ level: 'silent' });
const recorder = createStreamRecorder();
const tables = openTables(dataDir, 'us-east-1', recorder.onChange);
tables.ensureTable(idTable('Storm', true));
const dynamodb = dynamodbEndpoint(tables, log).http;
const streamsApi = createStreamsApi({ storage: tables.storage });

const storm = stormMapping({
  parallelizationFactor: 2,
  // Work takes a moment, so a kill often lands between delivery and checkpoint.
  delayMs: 2,
  record: (records) =>
    appendFileSync(logFile, (records as Array<{ eventID: string }>).map((r) => `${r.eventID}\n`).join('')),
});
startStreamMappings(storm.specs, { tables, recorder, log, runtime: () => storm.runtime });

listenAndAnnounce((req, res) => {
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
