// Resolver cost: `{ hello }` (one APPSYNC_JS resolver, two handler calls), the same as VTL mapping templates, and `items(n: 50) { id label }` (51
// resolvers, 102 handler calls) against one Syncline server process, with the load generator in its own process.
// Reports req/s and the server's CPU time per request and per resolver; CPU time is steadier than req/s on a
// shared machine. Usage: node bench/resolvers/run.js [--quick] [path/to/dist/index.js]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machine, table } from '../lib/stats.js';
import { load, loadGenerator } from '../lib/wrk.js';

const quick = process.argv.includes('--quick');
const dist = process.argv.slice(2).find((a) => a.endsWith('.js'));
const seconds = quick ? 3 : 8;
const connections = 16;
const queries = [
  ['{ hello }', '{ hello }', 1],
  ['{ hello } as VTL', '{ helloVtl }', 1],
  ['items(n: 50) { id label }', '{ items(n: 50) { id label } }', 51],
];

const proc = fork(fileURLToPath(new URL('./server.js', import.meta.url)), dist ? [dist] : []);
const next = () => new Promise((resolve) => proc.once('message', resolve));
const { url, apiKey } = await next();
const cpu = async () => {
  proc.send('cpu');
  return (await next()).cpu;
};
const headers = { 'content-type': 'application/json', 'x-api-key': apiKey };
const rows = [];
try {
  for (const [name, query, resolvers] of queries) {
    const body = JSON.stringify({ query });
    const check = await (await fetch(url, { method: 'POST', headers, body })).json();
    if (check.errors) throw new Error(`${name}: ${JSON.stringify(check.errors)}`);
    await load({ url, method: 'POST', headers, body, connections, seconds: 1 });
    const before = await cpu();
    const r = await load({ url, method: 'POST', headers, body, connections, seconds });
    const used = (await cpu()) - before;
    if (r.failed) throw new Error(`${name}: ${r.failed} failed requests`);
    const requests = r.rps * seconds;
    rows.push([
      name,
      Math.round(r.rps).toLocaleString('en-US'),
      (used / requests).toFixed(1),
      (used / requests / resolvers).toFixed(2),
    ]);
  }
} finally {
  proc.kill();
}
console.log(`\nResolver cost — ${machine()}; load by ${loadGenerator}, ${connections} connections, ${seconds}s\n`);
console.log(table(['query', 'req/s', 'server CPU µs/req', 'µs/resolver'], rows));
