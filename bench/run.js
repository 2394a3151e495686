// One performance report: Syncline next to its peers and raw baselines, measured in the same run, as curves.
// Every server and every load generator runs in a child process of this one (all killed when it exits); the
// report (medians and ratios, the machine, the method) goes to stdout and to bench/results/latest.md, with an
// SVG chart of each curve beside it. Usage: npm run bench [-- --quick] [-- --only graphql,fanout,...]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGenerator } from './lib/wrk.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyAt = argv.indexOf('--only');
const SECTIONS = ['graphql', 'fanout', 'tables', 'streams', 'functions', 'orders'];
const only = onlyAt === -1 ? SECTIONS : argv[onlyAt + 1].split(',');
// A partial run (--only) or a quick one must not replace the complete report.
const outDir = join(here, 'results', ...(onlyAt === -1 && !quick ? [] : ['partial']));
const startedAt = new Date();
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)}s`;
const progress = (line) => process.stderr.write(`[${elapsed()}] ${line}\n`);

// The peers live in their own npm project (graphql 15 for the AppSync simulator must not meet the engine's 16).
if (!existsSync(join(here, 'peers', 'node_modules'))) {
  progress('installing bench/peers (first run)…');
  const r = spawnSync('npm', ['install', '--prefix', join(here, 'peers'), '--no-audit', '--no-fund'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) progress('npm install in bench/peers failed; the peers will be reported as failed');
}

const { fanout, FANOUT_SERVERS } = await import('./report/fanout.js');
const { graphqlHttp, GRAPHQL_SERVERS } = await import('./report/graphql.js');
const { streams } = await import('./report/streams.js');
const { tables, TABLE_OPS, TABLE_SYSTEMS } = await import('./report/tables.js');
const { svgChart } = await import('./lib/svgChart.js');
const { table } = await import('./lib/stats.js');

const P = quick
  ? {
      graphql: { rounds: 1, seconds: 1, connections: 32 },
      fanout: { sizes: [100, 1_000], rounds: 1, mutations: 2, warmup: 1, timeoutMs: 15_000 },
      tables: { sizes: [10_000, 100_000], rounds: 1, seconds: 1, connections: 16, warmup: false },
      streams: { stores: ['memory'], rates: [100, 500], seconds: 1.5 },
    }
  : {
      graphql: { rounds: 3, seconds: 5, connections: 32 },
      fanout: {
        sizes: [100, 1_000, 5_000, 15_000],
        rounds: 2,
        bigRounds: 1,
        mutations: 10,
        warmup: 3,
        timeoutMs: 30_000,
      },
      tables: { sizes: [10_000, 100_000, 1_000_000], rounds: 4, seconds: 3, connections: 16 },
      streams: { stores: ['memory', 'file'], rates: [100, 250, 500, 1_000, 2_000], seconds: 6 },
    };

// ---- the machine ----
const git = (args) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const cpus = os.cpus();
const machine = {
  cores: cpus.length,
  cpu: cpus[0]?.model ?? 'unknown CPU',
  memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  node: process.version,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  loadStart: os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / '),
  openFiles: spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim(),
  commit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'packages']) ? ' (with uncommitted changes in packages/)' : ''}`,
};

// ---- formatting ----
const n0 = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) =>
  x === undefined || !Number.isFinite(x) ? '—' : x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1);
const times = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
const ratio = (r) => (r ? `${r.toFixed(2)}×` : '—');
const memoryCell = (r) =>
  !r?.rss
    ? '—'
    : `${n0(r.rss / 2 ** 20)} MB${r.fileRss > 64 * 2 ** 20 ? ` (${n0(r.fileRss / 2 ** 20)} MB of it mapped file pages)` : ''}`;
const failedCell = (e) => `failed: ${String(e).replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 160)}`;
const charts = [];
const chart = (file, spec) => {
  charts.push({ file, svg: svgChart(spec) });
  return `![${spec.title}](${file})`;
};

/** Runs one section; a section that throws is reported as failed with its reason, never as zeros. */
async function section(name, title, fn) {
  if (!only.includes(name)) return '';
  progress(`── ${title}`);
  const t = performance.now();
  try {
    const md = await fn();
    progress(`── ${title}: ${((performance.now() - t) / 1000).toFixed(0)} s`);
    return `## ${title}\n\n${md}\n\n_Section time: ${((performance.now() - t) / 1000).toFixed(0)} s._\n`;
  } catch (error) {
    progress(`── ${title}: FAILED ${error.stack ?? error}`);
    return `## ${title}\n\n**${failedCell(error.message)}**\n`;
  }
}

