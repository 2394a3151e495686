// A function's fetch back to the server carries the invocation's X-Amzn-Trace-Id; one to another origin, or one
// whose caller set the header, is left as it was.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';

let server: SynclineServer;
let foreign: Server;

beforeAll(async () => {
  foreign = createHttpServer((req, res) => res.end(String(req.headers['x-amzn-trace-id'] ?? 'none')));
  await new Promise<void>((ok) => foreign.listen(0, '127.0.0.1', ok));
  server = await createServer({
    dir: fileURLToPath(new URL('../fixtures/apps/trace-fetch', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
    otlp: false,
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  foreign?.close();
});

const viaFunction = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${server.endpoints.http}/fetch`, { method: 'POST', body: JSON.stringify({ url, headers }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { own: string; got: string };
};

it('adds the invocation’s trace header to a fetch aimed at the server, which continues the trace', async () => {
  const { own, got } = await viaFunction('/echo');
  expect(got).toBe(own);
  const root = /^Root=([^;]+);Parent=([0-9a-f]{16});/.exec(own)!;
  const spans = server.journal.trace(root[1])!;
  const fetcher = spans.find((s) => s.name === 'fetcher')!;
  expect(fetcher.spanId).toBe(root[2]);
  const echoRoute = spans.find((s) => s.name === 'GET /echo')!;
  expect(echoRoute.parentSpanId).toBe(fetcher.spanId);
}, 60_000);

it('keeps a trace header the function set itself', async () => {
  const mine = 'Root=1-67a1b2c3-111111111111111111111111;Parent=2222222222222222;Sampled=1';
  const { got } = await viaFunction('/echo', { 'X-Amzn-Trace-Id': mine });
  expect(got).toBe(mine);
}, 60_000);

it('sends no trace header to another origin', async () => {
  const { port } = foreign.address() as AddressInfo;
  const { got } = await viaFunction(`http://127.0.0.1:${port}/`);
  expect(got).toBe('none');
}, 60_000);
