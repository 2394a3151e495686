// `{ hello }` over HTTP: every GraphQL server in its own process, wrk (its own process) as the load, rounds
// alternating between servers so that a noisy moment on a shared machine does not land on one server only.
import { fileURLToPath } from 'node:url';
import { child } from '../lib/children.js';
import { median } from '../lib/stats.js';
import { load } from '../lib/wrk.js';

const SERVER = fileURLToPath(new URL('../peers/server.js', import.meta.url));
const QUERY = JSON.stringify({ query: '{ hello }' });

export const GRAPHQL_SERVERS = {
  raw: 'raw node:http',
  syncline: 'Syncline',
  mercurius: 'Mercurius + graphql-jit',
  apollo: 'Apollo Server 5 (standalone)',
  yoga: 'GraphQL Yoga 5',
  'appsync-simulator': 'AppSync simulator 2.16',
};

export async function graphqlHttp({ servers, rounds, seconds, connections, progress }) {
  const runs = Object.fromEntries(servers.map((s) => [s, []]));
  const failed = {};
  for (let round = 0; round < rounds; round++) {
    for (const s of servers) {
      if (failed[s]) continue;
      const server = child(SERVER, [s], { silent: true });
      try {
        const info = await server.request({ type: 'start' }, 60_000);
        const headers = { 'content-type': 'application/json', ...(info.apiKey ? { 'x-api-key': info.apiKey } : {}) };
        const check = await (await fetch(info.graphql, { method: 'POST', headers, body: QUERY })).json();
        if (check.data?.hello !== 'Hello, world!') throw new Error(`answered ${JSON.stringify(check).slice(0, 200)}`);
        const options = { url: info.graphql, method: 'POST', headers, body: QUERY, connections };
        await load({ ...options, seconds: 1 }); // warm-up
        const before = (await server.request({ type: 'cpu' }, 10_000)).cpu;
        const r = await load({ ...options, seconds });
        const after = (await server.request({ type: 'cpu' }, 10_000)).cpu;
        if (r.failed) throw new Error(`${r.failed} non-200 responses`);
        runs[s].push({ ...r, cpu: (after - before) / (r.rps * seconds) });
        progress(`graphql ${s} round ${round + 1}/${rounds}: ${Math.round(r.rps)} req/s`);
      } catch (error) {
        failed[s] = error.message.replace(/\s+/g, ' ').slice(0, 200);
        progress(`graphql ${s}: FAILED ${failed[s]}`);
      } finally {
        await server.stop();
      }
    }
  }
  return Object.fromEntries(
    servers.map((s) => [
      s,
      failed[s]
        ? { error: failed[s] }
        : {
            rps: median(runs[s].map((r) => r.rps)),
            p50: median(runs[s].map((r) => r.p50)),
            p99: median(runs[s].map((r) => r.p99)),
            cpu: median(runs[s].map((r) => r.cpu)),
          },
    ]),
  );
}
