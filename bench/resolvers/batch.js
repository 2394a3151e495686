// The N+1 fix AppSync offers: `books { batched { id } }` (50 parents, one Lambda BatchInvoke) against
// `books { perItem { id } }` (50 parents, 50 Lambda Invokes), on one Syncline server process with the load generator
// in its own process. Several rounds of each, alternating; reports the median round's req/s, p50 and p99 latency,
// and Lambda invocations per request. Usage: node bench/resolvers/batch.js [--quick] [path/to/dist/index.js]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machine, median, table } from '../lib/stats.js';
import { load, loadGenerator } from '../lib/wrk.js';

const quick = process.argv.includes('--quick');
const dist = process.argv.slice(2).find((a) => a.endsWith('.js'));
const seconds = quick ? 2 : 5;
const rounds = quick ? 3 : 5;
const connections = 8;
const queries = [
  ['per item: 50 × Invoke', '{ books { id perItem { id name } } }'],
  ['BatchInvoke (maxBatchSize 100)', '{ books { id batched { id name } } }'],
];

const proc = fork(fileURLToPath(new URL('./server.js', import.meta.url)), [
  dist ?? fileURLToPath(new URL('../../packages/syncline/dist/index.js', import.meta.url)),
  fileURLToPath(new URL('./batchApp', import.meta.url)),
]);
const next = () => new Promise((resolve) => proc.once('message', resolve));
const { url, apiKey } = await next();
const invocations = async () => {
  proc.send('invocations');
  return (await next()).invocations;
};
const headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
const results = queries.map(() => []);
try {
  for (const [name, query] of queries) {
    const body = JSON.stringify({ query });
    const check = await (await fetch(url, { method: 'POST', headers, body })).json();
    if (check.errors || check.data.books.length !== 50) throw new Error(`${name}: ${JSON.stringify(check)}`);
    await load({ url, method: 'POST', headers, body, connections, seconds: 1 });
  }
  for (let round = 0; round < rounds; round++) {
    for (const [i, [name, query]] of queries.entries()) {
      const body = JSON.stringify({ query });
      const before = await invocations();
      const r = await load({ url, method: 'POST', headers, body, connections, seconds });
      if (r.failed) throw new Error(`${name}: ${r.failed} failed requests`);
      results[i].push({ ...r, perRequest: ((await invocations()) - before) / (r.rps * seconds) });
    }
  }
} finally {
  proc.kill();
}
const rows = queries.map(([name], i) => {
  const rs = results[i];
  return [
    name,
    Math.round(median(rs.map((r) => r.rps))).toLocaleString('en-US'),
    median(rs.map((r) => r.p50)).toFixed(2),
    median(rs.map((r) => r.p99)).toFixed(2),
    median(rs.map((r) => r.perRequest)).toFixed(1),
  ];
});
console.log(
  `\nList field per item vs BatchInvoke — ${machine()}; load by ${loadGenerator}, ${connections} connections, median of ${rounds} × ${seconds}s\n`,
);
console.log(table(['query (50 parents)', 'req/s', 'p50 ms', 'p99 ms', 'Lambda invocations/req'], rows));
