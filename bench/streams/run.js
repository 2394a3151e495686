// Stream mapping latency and throughput: PutItem through the AWS SDK to a server process whose table streams to
// a mapped function (batching window 0). Latency is from the PutItem acknowledgement (and from its send) to the
// function's invocation, both read on the wall clock; throughput is records per second through the mapping
// under concurrent writers. The function is called in-process through the FunctionRuntime port, so figures are
// the stream path itself: commit, wake-up, read, filter, event build, invoke, checkpoint. A last phase has the
// server write records itself (100 per transaction) to show the mapping's own drain rate without HTTP.
// Usage: node bench/streams/run.js [--puts 2000] [--records 20000] [--concurrency 32] [--only memory,file]
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { machine, table } from '../lib/stats.js';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const puts = Number(flag('puts', 2000));
const records = Number(flag('records', 20000));
const concurrency = Number(flag('concurrency', 32));
const only = flag('only', 'memory,file').split(',');

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = join(root, 'node_modules', '.cache', 'syncline-bench-streams');
mkdirSync(outDir, { recursive: true });
const script = join(outDir, 'server.mjs');
await build({
  entryPoints: [fileURLToPath(new URL('./server.ts', import.meta.url))],
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: script,
  logLevel: 'warning',
});

const wallNow = () => performance.timeOrigin + performance.now();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function measure(kind) {
  const data = mkdtempSync(join(tmpdir(), 'syncline-bench-streams-'));
  const child = fork(script, [kind, data], { stdio: 'inherit' });
  const invoked = new Map();
  const waiters = new Map();
  let received = 0;
  let onCount;
  const port = await new Promise((resolve) => {
    child.on('message', (m) => {
      if (m.port) return resolve(m.port);
      for (const id of m.ids) {
        invoked.set(id, m.at);
        received++;
        waiters.get(id)?.();
      }
      onCount?.();
    });
  });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const put = (id) => client.send(new PutItemCommand({ TableName: 'Bench', Item: { id: { S: id }, n: { N: '1' } } }));
  const seen = (id) => (invoked.has(id) ? Promise.resolve() : new Promise((r) => waiters.set(id, r)));

  // Latency: one write at a time, each waited for until its invocation.
  for (let i = 0; i < 200; i++) {
    await put(`warm-${i}`);
    await seen(`warm-${i}`);
  }
  const fromAck = [];
  const fromSend = [];
  for (let i = 0; i < puts; i++) {
    const id = `lat-${i}`;
    const sent = wallNow();
    await put(id);
    const acked = wallNow();
    await seen(id);
    fromAck.push(invoked.get(id) - acked);
    fromSend.push(invoked.get(id) - sent);
  }

  // Throughput: concurrent writers; records per second until the function has seen them all.
  const base = received;
  const start = wallNow();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < records) await put(`tp-${next++}`);
    }),
  );
  const written = wallNow();
  await new Promise((resolve) => {
    onCount = () => received - base >= records && resolve();
    onCount();
  });
  const done = wallNow();

  // Drain: the server writes the records itself, so the mapping's own rate shows (batches of up to 100).
  const drainBase = received;
  const drainStart = wallNow();
  child.send({ flood: records });
  await new Promise((resolve) => {
    onCount = () => received - drainBase >= records && resolve();
    onCount();
  });
  const drained = wallNow();
  client.destroy();
  child.kill();
  rmSync(data, { recursive: true, force: true });
  return {
    kind,
    ack: { p50: pct(fromAck, 50), p99: pct(fromAck, 99) },
    send: { p50: pct(fromSend, 50), p99: pct(fromSend, 99) },
    writesPerSec: records / ((written - start) / 1000),
    recordsPerSec: records / ((done - start) / 1000),
    drainPerSec: records / ((drained - drainStart) / 1000),
  };
}

const rows = [];
for (const kind of only) {
  const r = await measure(kind);
  rows.push([
    kind === 'file' ? 'SQLite file (durable on ack)' : ':memory:',
    r.ack.p50.toFixed(2),
    r.ack.p99.toFixed(2),
    r.send.p50.toFixed(2),
    r.send.p99.toFixed(2),
    Math.round(r.writesPerSec),
    Math.round(r.recordsPerSec),
    Math.round(r.drainPerSec),
  ]);
}
console.log(machine());
console.log(`latency over ${puts} sequential PutItems; throughput over ${records} records, ${concurrency} writers\n`);
console.log(
  table(
    [
      'store',
      'ack→invoke p50 ms',
      'p99 ms',
      'send→invoke p50 ms',
      'p99 ms',
      'PutItem/s (SDK)',
      'records/s via SDK writes',
      'records/s, in-process writes',
    ],
    rows,
  ),
);
