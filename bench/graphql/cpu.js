// Server CPU time per request for `{ hello }` (or --query), Syncline next to raw node:http and Mercurius +
// graphql-jit: each server in its own process, a fixed number of requests from a minimal keep-alive client
// (raw sockets, one request in flight per connection), the server's user+system CPU read before and after.
// CPU time per request is far steadier than req/s on a shared machine. Rounds are interleaved; medians printed.
// Usage: node bench/graphql/cpu.js [--rounds 5] [--requests 20000] [--only syncline,mercurius] [--dist path]
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { machine, median, table } from '../lib/stats.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const rounds = Number(arg('rounds', 5));
const requests = Number(arg('requests', 20_000));
const connections = Number(arg('connections', 16));
const query = arg('query', '{ hello }');
const dist = arg('dist', undefined);
const app = arg('app', undefined);
// --before <dist/index.js>: a second Syncline build measured in the same rounds, for before/after figures.
const before = arg('before', undefined);
const names = {
  raw: 'raw node:http',
  mercurius: 'Mercurius + graphql-jit',
  syncline: 'Syncline',
  before: 'Syncline (before)',
};
const only = [...arg('only', 'raw,mercurius,syncline').split(','), ...(before ? ['before'] : [])];
const serveJs = fileURLToPath(new URL('./serve.js', import.meta.url));

function start(contender) {
  const which = contender === 'before' ? 'syncline' : contender;
  const build = contender === 'before' ? before : dist;
  const child = fork(serveJs, [
    which,
    ...(app || build ? [app ?? fileURLToPath(new URL('./app', import.meta.url))] : []),
    ...(build ? [build] : []),
  ]);
  const next = () => new Promise((resolve) => child.once('message', resolve));
  return next().then(({ url, apiKey }) => ({
    url: new URL(url),
    apiKey,
    cpu: async () => {
      child.send('cpu');
      return await next();
    },
    close: () => child.kill(),
  }));
}

/** Sends `count` requests over `connections` sockets, one in flight each; resolves with latencies (ms). */
function drive(server, count) {
  const body = JSON.stringify({ query });
  const head = [
    `POST ${server.url.pathname} HTTP/1.1`,
    `host: ${server.url.host}`,
    'content-type: application/json',
    ...(server.apiKey ? [`x-api-key: ${server.apiKey}`] : []),
    `content-length: ${Buffer.byteLength(body)}`,
  ].join('\r\n');
  const request = Buffer.from(`${head}\r\n\r\n${body}`);
  let sent = 0;
  const latencies = [];
  const one = () =>
    new Promise((resolve, reject) => {
      const socket = net.connect(Number(server.url.port), server.url.hostname);
      socket.setNoDelay(true);
      let pending = Buffer.alloc(0);
      let started = 0;
      const send = () => {
        if (sent >= count) {
          socket.end();
          resolve();
          return;
        }
        sent++;
        started = performance.now();
        socket.write(request);
      };
      socket.on('connect', send);
      socket.on('error', reject);
      socket.on('data', (chunk) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        for (;;) {
          const end = pending.indexOf('\r\n\r\n');
          if (end < 0) return;
          const text = pending.subarray(0, end).toString('latin1');
          if (!text.startsWith('HTTP/1.1 200')) return reject(new Error(`not 200: ${text}`));
          const length = Number(/content-length:\s*(\d+)/i.exec(text)?.[1]);
          if (!Number.isFinite(length)) return reject(new Error(`no content-length: ${text}`));
          if (pending.length < end + 4 + length) return;
          pending = pending.subarray(end + 4 + length);
          latencies.push(performance.now() - started);
          send();
        }
      });
    });
  return Promise.all(Array.from({ length: connections }, one)).then(() => latencies);
}

const results = Object.fromEntries(only.map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  for (const which of only) {
    const server = await start(which);
    await drive(server, Math.max(2000, requests / 4)); // warm-up: JIT, caches
    const cpuBefore = await server.cpu();
    const t0 = performance.now();
    const latencies = await drive(server, requests);
    const seconds = (performance.now() - t0) / 1000;
    const cpuAfter = await server.cpu();
    const used = cpuAfter.cpu - cpuBefore.cpu;
    const system = cpuAfter.system - cpuBefore.system;
    server.close();
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
    results[which].push({
      cpu: used / requests,
      system: system / requests,
      rps: requests / seconds,
      p50: pct(0.5),
      p99: pct(0.99),
    });
    process.stderr.write(
      `round ${round + 1} ${which}: ${(used / requests).toFixed(1)} µs/req (system ${(system / requests).toFixed(1)})\n`,
    );
  }
}
const base = only.includes('mercurius') ? median(results.mercurius.map((r) => r.cpu)) : undefined;
const rows = only.map((which) => {
  const rs = results[which];
  const cpu = median(rs.map((r) => r.cpu));
  return [
    names[which],
    cpu.toFixed(1),
    median(rs.map((r) => r.system)).toFixed(1),
    `${Math.min(...rs.map((r) => r.cpu)).toFixed(1)}–${Math.max(...rs.map((r) => r.cpu)).toFixed(1)}`,
    base ? (base / cpu).toFixed(2) : '',
    Math.round(median(rs.map((r) => r.rps))).toLocaleString('en-US'),
    median(rs.map((r) => r.p50)).toFixed(2),
    median(rs.map((r) => r.p99)).toFixed(2),
  ];
});
console.log(
  `\nServer CPU per request, \`${query}\` — ${machine()}; ${requests} requests × ${rounds} rounds, ${connections} connections, medians\n`,
);
console.log(
  table(
    ['server', 'CPU µs/req', 'of which system', 'range', 'Mercurius ÷ this (CPU)', 'req/s', 'p50 ms', 'p99 ms'],
    rows,
  ),
);
