// Overhead of a warm function invocation behind an HTTP route: Syncline (HTTP API event → worker thread →
// empty handler → response mapping) next to a raw node:http server answering the same bytes, measured in the
// same run with wrk in its own process. One connection shows the per-invocation latency added; 32 connections
// show throughput. Usage: node bench/functions/run.js [--quick]
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { machine, median, table } from '../lib/stats.js';
import { load, loadGenerator } from '../lib/wrk.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 8;
const rounds = quick ? 1 : 3;
const app = fileURLToPath(new URL('./app', import.meta.url));

async function rawHttp() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/empty`, close: () => server.close() };
}

async function syncline() {
  const { createServer } = await import('../../packages/syncline/dist/index.js');
  const server = await createServer({ dir: app, port: 0, data: ':memory:', log: 'silent' });
  return { url: `${server.endpoints.http}/empty`, close: () => server.close(), server };
}

const contenders = { 'raw node:http': rawHttp, 'Syncline HTTP route → function': syncline };
const levels = [1, 32];
const results = {};
for (const c of levels) for (const name of Object.keys(contenders)) results[`${name}@${c}`] = [];

for (let round = 0; round < rounds; round++) {
  for (const [name, start] of Object.entries(contenders)) {
    const s = await start();
    for (const connections of levels) {
      await load({ url: s.url, method: 'GET', headers: {}, connections, seconds: 1 }); // warm-up
      const r = await load({ url: s.url, method: 'GET', headers: {}, connections, seconds });
      if (r.failed) throw new Error(`${name}: ${r.failed} failed requests`);
      results[`${name}@${connections}`].push(r);
    }
    if (s.server) {
      const stats = s.server.functions.stats('empty');
      console.error(`round ${round + 1}: ${stats.invocations} invocations, ${stats.coldStarts} cold starts`);
    }
    await s.close();
  }
}

const rows = [];
for (const connections of levels) {
  const raw = results[`raw node:http@${connections}`];
  const rawP50 = median(raw.map((r) => r.p50));
  for (const name of Object.keys(contenders)) {
    const rs = results[`${name}@${connections}`];
    const p50 = median(rs.map((r) => r.p50));
    rows.push([
      name,
      String(connections),
      Math.round(median(rs.map((r) => r.rps))).toLocaleString('en-US'),
      p50.toFixed(3),
      median(rs.map((r) => r.p99)).toFixed(3),
      name.startsWith('raw') ? '—' : (p50 - rawP50).toFixed(3),
    ]);
  }
}
console.log(
  `\nEmpty function behind an HTTP route — ${machine()}; load by ${loadGenerator}, ${seconds}s × ${rounds} rounds, medians\n`,
);
console.log(table(['server', 'connections', 'invocations/s', 'p50 ms', 'p99 ms', 'added p50 ms'], rows));
