// PutItem, GetItem and Query (100 items) per second through the real AWS SDK v3: Syncline (durable SQLite file
// and :memory:) next to dynalite, each server in its own process with the SDK load in another, and next to the
// same operations straight on better-sqlite3 (the storage floor), all measured in the same run.
// Usage: node bench/tables/run.js [--quick] [--concurrency 1,16] [--clients 2] [--seconds 5] [--rounds 3]
//        [--only syncline-file,dynalite,raw] [--wrk | --no-wrk] [--profile <dir>]
// --wrk (default in the full run) adds the servers' ceiling measured by wrk, without the SDK; --profile writes
// CPU profiles of the Syncline servers (summarize one with topFunctions.js). Each server row also reports the
// server's CPU time per operation, which other load on the machine disturbs much less than ops/s.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { child as fork } from '../lib/children.js';
import { machine, median, table } from '../lib/stats.js';
import { loadGenerator } from '../lib/wrk.js';

/** The table benchmark's own scripts, by name. */
const child = (name, args = [], execArgv = []) =>
  fork(fileURLToPath(new URL(name, import.meta.url)), args, { execArgv });

import { QUERY_ITEMS } from './items.js';
import { wrkLoad } from './wrkLoad.js';

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const quick = argv.includes('--quick');
const concurrencies = flag('concurrency', quick ? '16' : '1,16')
  .split(',')
  .map(Number);
const clients = Number(flag('clients', 1));
const seconds = Number(flag('seconds', quick ? 2 : 5));
const warmup = quick ? 0.5 : 1;
const rounds = Number(flag('rounds', quick ? 1 : 3));
const profile = flag('profile') && resolve(flag('profile'));
const withWrk = loadGenerator === 'wrk' && (argv.includes('--wrk') || (!quick && !argv.includes('--no-wrk')));
const wrkConnections = Math.max(...concurrencies);

const SYSTEMS = {
  'syncline-file': 'Syncline (SQLite file)',
  'syncline-memory': 'Syncline (:memory:)',
  dynalite: 'dynalite (in-memory)',
  raw: 'raw better-sqlite3 (file)',
};
const only = flag('only', Object.keys(SYSTEMS).join(',')).split(',');
const systems = Object.keys(SYSTEMS).filter((s) => only.includes(s));
const OPS = { put: 'PutItem', get: 'GetItem', query: `Query (${QUERY_ITEMS} items)` };
const runTimeout = (s) => (s * 2 + 30) * 1000;

if (profile) mkdirSync(profile, { recursive: true });
if (concurrencies.some((c) => !(c >= clients))) throw new Error('--concurrency must be at least --clients');

