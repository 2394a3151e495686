// The console's views of the journal (trace/): invocations, traces and their spans, stream records joined with the
// batches that carried them to functions, and the live event stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { until } from '../helpers/subscribe.js';
import { consoleApi, startConsoleApp } from './helpers.js';

let server: SynclineServer;
let api: ReturnType<typeof consoleApi>;

beforeAll(async () => {
  server = await startConsoleApp();
  api = consoleApi(server);
}, 30_000);

afterAll(async () => {
  await server?.close();
});

describe('invocations and traces', () => {
  it('lists an invocation made from the console, with the trace it started', async () => {
    const invoked = await api.post('functions/hello/invoke', { name: 'traced' });
    expect(invoked.body.traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const { body: invocations } = await api.get('functions/hello/invocations?limit=5');
    expect(invocations[0]).toMatchObject({
      functionName: 'hello',
      requestId: invoked.body.requestId,
      trigger: 'invoke',
      ok: true,
      traceId: invoked.body.traceId,
    });
    const { body: traces } = await api.get('traces?limit=10');
    expect(traces.map((t: any) => t.traceId)).toContain(invoked.body.traceId);
    const { status, body: trace } = await api.get(`traces/${invoked.body.traceId}`);
    expect(status).toBe(200);
    expect(trace.traceId).toBe(invoked.body.traceId);
    expect(
      trace.spans.some(
        (s: any) => s.kind === 'function' && s.attributes['faas.invocation_id'] === invoked.body.requestId,
      ),
    ).toBe(true);
  });

  it('follows an HTTP route through its function under the caller’s trace id', async () => {
    const traceId = '1-5f000000-0123456789abcdef01234567';
    const res = await fetch(`${server.endpoints.http}/hello`, { headers: { 'x-amzn-trace-id': `Root=${traceId}` } });
    expect(res.status).toBe(200);
    await until(() => server.journal.trace(traceId) !== undefined);
    const { body } = await api.get(`traces/${traceId}`);
    const kinds = body.spans.map((s: any) => s.kind);
    expect(kinds).toContain('http-route');
    expect(kinds).toContain('function');
  });

  it('answers 404 for a trace it does not hold', async () => {
    const res = await api.get('traces/1-00000000-000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.body.errors[0].message).toContain('Trace not found');
  });
});

describe('stream records and their deliveries', () => {
  it('shows which function batch carried a record, with its result', async () => {
    const put = await api.post(
      'aws/dynamodb',
      { TableName: 'console-items', Item: { id: { S: 'delivered' } } },
      { 'x-amz-target': 'DynamoDB_20120810.PutItem' },
    );
    expect(put.status).toBe(200);
    await until(() => server.journal.streamDeliveries().length > 0, 30_000);
    const { body } = await api.get('streams/Items');
    const record = body.records.find((r: any) => r.keys.id.S === 'delivered');
    expect(record.deliveries).toHaveLength(1);
    expect(record.deliveries[0]).toMatchObject({ functionName: 'onItem', result: 'ok', attempt: 1 });
    expect(record.deliveries[0].eventIds).toContain(record.eventID);
  }, 40_000);
});

describe('GET events', () => {
  it('streams journal events as they happen', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.endpoints.http}/_console/api/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The stream is open (its first comment line arrived) before the invocation happens.
    while (!text.includes(': connected')) text += decoder.decode((await reader.read()).value);
    const invoked = await api.post('functions/hello/invoke', { name: 'live' });
    while (!text.includes(invoked.body.requestId)) text += decoder.decode((await reader.read()).value);
    const line = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('"invocation"'))!;
    const event = JSON.parse(line.slice('data: '.length));
    expect(event).toMatchObject({ type: 'invocation', invocation: { requestId: invoked.body.requestId } });
    controller.abort();
  });
});
