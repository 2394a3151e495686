// Cluster fan-out: deliveries per second with one, two and three Syncline nodes side by side, over the in-process
// default (one node only: it cannot span processes), Redis and NATS. Every node is its own process; subscribers
// are spread evenly over the nodes from two subscriber processes; a mutator process keeps createOrder mutations
// in flight round-robin over the nodes, so most deliveries cross the broker. Measured over a fixed window after
// a warm-up, then the run drains and checks that every mutation reached every subscriber.
// Usage: node bench/cluster/fanout.js [--quick]  (needs `npm run build -w syncline`; brokers on 6379 and 4222;
// CLUSTER_SUBSCRIBERS, CLUSTER_IN_FLIGHT, REDIS_URL, NATS_URL override the defaults)
import { fork } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine, table } from '../lib/stats.js';

const quick = process.argv.includes('--quick');
const SUBSCRIBERS = Number(process.env.CLUSTER_SUBSCRIBERS ?? 300);
const IN_FLIGHT = Number(process.env.CLUSTER_IN_FLIGHT ?? 8);
const WARMUP_MS = quick ? 500 : 1000;
const WINDOW_MS = quick ? 1500 : 3000;
const API_KEY = 'da2-fanoutbenchkey00000000';
const brokers = {
  memory: 'memory',
  redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
};

const dist = fileURLToPath(new URL('../../packages/syncline/dist/cluster/index.js', import.meta.url));
try {
  statSync(dist);
} catch {
  console.error('bench/cluster/fanout.js runs the built package: run `npm run build -w syncline` first');
  process.exit(1);
}

function child(file) {
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let queue = Promise.resolve();
  // One request at a time per child: replies carry no id, so they must come back in order.
  const call = (msg) => {
    const reply = queue.then(
      () =>
        new Promise((resolve, reject) => {
          proc.once('message', (r) => (r.ok ? resolve(r) : reject(new Error(r.error))));
          proc.send(msg);
        }),
    );
    queue = reply.catch(() => {});
    return reply;
  };
  return { call, kill: () => proc.kill('SIGKILL') };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function run(adapter, nodeCount) {
  const nodes = Array.from({ length: nodeCount }, () => child('./fanoutNode.js'));
  const subscriberProcs = [child('./fanoutClients.js'), child('./fanoutClients.js')];
  const mutator = child('./fanoutClients.js');
  try {
    const started = await Promise.all(nodes.map((n) => n.call({ cmd: 'start', pubsub: brokers[adapter] })));
    // Subscriber i goes to node i mod n; each subscriber process holds every other one.
    await Promise.all(
      subscriberProcs.map((proc, p) => {
        const targets = started.map((node, i) => ({
          url: node.realtime,
          count: Array.from({ length: SUBSCRIBERS }, (_, s) => s).filter((s) => s % nodeCount === i && s % 2 === p)
            .length,
        }));
        return proc.call({ cmd: 'subscribe', apiKey: API_KEY, targets });
      }),
    );
    const total = async (reset) => {
      const counts = await Promise.all(subscriberProcs.map((p) => p.call({ cmd: 'count', reset })));
      return { received: counts.reduce((n, c) => n + c.received, 0), latencies: counts.flatMap((c) => c.latencies) };
    };
    await mutator.call({
      cmd: 'mutate',
      endpoints: started.map((s) => s.graphql),
      apiKey: API_KEY,
      inFlight: IN_FLIGHT,
    });
    await sleep(WARMUP_MS);
    const before = await total(true);
    const t0 = performance.now();
    await sleep(WINDOW_MS);
    const after = await total(true);
    const seconds = (performance.now() - t0) / 1000;
    const { mutations } = await mutator.call({ cmd: 'stopMutating' });
    const expected = mutations * SUBSCRIBERS;
    let delivered = 0;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
      delivered = (await total(false)).received;
      if (delivered >= expected) break;
    }
    const states = await Promise.all(nodes.map((n) => n.call({ cmd: 'state' })));
    await Promise.all(subscriberProcs.map((p) => p.call({ cmd: 'close' })));
    await Promise.all(nodes.map((n) => n.call({ cmd: 'stop' })));
    const latencies = after.latencies.sort((a, b) => a - b);
    return {
      deliveries: (after.received - before.received) / seconds,
      mutationsPerSecond: (after.received - before.received) / seconds / SUBSCRIBERS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      complete: delivered === expected,
      delivered,
      expected,
      dropped: states.reduce((n, s) => n + s.state.dropped, 0),
    };
  } finally {
    for (const proc of [...nodes, ...subscriberProcs, mutator]) proc.kill();
  }
}

const plan = [
  ['memory', 1],
  ['redis', 1],
  ['nats', 1],
  ['redis', 2],
  ['nats', 2],
  ['redis', 3],
  ['nats', 3],
];
const started = Date.now();
const results = new Map();
for (const [adapter, n] of plan) {
  const r = await run(adapter, n);
  results.set(`${adapter}/${n}`, r);
  if (!r.complete) console.error(`${adapter} × ${n}: ${r.delivered}/${r.expected} deliveries arrived`);
}

const fmt = (r) =>
  r
    ? `${Math.round(r.deliveries).toLocaleString('en-US')} (${Math.round(r.mutationsPerSecond)} mut/s, p50 ${r.p50.toFixed(1)} / p99 ${r.p99.toFixed(1)} ms)`
    : '—';
console.log(
  `\nCluster fan-out on loopback — ${machine()}; ${SUBSCRIBERS} AppSync-protocol subscribers spread over the nodes, ` +
    `${IN_FLIGHT} mutations in flight round-robin over the nodes, ${WINDOW_MS} ms window after ${WARMUP_MS} ms warm-up. ` +
    `Cells: deliveries/s (mutations/s, mutation-to-delivery latency). Every node, broker and load generator shares this machine's cores.\n`,
);
console.log(
  table(
    ['pub/sub', '1 node', '2 nodes', '3 nodes', 'all delivered'],
    ['memory', 'redis', 'nats'].map((adapter) => [
      adapter,
      ...[1, 2, 3].map((n) => fmt(results.get(`${adapter}/${n}`))),
      [1, 2, 3].every((n) => results.get(`${adapter}/${n}`)?.complete !== false) ? 'yes' : 'NO',
    ]),
  ),
);
console.log(`\n(one run per cell, ${Math.round((Date.now() - started) / 1000)} s in all${quick ? ', --quick' : ''})`);
