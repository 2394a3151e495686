// Write throughput (PutItem through the AWS SDK v3) of Syncline nodes: SQLite (file) against PostgreSQL on one
// node, and PostgreSQL with one, two and three nodes sharing one database, side by side. Each node is its own
// process; the load (16 requests in flight per node, fresh keys) comes from this process, spread over the nodes.
// Usage: npm run build && node bench/cluster/writes.js [--seconds 4] [--concurrency 16]
//        [--postgres postgres://postgres@127.0.0.1:5432/postgres]  (an admin URL: a scratch database is made per run)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import pg from 'pg';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const seconds = Number(flag('seconds', 4));
const concurrency = Number(flag('concurrency', 16));
const admin = flag(
  'postgres',
  process.env.SYNCLINE_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const nodeScript = fileURLToPath(new URL('./writesNode.js', import.meta.url));

function startNode(where) {
  const child = spawn(process.execPath, [nodeScript, where], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`node exited (${code})`)));
  });
}

async function withDatabase(fn) {
  const name = `syncline_bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}

/** Runs PutItem load against `ports` for `seconds` (after a 1 s warm-up); returns writes per second and p50/p99 ms. */
async function load(ports) {
  const clients = ports.map(
    (port) =>
      new DynamoDBClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      }),
  );
  let n = 0;
  let counting = false;
  let done = 0;
  const latencies = [];
  const stopAt = Date.now() + (seconds + 1) * 1000;
  setTimeout(() => (counting = true), 1000);
  const worker = async (client) => {
    while (Date.now() < stopAt) {
      const started = performance.now();
      await client.send(
        new PutItemCommand({ TableName: 'Bench', Item: { id: { S: `k${n++}` }, payload: { S: 'x'.repeat(100) } } }),
      );
      if (counting) {
        done++;
        latencies.push(performance.now() - started);
      }
    }
  };
  await Promise.all(clients.flatMap((c) => Array.from({ length: concurrency }, () => worker(c))));
  for (const c of clients) c.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  return { rps: Math.round(done / seconds), p50: pct(0.5), p99: pct(0.99) };
}

async function measure(label, wheres) {
  const nodes = [];
  for (const where of wheres) nodes.push(await startNode(where));
  try {
    const r = await load(nodes.map((n) => n.port));
    return { label, nodes: wheres.length, ...r };
  } finally {
    for (const n of nodes) n.child.kill('SIGTERM');
  }
}

const rows = [];
const dir = mkdtempSync(join(tmpdir(), 'syncline-bench-writes-'));
try {
  rows.push(await measure('SQLite file', [dir]));
  for (const count of [1, 2, 3]) {
    rows.push(await withDatabase((url) => measure('PostgreSQL', Array(count).fill(url))));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `PutItem through the AWS SDK, ${concurrency} in flight per node, ${seconds} s; ${cpus().length} CPUs (${cpus()[0].model})`,
);
console.log('storage      nodes  writes/s  p50 ms  p99 ms');
for (const r of rows) {
  console.log(
    `${r.label.padEnd(12)} ${String(r.nodes).padStart(5)} ${String(r.rps).padStart(9)} ${r.p50.padStart(7)} ${r.p99.padStart(7)}`,
  );
}
