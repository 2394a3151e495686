// Table PutItem / GetItem / Query (100 items) as the table grows: Syncline (SQLite file, durable on ack; and
// :memory:, like dynalite), dynalite (in memory, and LevelDB on disk) and the HTTP floor (tableFloor.js), each in
// its own process and loaded by wrk, next to the same operations on better-sqlite3 in one process (the storage
// floor).
// Tables are filled straight through each store's own API, a :memory: Syncline through BatchWriteItem (setup, not
// measured), after 100 items went through BatchWriteItem over HTTP.
import { fileURLToPath } from 'node:url';
import { child } from '../lib/children.js';
import { median } from '../lib/stats.js';
import { tableWrk } from './tableWrk.js';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));

export const TABLE_SYSTEMS = {
  'syncline-file': 'Syncline (SQLite file)',
  // Like for like with dynalite, which keeps its tables in memory and writes nothing to disk.
  'syncline-memory': 'Syncline (:memory:)',
  dynalite: 'dynalite (in-memory)',
  // The persistent peer of the file figures: LevelDB files written without fsync (a process crash keeps what the
  // OS has, a power loss may not), where Syncline's file fsyncs before it acknowledges.
  'dynalite-disk': 'dynalite (LevelDB on disk)',
  // What no single-threaded Node server goes under: JSON.parse, one statement, a turn's answers written together
  // (tableFloor.js).
  floor: 'HTTP floor (minimal Node server, memory)',
  raw: 'raw better-sqlite3 (file, in-process)',
};
export const TABLE_OPS = { put: 'PutItem', get: 'GetItem', query: 'Query (100 items)' };

export async function tables({ systems, sizes, rounds, seconds, connections, warmup = true, progress }) {
  const procs = {};
  const endpoints = {};
  /** Systems filled through their own BatchWriteItem by the seeder, not through their store. */
  const seeded = new Set();
  const failed = {};
  const results = {};
  const seeder = child(here('./tableSeed.js'), [], { silent: true });
  try {
    for (const s of systems) {
      try {
        procs[s] = child(here(s === 'raw' ? './tableRaw.js' : './tableServer.js'), [s], { silent: true });
        const started = await procs[s].request({ type: 'start' }, 60_000);
        endpoints[s] = started.endpoint;
        if (started.fillsDirectly === false) seeded.add(s);
        if (endpoints[s])
          await seeder.request({ type: 'seed', endpoint: endpoints[s], from: 0, to: 100, concurrency: 1 }, 60_000);
        else await procs[s].request({ type: 'fill', from: 0, to: 100 }, 60_000);
      } catch (error) {
        failed[s] = error.message;
      }
    }
    let filled = 100;
    for (const [sizeIndex, size] of sizes.entries()) {
      results[size] = {};
      for (const s of systems) {
        if (failed[s]) continue;
        try {
          const t = performance.now();
          if (seeded.has(s))
            await seeder.request(
              { type: 'seed', endpoint: endpoints[s], from: filled, to: size, concurrency: 8 },
              900_000,
            );
          else await procs[s].request({ type: 'fill', from: filled, to: size }, 900_000);
          progress(`tables ${s}: filled to ${size} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        } catch (error) {
          failed[s] = `filling to ${size}: ${error.message}`;
        }
      }
      filled = size;
      const runs = Object.fromEntries(
        systems.map((s) => [s, Object.fromEntries(Object.keys(TABLE_OPS).map((o) => [o, []]))]),
      );
      const opFailed = {};
      // One operation on every system back to back, the first system rotating with the round: this machine's speed
      // drifts over tens of seconds, so ratios are taken between measurements seconds apart, pair by pair.
      for (let round = 0; round < rounds; round++) {
        const order = systems.map((_, i) => systems[(i + round) % systems.length]);
        for (const op of Object.keys(TABLE_OPS)) {
          for (const s of order) {
            if (failed[s] || opFailed[`${s}/${op}`]) continue;
            try {
              const putBase = 2e9 + (sizeIndex * rounds + round) * 1e7;
              // JIT and caches are warm after the first round.
              const warm = warmup && round === 0;
              if (s === 'raw') {
                if (warm) await procs[s].request({ type: 'run', op, seconds: 0.5 }, 30_000);
                runs[s][op][round] = await procs[s].request({ type: 'run', op, seconds }, (seconds + 30) * 1000);
              } else {
                const options = { endpoint: endpoints[s], op, size, connections, putBase };
                if (warm) await tableWrk({ ...options, seconds: 1, putBase: putBase + 5e6 });
                runs[s][op][round] = await tableWrk({ ...options, seconds });
              }
            } catch (error) {
              opFailed[`${s}/${op}`] = error.message.replace(/\s+/g, ' ').slice(0, 200);
            }
          }
        }
        progress(`tables ×${size} round ${round + 1}/${rounds} done`);
      }
      /** The median over rounds of this system's figure divided by the other's in the same round. */
      const pairedRatio = (s, other, op) => {
        const ratios = runs[s][op].flatMap((r, i) =>
          r && runs[other]?.[op][i] ? [r.rps / runs[other][op][i].rps] : [],
        );
        return ratios.length ? median(ratios) : undefined;
      };
      for (const s of systems) {
        results[size][s] = {};
        for (const op of Object.keys(TABLE_OPS)) {
          const error = failed[s] ?? opFailed[`${s}/${op}`];
          const rs = runs[s][op].filter(Boolean);
          results[size][s][op] = error
            ? { error }
            : {
                rps: median(rs.map((r) => r.rps)),
                p50: median(rs.map((r) => r.p50)),
                p99: median(rs.map((r) => r.p99)),
                vsDynalite: pairedRatio(s, 'dynalite', op),
                vsDynaliteDisk: pairedRatio(s, 'dynalite-disk', op),
                vsFloor: pairedRatio(s, 'floor', op),
                vsRaw: pairedRatio(s, 'raw', op),
              };
        }
        if (!failed[s]) {
          const memory = await procs[s].request({ type: 'rss' }, 10_000).catch(() => ({}));
          results[size][s].rss = memory.rss;
          results[size][s].fileRss = memory.fileRss;
        }
      }
    }
  } finally {
    await seeder.stop();
    // dynalite's graceful close waits up to 30 s for idle sockets; it holds nothing on disk.
    await Promise.all(Object.entries(procs).map(([s, p]) => p.stop({ graceful: s !== 'dynalite' })));
  }
  return { results, failed };
}
