// The journal's rings: bounded, newest first, filtered, and live to subscribers; and what a server records for
// GraphQL requests (nothing for a plain query, a span for a traced one, a mutation span with its deliveries).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { otelTraceId } from '../../src/trace/ids.js';
import { createJournal } from '../../src/trace/journal.js';
import { otlpFromEnv, otlpSettings } from '../../src/trace/otlp.js';
import type { JournalEvent, Span } from '../../src/trace/types.js';

const span = (traceId: string, n: number, extra: Partial<Span> = {}): Span => ({
  traceId,
  spanId: n.toString(16).padStart(16, '0'),
  name: `span ${n}`,
  kind: 'function',
  start: 1000 + n,
  durationMs: 10,
  status: 'ok',
  attributes: {},
  ...extra,
});
const root = (n: number) => `1-00000000-${n.toString(16).padStart(24, '0')}`;

describe('journal', () => {
  it('keeps the newest traces, evicting the oldest, and caps the spans of one trace', () => {
    const journal = createJournal({ traces: 3, spansPerTrace: 2 });
    for (let n = 1; n <= 4; n++) journal.span(span(root(n), n));
    journal.span(span(root(4), 5));
    journal.span(span(root(4), 6));
    expect(journal.traces().map((t) => t.traceId)).toEqual([root(4), root(3), root(2)]);
    expect(journal.trace(root(1))).toBeUndefined();
    expect(journal.trace(root(4))!.map((s) => s.name)).toEqual(['span 4', 'span 5']);
  });

  it('drops the traces idle longest once all traces together hold more spans than the total cap', () => {
    const journal = createJournal({ spans: 4 });
    for (let n = 1; n <= 3; n++) {
      journal.span(span(root(n), n * 10));
      journal.span(span(root(n), n * 10 + 1));
    }
    expect(journal.traces().map((t) => t.traceId)).toEqual([root(3), root(2)]);
    // A trace still growing is kept; the one idle longest goes.
    journal.span(span(root(2), 99));
    expect(journal.traces().map((t) => t.traceId)).toEqual([root(2)]);
    expect(journal.trace(root(2))).toHaveLength(3);
  });

  it('summarizes a trace from its earliest span to its last end, as an error if any span failed', () => {
    const journal = createJournal();
    journal.span(
      span(root(1), 2, { start: 1010, durationMs: 50, status: 'error', parentSpanId: '1'.padStart(16, '0') }),
    );
    journal.span(span(root(1), 1, { name: 'POST /orders', kind: 'http-route', start: 1000, durationMs: 20 }));
    expect(journal.traces()).toEqual([
      {
        traceId: root(1),
        name: 'POST /orders',
        kind: 'http-route',
        start: 1000,
        durationMs: 60,
        spanCount: 2,
        status: 'error',
      },
    ]);
    expect(journal.trace(root(1))!.map((s) => s.start)).toEqual([1000, 1010]);
  });

  it('lists invocations and stream deliveries newest first, by function or table, within the ring', () => {
    const journal = createJournal({ invocations: 3, streamDeliveries: 2 });
    for (let n = 1; n <= 4; n++) {
      journal.invocation({
        functionName: n % 2 ? 'odd' : 'even',
        requestId: `r${n}`,
        trigger: 'invoke',
        start: n,
        durationMs: 1,
        ok: true,
      });
    }
    expect(journal.invocations().map((r) => r.requestId)).toEqual(['r4', 'r3', 'r2']);
    expect(journal.invocations('odd').map((r) => r.requestId)).toEqual(['r3']);
    expect(journal.invocations(undefined, 1).map((r) => r.requestId)).toEqual(['r4']);
    for (const table of ['A', 'B', 'A']) {
      journal.streamDelivery({
        table,
        functionName: 'f',
        shardId: 's',
        eventIds: [],
        attempt: 1,
        start: 0,
        durationMs: 1,
        result: 'ok',
        traceIds: [],
      });
    }
    expect(journal.streamDeliveries().map((d) => d.table)).toEqual(['A', 'B']);
    expect(journal.streamDeliveries('A')).toHaveLength(1);
  });

  it('tells subscribers of each record until they unsubscribe, whatever one of them throws', () => {
    const journal = createJournal();
    const seen: JournalEvent['type'][] = [];
    journal.subscribe(() => {
      throw new Error('a broken console stream');
    });
    const stop = journal.subscribe((e) => seen.push(e.type));
    journal.span(span(root(1), 1));
    journal.invocation({ functionName: 'f', requestId: 'r', trigger: 'http', start: 0, durationMs: 1, ok: true });
    stop();
    journal.span(span(root(1), 2));
    expect(seen).toEqual(['span', 'invocation']);
  });

  it('restores the ambient span after synchronous work, also when it throws', () => {
    const journal = createJournal();
    const parent = { traceId: root(1), spanId: 'a'.repeat(16) };
    expect(journal.within(parent, () => journal.ambient())).toEqual(parent);
    expect(() =>
      journal.within(parent, () => {
        throw new Error('write failed');
      }),
    ).toThrow('write failed');
    expect(journal.ambient()).toBeUndefined();
  });
});

describe('OTLP settings', () => {
  it('maps an X-Ray Root to the OpenTelemetry trace id as the AWS X-Ray propagator does', () => {
    expect(otelTraceId('1-5759e988-bd862e3fe1be46a994272793')).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('reads the traces endpoint, or the base endpoint with /v1/traces, from the environment', () => {
    expect(otlpFromEnv({})).toBeUndefined();
    expect(otlpFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toEqual({ url: 'http://c:4318/v1/traces' });
    expect(
      otlpFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x' }),
    ).toEqual({ url: 'http://t/x' });
    expect(otlpFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(otlpSettings('http://c:4318/v1/traces')).toEqual({ url: 'http://c:4318/v1/traces' });
  });
});

describe('GraphQL requests in the journal', () => {
  let server: SynclineServer;
  beforeAll(async () => {
    server = await createServer({
      dir: fileURLToPath(new URL('../fixtures/apps/basic', import.meta.url)),
      port: 0,
      data: ':memory:',
      log: 'silent',
      otlp: false,
    });
  }, 60_000);
  afterAll(() => server?.close());

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey!, ...headers },
      body: JSON.stringify({ query }),
    }).then((r) => r.json() as Promise<{ data?: unknown; errors?: unknown[] }>);

  it('records nothing for a plain query, a span for a query carrying X-Amzn-Trace-Id', async () => {
    expect(await post('{ hello }')).toEqual({ data: { hello: expect.any(String) } });
    expect(server.journal.traces()).toEqual([]);
    const traced = '1-67a1b2c3-00000000000000000000abcd';
    await post('{ hello }', { 'x-amzn-trace-id': `Root=${traced};Parent=00000000000000bb;Sampled=1` });
    expect(server.journal.trace(traced)).toMatchObject([
      { name: 'Query.hello', kind: 'graphql', parentSpanId: '00000000000000bb', status: 'ok' },
    ]);
  });

  it('starts a trace for every mutation, with its delivery span counting the subscribers reached', async () => {
    const result = await post('mutation { createOrder(item: "tea", quantity: 1) { id } }');
    expect(result.errors).toBeUndefined();
    const [latest] = server.journal.traces(1);
    expect(latest).toMatchObject({ name: 'Mutation.createOrder', kind: 'mutation', spanCount: 2 });
    const [mutation, delivery] = server.journal.trace(latest.traceId)!;
    expect(delivery).toMatchObject({ kind: 'delivery', parentSpanId: mutation.spanId });
    expect(delivery.attributes['syncline.delivered']).toBe(0);
  });
});
