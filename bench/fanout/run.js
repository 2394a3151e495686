// Fan-out: one mutation delivered to 1,000 and 10,000 WebSocket subscribers on loopback, Syncline next to a raw
// `ws` server broadcasting the same bytes. Server and load generators are separate processes; sockets are spread
// over the generators. Prints deliveries/s, mutation-to-delivery p50/p99, and server RSS per idle connection
// holding one subscription. Usage: node bench/fanout/run.js [--quick]; FANOUT_SIZES=1000,5000 picks sizes.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { machine, median, table } from '../lib/stats.js';

const quick = process.argv.includes('--quick');
const sizes = process.env.FANOUT_SIZES
  ? process.env.FANOUT_SIZES.split(',').map(Number)
  : quick
    ? [1_000]
    : [1_000, 10_000];
const mutations = quick ? 5 : 10;
const generators = 2;
// Unmeasured mutations first, so both servers are measured with their send paths compiled.
const WARMUP = 3;
const app = fileURLToPath(new URL('./app', import.meta.url));
const QUERY = 'subscription { onCreateOrder { id item quantity sentAt } }';
const now = () => performance.timeOrigin + performance.now();

function child(file, execArgv = []) {
  const proc = fork(fileURLToPath(new URL(file, import.meta.url)), [], { execArgv });
  const call = (msg) =>
    new Promise((resolve, reject) => {
      proc.once('message', (reply) => (reply.ok ? resolve(reply) : reject(new Error(reply.error))));
      proc.send(msg);
    });
  return { call, kill: () => proc.kill() };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function frameFor(i, sentAt) {
  const payload = { data: { onCreateOrder: { id: String(i), item: 'tea', quantity: 1, sentAt: String(sentAt) } } };
  return `{"type":"data","id":"1","payload":${JSON.stringify(payload)}}`;
}

async function run(kind, subscribers) {
  // --expose-gc so the RSS figures are read after a collection.
  const server = child('./server.js', ['--expose-gc']);
  const gens = Array.from({ length: generators }, () => child('./subscribers.js'));
  try {
    const started = await server.call({ cmd: 'start', kind, app });
    const apiKey = started.apiKey ?? 'none';
    const share = Math.ceil(subscribers / generators);
    await Promise.all(
      gens.map((g, i) =>
        g.call({
          cmd: 'connect',
          url: started.url,
          apiKey,
          query: QUERY,
          count: Math.min(share, subscribers - i * share),
        }),
      ),
    );
    const { rss } = await server.call({ cmd: 'rss' });
    const rssPerConnection = (rss - started.rss) / subscribers;

    const rates = [];
    const latencies = [];
    for (let m = 0; m < mutations + WARMUP; m++) {
      await Promise.all(gens.map((g) => g.call({ cmd: 'reset' })));
      const sentAt = now();
      if (kind === 'raw') {
        await server.call({ cmd: 'broadcast', frame: frameFor(m, sentAt) });
      } else {
        const res = await fetch(started.graphql, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
          body: JSON.stringify({
            query:
              'mutation ($id: ID!, $s: String!) { createOrder(id: $id, item: "tea", quantity: 1, sentAt: $s) { id item quantity sentAt } }',
            variables: { id: String(m), s: String(sentAt) },
          }),
        });
        await res.json();
      }
      const reports = await Promise.all(
        gens.map((g, i) =>
          g.call({ cmd: 'wait', expected: Math.min(share, subscribers - i * share), timeoutMs: 20_000 }),
        ),
      );
      const received = reports.reduce((n, r) => n + r.received, 0);
      if (received !== subscribers) throw new Error(`${kind}: ${received}/${subscribers} deliveries`);
      if (m < WARMUP) continue;
      const lastAt = Math.max(...reports.map((r) => r.lastAt));
      rates.push(subscribers / ((lastAt - sentAt) / 1000));
      for (const r of reports) latencies.push(...r.latencies);
      await new Promise((r) => setTimeout(r, 20));
    }
    latencies.sort((a, b) => a - b);
    const { sendLoops } = await server.call({ cmd: 'sendLoops' });
    // Server-side: the synchronous loop that frames and writes every socket (first one is the warm-up).
    const sendRate = median(sendLoops.slice(WARMUP).map((l) => l.n / (l.ms / 1000)));
    await Promise.all(gens.map((g) => g.call({ cmd: 'close' })));
    await server.call({ cmd: 'stop' });
    return {
      rate: median(rates),
      sendRate,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      rssPerConnection,
    };
  } finally {
    server.kill();
    for (const g of gens) g.kill();
  }
}

const rounds = quick ? 1 : 2;
const rows = [];
for (const n of sizes) {
  // Alternating rounds, medians: the box is shared, and one unlucky run should not decide the ratio.
  const results = { raw: [], syncline: [] };
  for (let r = 0; r < rounds; r++) {
    results.raw.push(await run('raw', n));
    results.syncline.push(await run('syncline', n));
  }
  const med = (list) => Object.fromEntries(Object.keys(list[0]).map((k) => [k, median(list.map((x) => x[k]))]));
  const raw = med(results.raw);
  const syncline = med(results.syncline);
  const fmt = (r) => [
    Math.round(r.rate).toLocaleString('en-US'),
    Math.round(r.sendRate).toLocaleString('en-US'),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    `${(r.rssPerConnection / 1024).toFixed(1)} KB`,
  ];
  rows.push([`raw ws broadcast`, n.toLocaleString('en-US'), ...fmt(raw), '1.00', '1.00']);
  rows.push([
    `Syncline (AppSync protocol)`,
    n.toLocaleString('en-US'),
    ...fmt(syncline),
    (syncline.rate / raw.rate).toFixed(2),
    (syncline.sendRate / raw.sendRate).toFixed(2),
  ]);
}
console.log(
  `\nSubscription fan-out over WebSocket on loopback — ${machine()}; ${generators} load-generator processes, ` +
    `${mutations} mutations per run, ${rounds} alternating runs per server (medians)\n`,
);
console.log(
  table(
    [
      'server',
      'subscribers',
      'deliveries/s (end to end)',
      'server send loop/s',
      'p50 ms',
      'p99 ms',
      'RSS / idle conn',
      'e2e vs raw',
      'send loop vs raw',
    ],
    rows,
  ),
);