// ---- 1. GraphQL over HTTP ----
const graphqlMd = await section('graphql', '1. GraphQL `{ hello }` over HTTP', async () => {
  const p = P.graphql;
  const servers = Object.keys(GRAPHQL_SERVERS);
  const r = await graphqlHttp({ ...p, servers, progress });
  const raw = r.raw?.rps;
  const sync = r.syncline?.rps;
  const rows = servers.map((s) =>
    r[s].error
      ? [GRAPHQL_SERVERS[s], failedCell(r[s].error), '', '', '', '', '']
      : [
          GRAPHQL_SERVERS[s],
          n0(r[s].rps),
          ms(r[s].p50),
          ms(r[s].p99),
          n0(r[s].cpu),
          times(r[s].rps, raw),
          times(sync, r[s].rps),
        ],
  );
  return [
    `wrk (${loadGenerator === 'wrk' ? 'C, 1 thread' : 'Node fallback'}) in its own process, ${p.connections} keep-alive connections, POST \`{"query":"{ hello }"}\`; ` +
      `1 s warm-up then ${p.seconds} s per server × ${p.rounds} round${p.rounds > 1 ? 's' : ''} (servers alternate within a round), medians. ` +
      'Every server returns `Hello, world!` from a resolver (Syncline and the simulator: a NONE data source with an APPSYNC_JS / VTL resolver; ' +
      "the others: a JS function). Syncline and the simulator check an API key. Server CPU = the server process's user+system time over the run, per request.",
    '',
    table(['server', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'vs raw', 'Syncline ÷ this'], rows),
  ].join('\n');
});

// ---- 2. Fan-out ----
let fanoutResults;
const fanoutMd = await section(
  'fanout',
  '2. Subscription fan-out: deliveries/s and latency as subscribers grow',
  async () => {
    const p = P.fanout;
    const servers = Object.keys(FANOUT_SERVERS);
    fanoutResults = await fanout({ ...p, servers, progress });
    const rows = [];
    for (const n of p.sizes) {
      for (const s of servers) {
        const x = fanoutResults[n][s];
        const raw = fanoutResults[n].raw;
        rows.push(
          x.error
            ? [FANOUT_SERVERS[s], n0(n), failedCell(x.error), '', '', '', '']
            : [
                FANOUT_SERVERS[s],
                n0(n),
                n0(x.rate),
                ms(x.p50),
                ms(x.p99),
                raw?.rate ? times(x.rate, raw.rate) : '—',
                `${x.connectSeconds.toFixed(1)} s`,
              ],
        );
      }
    }
    const series = (metric) =>
      servers.map((s) => ({
        name: FANOUT_SERVERS[s],
        points: p.sizes.filter((n) => !fanoutResults[n][s].error).map((n) => [n, fanoutResults[n][s][metric]]),
      }));
    return [
      'One mutation sent over HTTP (`createOrder`, returning its arguments); every subscriber holds `subscription { onCreateOrder { id item quantity sentAt } }`. ' +
        `Subscriber sockets are spread over ⌈n / 4,000⌉ load-generator processes, each leaving from its own 127.0.0.x source address. ` +
        `Per run: connect, a readiness probe (graphql-transport-ws does not acknowledge a subscription, so mutations are sent until every socket got one), ` +
        `${p.warmup} warm-up mutation${p.warmup > 1 ? 's' : ''}, then ${p.mutations} measured mutations, one at a time. ` +
        'deliveries/s = subscribers ÷ (last delivery − mutation sent), median over all measured mutations of ' +
        `${p.rounds} run${p.rounds > 1 ? 's' : ''}${p.bigRounds && p.bigRounds !== p.rounds ? ` (${p.bigRounds} at 5,000 subscribers and more)` : ''}; p50/p99 over every single delivery (mutation sent → frame read by the subscriber, wall clock). ` +
        'The raw baseline is a node:http + `ws` server that, on the same mutation request, sends one prebuilt frame to every socket.',
      '',
      table(['server', 'subscribers', 'deliveries/s', 'p50 ms', 'p99 ms', 'vs raw', 'connect time'], rows),
      '',
      chart('fanout-deliveries.svg', {
        title: 'Fan-out: deliveries per second',
        xLabel: 'subscribers',
        yLabel: 'deliveries/s',
        xLog: true,
        series: series('rate'),
      }),
      chart('fanout-p99.svg', {
        title: 'Fan-out: p99 mutation → delivery latency',
        xLabel: 'subscribers',
        yLabel: 'p99 ms',
        xLog: true,
        yLog: true,
        series: series('p99'),
      }),
    ].join('\n');
  },
);

