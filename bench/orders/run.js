// The reference app's end-to-end latency: POST /orders → createOrder function → table → stream → publishOrder
// function → signed publish mutation → every subscriber. Orders are posted one at a time (each waits for its
// 201), subscribers live in their own process. Usage: node bench/orders/run.js [--quick] [--file]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, table } from '../lib/stats.js';

const quick = process.argv.includes('--quick');
const orders = quick ? 200 : 1000;
const subscriberCount = 100;
const durable = process.argv.includes('--file');

const { createServer } = await import('../../packages/syncline/dist/index.js');
const data = durable ? mkdtempSync(join(tmpdir(), 'orders-bench-')) : ':memory:';
const server = await createServer({
  dir: fileURLToPath(new URL('../../examples/realtime-orders', import.meta.url)),
  port: 0,
  data,
  log: 'silent',
});
const child = fork(fileURLToPath(new URL('./subscribers.js', import.meta.url)));
const ask = (type) => new Promise((ok) => child.on('message', (m) => m.type === type && ok(m)));
const ready = ask('ready');
child.send({
  realtime: server.endpoints.realtime,
  graphqlHost: new URL(server.endpoints.graphql).host,
  apiKey: server.apiKey,
  count: subscriberCount,
});
await ready;

const sent = new Map();
const post = async (i) => {
  const started = performance.timeOrigin + performance.now();
  const res = await fetch(`${server.endpoints.http}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: `item ${i}`, quantity: 1, customer: 'bench' }),
  });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`POST /orders answered ${res.status}: ${JSON.stringify(body)}`);
  return { id: body.id, started };
};
for (let i = 0; i < 20; i++) await post(i); // warm-up: workers, bundles, JIT
for (let i = 0; i < orders; i++) {
  const { id, started } = await post(i);
  sent.set(id, started);
}
await new Promise((r) => setTimeout(r, 1500));
const { arrivals } = await (() => {
  const report = ask('report');
  child.send({ type: 'report' });
  return report;
})();

const latencies = [];
let missing = 0;
for (const [id, started] of sent) {
  const got = arrivals[id] ?? [];
  missing += subscriberCount - got.length;
  for (const at of got) latencies.push(at - started);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
console.log(
  `\nrealtime-orders end to end — ${machine()}; ${orders} orders posted one at a time, ${subscriberCount} subscribers, ${durable ? 'SQLite file' : ':memory:'}\n`,
);
console.log(
  table(
    ['deliveries', 'missing', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    [
      [
        latencies.length,
        missing,
        pct(0.5).toFixed(1),
        pct(0.9).toFixed(1),
        pct(0.99).toFixed(1),
        latencies.at(-1).toFixed(1),
      ],
    ],
  ),
);
child.kill();
await server.close();
if (durable) rmSync(data, { recursive: true, force: true });
