// A DynamoDB endpoint in its own process, so the SDK load generator never shares its event loop.
// Usage (forked by run.js): node server.js syncline-file | syncline-memory | dynalite
// Replies to 'start' with { endpoint }, to 'rss' with the resident set size, to 'cpu' with the CPU time it has
// used (µs, user + system), and exits cleanly on 'close'
// (so `node --cpu-prof` can write its profile).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const kind = process.argv[2];
const app = fileURLToPath(new URL('./app', import.meta.url));

async function syncline(data) {
  const { createServer } = await import('../../packages/syncline/dist/index.js');
  const server = await createServer({ dir: app, port: 0, data, log: 'silent' });
  return { endpoint: server.endpoints.dynamodb, close: () => server.close() };
}

async function dynalite() {
  const { default: create } = await import('dynalite');
  const server = create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

let data;
let server;
const starters = {
  'syncline-file': () => syncline((data = mkdtempSync(join(tmpdir(), 'syncline-bench-')))),
  'syncline-memory': () => syncline(':memory:'),
  dynalite,
};

function cleanup() {
  if (data) rmSync(data, { recursive: true, force: true });
}

// The parent owns this process: when it goes away, so do we.
process.on('disconnect', () => {
  cleanup();
  process.exit(0);
});

process.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      if (!starters[kind]) throw new Error(`unknown server kind ${kind}`);
      server = await starters[kind]();
      process.send({ id: m.id, endpoint: server.endpoint });
    } else if (m.type === 'rss') {
      process.send({ id: m.id, rss: process.memoryUsage().rss });
    } else if (m.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ id: m.id, cpu: user + system });
    } else if (m.type === 'close') {
      await server?.close();
      cleanup();
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.stack ?? error) });
  }
});