// ---- 3. Memory per connection (from the fan-out runs) ----
const memoryMd = await section('fanout', '3. Server memory per idle subscribed connection', async () => {
  if (!fanoutResults) throw new Error('the fan-out section did not produce results');
  // Below 1,000 connections the per-connection share drowns in the process's own RSS noise.
  const sizes = P.fanout.sizes.filter((n) => n >= 1_000);
  const servers = Object.keys(FANOUT_SERVERS);
  const rows = servers.map((s) => [
    FANOUT_SERVERS[s],
    ...sizes.map((n) => {
      const x = fanoutResults[n][s];
      return x.error ? 'failed' : `${(x.perConnection / 1024).toFixed(1)} KB`;
    }),
  ]);
  return [
    'Server process RSS after connecting n sockets (each with one subscription, idle) minus its RSS once started with none, ' +
      'both read after three forced GCs (`--expose-gc`), divided by n. Measured in the fan-out runs above (median of runs); sizes under 1,000 are left out (noise).',
    '',
    table(['server', ...sizes.map((n) => `${n0(n)} conns`)], rows),
    '',
    chart('memory-per-connection.svg', {
      title: 'Server RSS per idle subscribed connection',
      xLabel: 'connections',
      yLabel: 'KB per connection',
      xLog: true,
      series: servers.map((s) => ({
        name: FANOUT_SERVERS[s],
        points: sizes
          .filter((n) => !fanoutResults[n][s].error && n >= 1000)
          .map((n) => [n, fanoutResults[n][s].perConnection / 1024]),
      })),
    }),
  ].join('\n');
});

// ---- 4. Tables ----
const tablesMd = await section('tables', '4. Tables: PutItem / GetItem / Query as the table grows', async () => {
  const p = P.tables;
  const systems = Object.keys(TABLE_SYSTEMS);
  const { results, failed } = await tables({ ...p, systems, progress });
  const rows = [];
  for (const size of p.sizes) {
    for (const [op, opName] of Object.entries(TABLE_OPS)) {
      for (const s of systems) {
        const x = results[size]?.[s]?.[op] ?? { error: failed[s] ?? 'not measured' };
        rows.push(
          x.error
            ? [n0(size), opName, TABLE_SYSTEMS[s], failedCell(x.error), '', '', '', '', '', '']
            : [
                n0(size),
                opName,
                TABLE_SYSTEMS[s],
                n0(x.rps),
                ms(x.p50),
                ms(x.p99),
                ratio(x.vsDynalite),
                ratio(x.vsDynaliteDisk),
                ratio(x.vsFloor),
                ratio(x.vsRaw),
              ],
        );
      }
    }
  }
  const rss = systems.map((s) => `${TABLE_SYSTEMS[s]} ${memoryCell(results[p.sizes.at(-1)]?.[s])}`).join(', ');
  return [
    `Each table holds n items of ~95 bytes, 100 per partition. Servers are loaded by wrk (${p.connections} connections, 1 thread, own process) ` +
      'with DynamoDB JSON requests whose keys a Lua script draws at random over all n items; every response is checked (GetItem must return the item, ' +
      'Query exactly 100 items) and any failed check fails the figure. PutItem writes new items. ' +
      `${p.warmup === false ? 'No warm-up (--quick)' : '1 s warm-up in the first round'}, then ${p.seconds} s per operation × ${p.rounds} round${p.rounds > 1 ? 's' : ''}; ` +
      'in each round one operation runs on every system back to back (the first system rotating), and the ratio columns are the median of ' +
      "the rounds' ratios between those neighbouring measurements (this machine's speed drifts over tens of seconds); ops/s and latencies are medians. " +
      'Syncline runs its durable default (SQLite file, WAL, fsync of the WAL before each group of writes is acknowledged) and, like for like with dynalite, ' +
      'which keeps everything in memory and writes nothing to disk, with `:memory:` data. ' +
      "dynalite on disk is the file figures' persistent peer: its LevelDB files are written without fsync, so a power " +
      "loss may take writes it acknowledged; Syncline's file may not lose any. " +
      'The HTTP floor is the least a single-threaded Node server can do for these requests (bench/report/tableFloor.js): JSON.parse, one ' +
      "prepared statement on an in-memory better-sqlite3 database, DynamoDB's response headers, each turn's answers written together; no validation or DynamoDB semantics. " +
      'raw = the same operations as synchronous better-sqlite3 calls in one process (WAL, synchronous=FULL), no HTTP, one at a time. ' +
      "Tables are filled through each store's own API (Syncline file: its engine's PutItem on a second SQLite connection; Syncline :memory:: BatchWriteItem " +
      'over HTTP, as a :memory: database belongs to its connection; dynalite: its LevelDB batch); ' +
      'only the first 100 items go through BatchWriteItem over HTTP. ' +
      "Syncline's PutItem can outrun raw: it commits the writes that arrive together and fsyncs them once, on a background " +
      'thread while it parses the next requests (decision 0004), while raw, one call at a time, pays one fsync per write on its only thread.',
    '',
    table(
      [
        'items',
        'operation',
        'system',
        'ops/s',
        'p50 ms',
        'p99 ms',
        '÷ dynalite',
        '÷ dynalite disk',
        '÷ floor',
        '÷ raw',
      ],
      rows,
    ),
    '',
    `RSS at ${n0(p.sizes.at(-1))} items: ${rss}.`,
    '',
    ...Object.entries(TABLE_OPS).map(([op, opName]) =>
      chart(`tables-${op}.svg`, {
        title: `${opName}: operations per second`,
        xLabel: 'items in the table',
        yLabel: 'ops/s',
        xLog: true,
        yLog: true,
        series: systems.map((s) => ({
          name: TABLE_SYSTEMS[s],
          points: p.sizes.filter((n) => results[n]?.[s]?.[op]?.rps).map((n) => [n, results[n][s][op].rps]),
        })),
      }),
    ),
  ].join('\n');
});

