// Subscription fan-out as the number of subscribers grows: one mutation sent over HTTP, delivered to every
// subscriber over WebSocket. Each server runs in its own process; subscriber sockets are spread over several
// load-generator processes and 127.0.0.x source addresses. Also measures the server's resident memory per
// idle connection holding one subscription, at every size.
import { fileURLToPath } from 'node:url';
import { child } from '../lib/children.js';
import { median } from '../lib/stats.js';

const SERVER = fileURLToPath(new URL('../peers/server.js', import.meta.url));
const SUBSCRIBERS = fileURLToPath(new URL('./subscribers.js', import.meta.url));
const QUERY = 'subscription { onCreateOrder { id item quantity sentAt } }';
const MUTATION =
  'mutation ($id: ID!, $s: String!) { createOrder(id: $id, item: "tea", quantity: 1, sentAt: $s) { id item quantity sentAt } }';
const PER_GENERATOR = 4_000;
const wallNow = () => performance.timeOrigin + performance.now();
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export const FANOUT_SERVERS = {
  raw: 'raw ws broadcast',
  syncline: 'Syncline (AppSync protocol)',
  mercurius: 'Mercurius (graphql-transport-ws)',
  apollo: 'Apollo Server + graphql-ws',
  yoga: 'GraphQL Yoga + graphql-ws',
  'appsync-simulator': 'AppSync simulator (?header= auth)',
};

async function mutate(server, i) {
  const sentAt = wallNow();
  const res = await fetch(server.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(server.apiKey ? { 'x-api-key': server.apiKey } : {}) },
    body: JSON.stringify({ query: MUTATION, variables: { id: String(i), s: String(sentAt) } }),
  });
  const body = await res.json();
  if (!body.data?.createOrder) throw new Error(`mutation answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return sentAt;
}

/** One server process at one size: connect, memory, readiness probe, warm-up, measured mutations. */
export async function fanoutRun(kind, subscribers, { mutations, warmup, timeoutMs }) {
  const server = child(SERVER, [kind], { execArgv: ['--expose-gc'], silent: true });
  const count = Math.max(1, Math.ceil(subscribers / PER_GENERATOR));
  const gens = Array.from({ length: count }, () => child(SUBSCRIBERS, [], { silent: true }));
  const shares = gens.map((_, i) => Math.floor(subscribers / count) + (i < subscribers % count ? 1 : 0));
  try {
    const info = await server.request({ type: 'start' }, 60_000);
    const connectStart = performance.now();
    await Promise.all(
      gens.map((g, i) =>
        g.request(
          {
            type: 'connect',
            url: info.realtime,
            protocol: info.protocol,
            apiKey: info.apiKey ?? 'none',
            query: QUERY,
            count: shares[i],
            localAddress: `127.0.0.${10 + i}`,
          },
          timeoutMs + subscribers * 5,
        ),
      ),
    );
    const connectSeconds = (performance.now() - connectStart) / 1000;
    const { rss } = await server.request({ type: 'rss' }, 30_000);
    const perConnection = (rss - info.rss) / subscribers;

    const round = async (i, waitMs = timeoutMs) => {
      await Promise.all(gens.map((g) => g.request({ type: 'reset' }, 10_000)));
      const sentAt = await mutate(info, i);
      const reports = await Promise.all(
        gens.map((g, j) => g.request({ type: 'wait', expected: shares[j], timeoutMs: waitMs }, waitMs + 10_000)),
      );
      return {
        sentAt,
        received: reports.reduce((n, r) => n + r.received, 0),
        sockets: reports.reduce((n, r) => n + r.sockets, 0),
        lastAt: Math.max(...reports.map((r) => r.lastAt)),
        latencies: reports.flatMap((r) => r.latencies),
      };
    };
    // Readiness: graphql-transport-ws does not acknowledge a subscription, so publish until every socket has
    // received one delivery (AppSync-dialect servers acknowledge; there the first publish reaches everyone).
    let probe;
    for (let i = 0; i < 20; i++) {
      probe = await round(-1 - i, 3_000);
      if (probe.sockets === subscribers) break;
    }
    if (probe.sockets !== subscribers) throw new Error(`only ${probe.sockets}/${subscribers} subscribers ever reached`);
    for (let i = 0; i < warmup; i++) await round(-100 - i);
    const rates = [];
    const latencies = [];
    for (let i = 0; i < mutations; i++) {
      const r = await round(i);
      if (r.received !== subscribers) {
        throw new Error(`${r.received}/${subscribers} deliveries within ${timeoutMs / 1000} s`);
      }
      rates.push(subscribers / ((r.lastAt - r.sentAt) / 1000));
      for (const l of r.latencies) latencies.push(l);
    }
    return { rates, latencies, perConnection, connectSeconds };
  } finally {
    await Promise.all(gens.map((g) => g.stop()));
    await server.stop();
  }
}

/** The curve: for each size and each server, `rounds` runs; medians of per-mutation rates, p99 of all latencies. */
export async function fanout({ sizes, servers, rounds, bigRounds = rounds, mutations, warmup, timeoutMs, progress }) {
  const results = {};
  for (const n of sizes) {
    results[n] = {};
    const runs = Object.fromEntries(servers.map((s) => [s, []]));
    const failed = {};
    const runsAt = n >= 5_000 ? bigRounds : rounds;
    for (let r = 0; r < runsAt; r++) {
      for (const s of servers) {
        if (failed[s]) continue;
        const t = performance.now();
        try {
          runs[s].push(await fanoutRun(s, n, { mutations, warmup, timeoutMs }));
          progress(`fan-out ${s} ×${n} run ${r + 1}/${runsAt}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
        } catch (error) {
          failed[s] = error.message.replace(/\s+/g, ' ').slice(0, 200);
          progress(`fan-out ${s} ×${n}: FAILED ${failed[s]}`);
        }
      }
    }
    for (const s of servers) {
      if (failed[s]) {
        results[n][s] = { error: failed[s] };
        continue;
      }
      const latencies = runs[s].flatMap((x) => x.latencies).sort((a, b) => a - b);
      results[n][s] = {
        rate: median(runs[s].flatMap((x) => x.rates)),
        p50: pct(latencies, 50),
        p99: pct(latencies, 99),
        perConnection: median(runs[s].map((x) => x.perConnection)),
        connectSeconds: median(runs[s].map((x) => x.connectSeconds)),
      };
    }
  }
  return results;
}
