// The one path, traced: POST /orders in the reference app reaches a subscriber through two functions, a table
// write, a stream batch and a mutation, and the journal holds that chain under the caller's X-Ray trace id — as
// does an in-process OTLP receiver the server exports to.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import type { Span } from '../../src/trace/types.js';
import { subscribe, until } from '../helpers/subscribe.js';

const ROOT = '1-67a1b2c3-0123456789abcdef01234567';
const OTEL_TRACE_ID = '67a1b2c30123456789abcdef01234567';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

let receiver: Server;
const exported: { contentType: string | undefined; spans: OtlpSpan[] }[] = [];
let server: SynclineServer;

beforeAll(async () => {
  receiver = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const spans = body.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
      exported.push({ contentType: req.headers['content-type'], spans });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  const { port } = receiver.address() as AddressInfo;
  server = await createServer({
    dir: fileURLToPath(new URL('../../../../examples/realtime-orders', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
    otlp: `http://127.0.0.1:${port}`,
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  receiver?.close();
});

const byKind = (spans: Span[], kind: Span['kind']) => spans.filter((s) => s.kind === kind);

it('continues a GraphQL mutation’s trace through its resolver’s table write to the stream function', async () => {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
    body: JSON.stringify({ query: 'mutation { createOrder(item: "scone", quantity: 1, customer: "bo") { id } }' }),
  });
  expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
  const [created] = server.journal.traces(50).filter((t) => t.name === 'Mutation.createOrder');
  expect(created).toBeDefined();
  await until(() => (server.journal.trace(created.traceId) ?? []).some((s) => s.kind === 'stream-batch'));
  const spans = server.journal.trace(created.traceId)!;
  const mutation = spans.find((s) => s.name === 'Mutation.createOrder')!;
  const batch = spans.find((s) => s.kind === 'stream-batch')!;
  expect(batch.parentSpanId).toBe(mutation.spanId);
  const publish = spans.find((s) => s.kind === 'function' && s.name === 'publishOrder')!;
  expect(publish.parentSpanId).toBe(batch.spanId);
  expect(spans.some((s) => s.name === 'Mutation.publishOrder' && s.parentSpanId === publish.spanId)).toBe(true);
}, 60_000);

it('records HTTP route → function → table write → stream batch → function → mutation → delivery under one trace id', async () => {
  const subscriber = await subscribe(server, 'subscription { onOrder { id item status } }');
  const res = await fetch(`${server.endpoints.http}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-amzn-trace-id': `Root=${ROOT};Sampled=1` },
    body: JSON.stringify({ item: 'traced tea', quantity: 1, customer: 'ada' }),
  });
  expect(res.status).toBe(201);
  const order = (await res.json()) as { id: string };
  await subscriber.waitFor(order.id);
  await subscriber.close();
  // The stream batch's span is recorded once its function has returned, after the delivery.
  await until(() => (server.journal.trace(ROOT) ?? []).some((s) => s.kind === 'stream-batch'));

  const spans = server.journal.trace(ROOT)!;
  expect(spans.every((s) => s.traceId === ROOT)).toBe(true);
  const [route] = byKind(spans, 'http-route');
  expect(route).toMatchObject({ name: 'POST /orders', status: 'ok', parentSpanId: undefined });
  expect(route.attributes['http.response.status_code']).toBe(201);
  const createOrder = spans.find((s) => s.kind === 'function' && s.name === 'createOrder')!;
  expect(createOrder.parentSpanId).toBe(route.spanId);
  expect(createOrder.attributes['faas.trigger']).toBe('http');
  const [write] = byKind(spans, 'table-write');
  expect(write).toMatchObject({ name: expect.stringMatching(/^PutItem /), parentSpanId: createOrder.spanId });
  const [batch] = byKind(spans, 'stream-batch');
  expect(batch.parentSpanId).toBe(write.spanId);
  expect(batch.attributes['syncline.attempt']).toBe(1);
  const publishOrder = spans.find((s) => s.kind === 'function' && s.name === 'publishOrder')!;
  expect(publishOrder.parentSpanId).toBe(batch.spanId);
  expect(publishOrder.attributes['faas.trigger']).toBe('stream');
  const [mutation] = byKind(spans, 'mutation');
  expect(mutation).toMatchObject({ name: 'Mutation.publishOrder', parentSpanId: publishOrder.spanId });
  const [delivery] = byKind(spans, 'delivery');
  expect(delivery.parentSpanId).toBe(mutation.spanId);
  expect(delivery.attributes['syncline.delivered']).toBeGreaterThanOrEqual(1);
  expect(delivery.name).toMatch(/^onOrder ×\d+$/);

  // The console's lists: the trace among the newest, both invocations and the stream delivery recorded.
  expect(server.journal.traces(500).find((t) => t.traceId === ROOT)).toMatchObject({ name: 'POST /orders' });
  const [created] = server.journal.invocations('createOrder');
  expect(created).toMatchObject({
    trigger: 'http',
    ok: true,
    traceId: ROOT,
    requestId: createOrder.attributes['faas.invocation_id'],
  });
  const published = server.journal.invocations('publishOrder').find((r) => r.traceId === ROOT);
  expect(published).toMatchObject({ trigger: 'stream', ok: true });
  const delivered = server.journal.streamDeliveries('Orders').find((d) => d.traceIds.includes(ROOT))!;
  expect(delivered).toMatchObject({
    functionName: 'publishOrder',
    attempt: 1,
    result: 'ok',
    requestId: published!.requestId,
  });
  expect(delivered.eventIds).toHaveLength(1);

  // Closing flushes the exporter: the same spans arrived over OTLP/HTTP JSON with the mapped trace id and links.
  await server.close();
  const otlp = exported.flatMap((e) => e.spans).filter((s) => s.traceId === OTEL_TRACE_ID);
  expect(exported[0].contentType).toMatch(/^application\/json/);
  for (const span of spans) {
    const sent = otlp.find((s) => s.spanId === span.spanId);
    expect(sent, span.name).toBeDefined();
    expect(sent!.name).toBe(span.name);
    expect(sent!.parentSpanId || undefined).toBe(span.parentSpanId);
  }
}, 120_000);