// ---- 5. Streams ----
const streamsMd = await section('streams', '5. Stream → function latency as the write rate grows', async () => {
  const p = P.streams;
  const r = await streams({ ...p, progress });
  const rows = [];
  for (const store of p.stores) {
    for (const rate of p.rates) {
      const x = r[store].error ? { error: r[store].error } : r[store][rate];
      const name = store === 'file' ? 'SQLite file' : ':memory:';
      rows.push(
        !x || x.error
          ? [name, n0(rate), failedCell(x?.error ?? 'not measured'), '', '', '', '', '']
          : [
              name,
              n0(rate),
              n0(x.offered),
              ms(x.p50),
              ms(x.p99),
              ms(x.writeP50),
              ms(x.writeP99),
              ms(x.p50 - x.writeP50),
            ],
      );
    }
  }
  return [
    'PutItem (raw HTTP, keep-alive, up to 64 in flight) at a fixed rate — open loop: the k-th write is sent at start + k/rate whatever the earlier ones did — ' +
      "into a table whose stream (NEW_IMAGE) is mapped to a function (batch size 100, batching window 0) running in Syncline's functions runtime (worker thread). " +
      'The function notes the wall-clock time it was invoked and reports it to the load generator. ' +
      `1 s warm-up at 100 writes/s, then ${p.seconds} s per rate. Latency = PutItem sent → function invoked with that record. ` +
      'No peer runs this path: dynalite silently ignores StreamSpecification and has no Streams API; the AppSync simulator has no tables. ' +
      "The baseline is therefore the write's own round trip (PutItem sent → answered) at the same rate.",
    '',
    table(
      [
        'store',
        'writes/s asked',
        'writes/s sent',
        'send→invoke p50 ms',
        'p99 ms',
        'PutItem p50 ms',
        'PutItem p99 ms',
        'stream adds (p50)',
      ],
      rows,
    ),
    '',
    chart('streams-latency.svg', {
      title: 'Stream → function: PutItem sent → function invoked',
      xLabel: 'writes per second',
      yLabel: 'ms',
      yLog: true,
      series: p.stores.flatMap((store) =>
        ['p50', 'p99'].map((k) => ({
          name: `${store === 'file' ? 'file' : ':memory:'} ${k}`,
          points: p.rates
            .filter((rate) => r[store]?.[rate] && !r[store][rate].error)
            .map((rate) => [rate, r[store][rate][k]]),
        })),
      ),
    }),
  ].join('\n');
});

