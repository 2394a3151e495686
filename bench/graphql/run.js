// Queries per second for `{ hello }`: Syncline next to raw node:http and Mercurius + graphql-jit, measured in
// the same run with the load generator in its own process. Usage: node bench/graphql/run.js [--quick]
import { fileURLToPath } from 'node:url';
import { machine, median, table } from '../lib/stats.js';
import { load, loadGenerator } from '../lib/wrk.js';
import { mercurius, rawHttp, syncline } from './servers.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 8;
const rounds = quick ? 1 : 3;
const connections = 32;
const app = fileURLToPath(new URL('./app', import.meta.url));
const query = JSON.stringify({ query: '{ hello }' });

const contenders = {
  'raw node:http': rawHttp,
  'Mercurius + graphql-jit': mercurius,
  Syncline: () => syncline(app),
};

const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, start] of Object.entries(contenders)) {
    const server = await start();
    const headers = { 'content-type': 'application/json', ...(server.apiKey ? { 'x-api-key': server.apiKey } : {}) };
    await load({ url: server.url, method: 'POST', headers, body: query, connections, seconds: 1 }); // warm-up
    const r = await load({ url: server.url, method: 'POST', headers, body: query, connections, seconds });
    if (r.failed) throw new Error(`${name}: ${r.failed} failed requests`);
    results[name].push(r);
    await server.close();
  }
}

const raw = median(results['raw node:http'].map((r) => r.rps));
const rows = Object.entries(results).map(([name, rs]) => {
  const rps = median(rs.map((r) => r.rps));
  return [
    name,
    Math.round(rps).toLocaleString('en-US'),
    median(rs.map((r) => r.p50)).toFixed(2),
    median(rs.map((r) => r.p99)).toFixed(2),
    (rps / raw).toFixed(2),
  ];
});
console.log(
  `\nGraphQL \`{ hello }\` over HTTP — ${machine()}; load by ${loadGenerator}, ${connections} connections, ${seconds}s × ${rounds} rounds, medians\n`,
);
console.log(table(['server', 'req/s', 'p50 ms', 'p99 ms', 'vs raw'], rows));