/** Sums what the load processes report for one operation; any failed request fails the measurement. */
function combine(reports) {
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const done = reports.reduce((n, r) => n + r.done, 0);
  if (failed) {
    const first = reports.find((r) => r.firstError)?.firstError;
    throw new Error(`${failed} of ${done + failed} requests failed, first: ${first}`);
  }
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return {
    rps: reports.reduce((n, r) => n + r.done / r.elapsed, 0),
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

/** Warm-up, then the measured run; with `cpu` (a server's CPU clock), also its reading before the measured run. */
async function measure(processes, op, cpu) {
  combine(await Promise.all(processes.map((p) => p.request({ type: 'run', op, seconds: warmup }, runTimeout(warmup)))));
  const before = await cpu?.();
  const result = combine(
    await Promise.all(processes.map((p) => p.request({ type: 'run', op, seconds }, runTimeout(seconds)))),
  );
  return cpu ? { result, cpu: before } : result;
}

/** One server process, `clients` SDK processes sharing `concurrency` in-flight requests (or wrk when 'wrk'). */
async function measureServer(kind, concurrency) {
  const viaWrk = concurrency === 'wrk';
  const profiling = profile && kind.startsWith('syncline');
  const server = child('server.js', [kind], profiling ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []);
  const loaders = [];
  const result = { ops: {} };
  try {
    const { endpoint } = await server.request({ type: 'start' }, 60_000);
    const processes = viaWrk ? 1 : clients;
    for (let i = 0; i < processes; i++) loaders.push(child('client.js'));
    const share = (i) => (viaWrk ? 1 : Math.floor(concurrency / clients) + (i < concurrency % clients));
    await Promise.all(
      loaders.map((c, i) => c.request({ type: 'init', endpoint, index: i, concurrency: share(i) }, 60_000)),
    );
    await loaders[0].request({ type: 'seed' }, 60_000);
    const cpu = async () => (await server.request({ type: 'cpu' }, 10_000)).cpu;
    for (const op of Object.keys(OPS)) {
      try {
        let before;
        if (viaWrk) {
          await wrkLoad({ endpoint, op, connections: wrkConnections, seconds: warmup });
          before = await cpu();
          result.ops[op] = await wrkLoad({ endpoint, op, connections: wrkConnections, seconds });
        } else {
          const measured = await measure(loaders, op, cpu);
          result.ops[op] = measured.result;
          before = measured.cpu;
        }
        // Server CPU per operation: unlike ops/s, barely moved by other processes competing for the cores.
        result.ops[op].cpu = ((await cpu()) - before) / (result.ops[op].rps * seconds);
      } catch (error) {
        result.ops[op] = { error: error.message };
      }
    }
    result.rss = (await server.request({ type: 'rss' }, 10_000)).rss;
  } catch (error) {
    result.error = error.message;
  } finally {
    await Promise.all(loaders.map((c) => c.stop({ graceful: false })));
    await server.stop();
  }
  return result;
}

/** The storage floor: one process, synchronous calls, so concurrency does not apply. */
async function measureRaw() {
  const raw = child('raw.js');
  const result = { ops: {} };
  try {
    await raw.request({ type: 'init' }, 60_000);
    for (const op of Object.keys(OPS)) {
      try {
        result.ops[op] = await measure([raw], op);
      } catch (error) {
        result.ops[op] = { error: error.message };
      }
    }
    result.rss = (await raw.request({ type: 'rss' }, 10_000)).rss;
  } catch (error) {
    result.error = error.message;
  } finally {
    await raw.stop();
  }
  return result;
}

const started = performance.now();
// Each mode is a table: SDK load at each concurrency, then (optionally) wrk without the SDK.
const modes = withWrk ? [...concurrencies, 'wrk'] : concurrencies;
// results[mode][system] = one result per round
const results = Object.fromEntries(modes.map((c) => [c, Object.fromEntries(systems.map((s) => [s, []]))]));
for (let round = 0; round < rounds; round++) {
  const rawResult = systems.includes('raw') ? await measureRaw() : undefined;
  for (const c of modes) {
    for (const s of systems) {
      const r = s === 'raw' ? rawResult : await measureServer(s, c);
      results[c][s].push(r);
      const failures = [r.error, ...Object.values(r.ops).map((o) => o.error)].filter(Boolean);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${c === 'wrk' ? 'wrk' : `c=${c}`} ${s}: ${failures.length ? `FAILED ${failures[0].replace(/\s+/g, ' ').slice(0, 300)}` : 'ok'}\n`,
      );
    }
  }
}

/** Medians over rounds; a system that failed in any round is reported as failed. */
function summarize(rs, op) {
  const failure = rs.map((r) => r.error ?? r.ops[op]?.error).find(Boolean);
  if (failure) return { error: failure };
  const os = rs.map((r) => r.ops[op]);
  const cpus = os.map((o) => o.cpu).filter((c) => c !== undefined);
  return {
    rps: median(os.map((o) => o.rps)),
    p50: median(os.map((o) => o.p50)),
    p99: median(os.map((o) => o.p99)),
    cpu: cpus.length ? median(cpus) : undefined,
  };
}

const ms = (x) => (x < 0.1 ? x.toFixed(3) : x.toFixed(2));
const times = (x) => `${x < 0.1 ? x.toPrecision(2) : x.toFixed(2)}×`;
const ratio = (a, b) => (a?.rps && b?.rps ? times(a.rps / b.rps) : '—');
// How many times less server CPU an operation takes than on dynalite.
const cpuRatio = (a, b) => (a?.cpu && b?.cpu ? times(b.cpu / a.cpu) : '—');
const mb = (rs) => {
  const rss = rs.map((r) => r.rss).filter(Boolean);
  return rss.length ? `${Math.round(median(rss) / 2 ** 20)} MB` : '—';
};

console.log(
  `\nDynamoDB tables through the AWS SDK v3 — ${machine()}\n` +
    `Servers each in their own process; load from ${clients} SDK process${clients > 1 ? 'es' : ''}; ` +
    `${warmup}s warm-up then ${seconds}s per operation × ${rounds} round${rounds > 1 ? 's' : ''}, medians; ` +
    `~95-byte items; data files under ${tmpdir()}; raw = synchronous calls in one process, no concurrency. ` +
    "Server CPU µs/op: the server process's CPU time (user + system) over the measured run, per operation; " +
    '"CPU: dynalite ÷" is dynalite\'s figure divided by this one (how many times less CPU an operation costs).',
);
for (const c of modes) {
  const rows = [];
  for (const [op, opName] of Object.entries(OPS)) {
    const base = summarize(results[c].dynalite ?? [], op);
    const floor = summarize(results[c].raw ?? [], op);
    for (const s of systems) {
      const r = summarize(results[c][s], op);
      rows.push(
        r.error
          ? [opName, SYSTEMS[s], `**failed**: ${r.error.replace(/\s+/g, ' ').slice(0, 160)}`, '', '', '', '', '', '']
          : [
              opName,
              SYSTEMS[s],
              Math.round(r.rps).toLocaleString('en-US'),
              ms(r.p50),
              ms(r.p99),
              s === 'dynalite' ? '1.00×' : ratio(r, base),
              s === 'raw' ? '1.00×' : ratio(r, floor),
              r.cpu === undefined ? '—' : Math.round(r.cpu).toLocaleString('en-US'),
              s === 'raw' ? '—' : s === 'dynalite' ? '1.00×' : cpuRatio(r, base),
            ],
      );
    }
  }
  console.log(
    c === 'wrk'
      ? `\n**Server ceiling without the SDK**: wrk, 1 thread, ${wrkConnections} connections, same request bodies\n`
      : `\n**AWS SDK v3, ${c} request${c > 1 ? 's' : ''} in flight** from ${clients} process${clients > 1 ? 'es' : ''}\n`,
  );
  console.log(
    table(
      [
        'operation',
        'system',
        'ops/s',
        'p50 ms',
        'p99 ms',
        '÷ dynalite',
        '÷ raw',
        'server CPU µs/op',
        'CPU: dynalite ÷',
      ],
      rows,
    ),
  );
  console.log(`\nRSS after the run: ${systems.map((s) => `${SYSTEMS[s]} ${mb(results[c][s])}`).join(', ')}`);
}
console.log(
  `\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s.${profile ? ` CPU profiles in ${profile}` : ''}`,
);