// ---- 6 and 7. Benchmarks without peers, run as they are ----
function runScript(script, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(here, script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim());
      else reject(new Error(`${script} exited ${signal ?? code}: ${err.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
const embedded = (name, title, script, args, note) =>
  section(name, title, async () => {
    if (quick) return '_Skipped by `--quick` (it has no peer to compare with); run without `--quick`._';
    const out = await runScript(script, args, 300_000);
    return `${note}\n\n${out.replace(/^\n+/, '')}`;
  });
const functionsMd = await embedded(
  'functions',
  '6. Function invocation behind an HTTP route',
  'functions/run.js',
  [],
  'Output of `bench/functions/run.js` (server in that process, wrk in its own): an empty handler behind an HTTP route vs raw node:http.',
);
const ordersMd = await embedded(
  'orders',
  '7. The reference app end to end',
  'orders/run.js',
  ['--file'],
  'Output of `bench/orders/run.js --file`: POST /orders → function → table → stream → function → mutation → 100 subscribers.',
);

// ---- the report ----
const loadEnd = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
const report = [
  `# Syncline performance report${quick ? ' (quick)' : ''}`,
  '',
  `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${startedAt.toISOString()} in ${elapsed()}.`,
  '',
  '| machine | |',
  '|---|---|',
  `| CPU | ${machine.cores} × ${machine.cpu} |`,
  `| memory | ${machine.memory} |`,
  `| OS | ${machine.os} |`,
  `| Node | ${machine.node} |`,
  `| open files per process | ${machine.openFiles} |`,
  `| load average (1 / 5 / 15 min) | at start ${machine.loadStart}; at end ${loadEnd} |`,
  `| Syncline commit | ${machine.commit} |`,
  '',
  '> **Read with care.** Every server, load generator and wrk shares these cores: on a 2-core machine the load generator competes with the server it measures, ' +
    'and this machine is shared with other work (see the load average), so figures move from run to run by 10–30 %. Ratios measured in the same run are ' +
    "steadier than absolute numbers. Nothing is hard-coded: every figure, including each peer's and baseline's, was measured in this run; a benchmark that could not " +
    'run says `failed: <reason>`.',
  '',
  'Peers (bench/peers, its own npm project): Mercurius + graphql-jit, Apollo Server 5, GraphQL Yoga 5 (graphql 16), ' +
    '`@aws-amplify/amplify-appsync-simulator` 2.16 (graphql 15.11.0 via an npm override scoped to it), dynalite. ' +
    'Raw baselines: node:http, `ws` broadcast, better-sqlite3.',
  '',
  graphqlMd,
  fanoutMd,
  memoryMd,
  tablesMd,
  streamsMd,
  functionsMd,
  ordersMd,
  '## What is not measured, and why',
  '',
  '- **AppSync simulator realtime** works only with auth in the `?header=` query parameter (it ignores the `header-` subprotocol current Amplify sends), so the fan-out load generator uses that handshake for it. It has no tables, streams or Lambda runtime of its own, so it appears only in sections 1–3.',
  '- **General-purpose servers** have no AppSync protocol: they are measured with graphql-ws (`graphql-transport-ws`), their documented subscription transport; Apollo Server 5 has no subscription transport of its own and uses graphql-ws with the same schema (as Apollo documents).',
  '- **dynalite** has no streams, TTL or transactions, so it appears only in section 4.',
  '- **GraphQL Yoga over HTTP** measures far below the figures its authors publish; a spot check with NODE_ENV=production changed nothing. It is reported as measured, not explained.',
  '- **Real AWS** (AppSync, DynamoDB, Lambda) is not measured: this report runs offline on one machine.',
  quick
    ? '- `--quick` stops the table curve at 100k items and the fan-out curve at 1,000 subscribers, runs one round with short measurements (tables without warm-up), and skips sections 6 and 7.'
    : '',
  '',
];
const md = report.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n');
mkdirSync(outDir, { recursive: true });
for (const c of charts) writeFileSync(join(outDir, c.file), c.svg);
writeFileSync(join(outDir, 'latest.md'), md);
console.log(md);
progress(`report written to ${join(outDir, 'latest.md').slice(root.length)} with ${charts.length} charts`);
process.exit(0);
