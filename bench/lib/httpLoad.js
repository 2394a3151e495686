// Load generator, run in its own process (fork) so it never shares an event loop with the server measured.
// Keeps `connections` keep-alive sockets busy with the same request for `seconds`, then reports the count and
// a latency sample.
import http from 'node:http';

process.on('message', async ({ url, method, headers, body, connections, seconds }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const end = performance.now() + seconds * 1000;
  const latencies = [];
  let done = 0;
  let failed = 0;
  const one = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.request(
        { agent, hostname: target.hostname, port: target.port, path: target.pathname + target.search, method, headers },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            if (res.statusCode === 200) done++;
            else failed++;
            if (latencies.length < 200_000) latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < end) await one();
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  process.send({ done, failed, rps: done / seconds, p50: pct(0.5), p99: pct(0.99) });
});
