// A stream batch that fails is retried: the journal records both attempts, the first with its error, under the
// trace of the write that made the record.

import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { until } from '../helpers/subscribe.js';

const ROOT = '1-67a1b2c3-fedcba9876543210fedcba98';
let server: SynclineServer;

beforeAll(async () => {
  server = await createServer({
    dir: fileURLToPath(new URL('../fixtures/apps/trace-retry', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
    otlp: false,
  });
}, 60_000);
afterAll(() => server?.close());

it('records attempt 1 with the error and attempt 2 ok for a retried stream batch, in the write’s trace', async () => {
  const db = new DynamoDBClient({
    endpoint: server.endpoints.http,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  // What the SDK's recursion-detection middleware adds inside a function, added here by hand.
  db.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] =
        `Root=${ROOT};Parent=00000000000000aa`;
      return next(args);
    },
    { step: 'build', name: 'traceHeader' },
  );
  await db.send(new PutItemCommand({ TableName: 'Jobs', Item: { id: { S: 'job-1' } } }));
  await until(() => server.journal.streamDeliveries('Jobs').some((d) => d.result === 'ok'));

  const [second, first] = server.journal.streamDeliveries('Jobs');
  expect(first).toMatchObject({ functionName: 'flaky', attempt: 1, result: 'error', traceIds: [ROOT] });
  expect(first.error).toMatch(/^Error: first try fails \(1 records\)$/);
  expect(second).toMatchObject({ functionName: 'flaky', attempt: 2, result: 'ok', traceIds: [ROOT] });
  expect(second.eventIds).toEqual(first.eventIds);
  expect(first.requestId).not.toBe(second.requestId);

  const invocations = server.journal.invocations('flaky');
  expect(invocations.map((i) => i.ok)).toEqual([true, false]);
  expect(invocations[1].error).toEqual({ errorType: 'Error', errorMessage: 'first try fails (1 records)' });

  const spans = server.journal.trace(ROOT)!;
  const write = spans.find((s) => s.kind === 'table-write')!;
  expect(write).toMatchObject({ name: 'PutItem Jobs', parentSpanId: '00000000000000aa' });
  const batches = spans.filter((s) => s.kind === 'stream-batch');
  expect(batches.map((b) => [b.attributes['syncline.attempt'], b.status, b.parentSpanId])).toEqual([
    [1, 'error', write.spanId],
    [2, 'ok', write.spanId],
  ]);
  const functions = spans.filter((s) => s.kind === 'function');
  expect(functions.map((f) => f.parentSpanId)).toEqual(batches.map((b) => b.spanId));
  expect(functions[0].status).toBe('error');
}, 60_000);
