// Syncline serving a table whose stream is mapped to a function (bench/report/streamsApp), in its own process.
// Usage (forked): node streamServer.js memory|file <sink url>. Replies to 'start' with { endpoint }.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [store, sink] = process.argv.slice(2);
const app = fileURLToPath(new URL('./streamsApp', import.meta.url));
const data = store === 'file' ? mkdtempSync(join(tmpdir(), 'syncline-report-streams-')) : ':memory:';
const cleanup = () => data !== ':memory:' && rmSync(data, { recursive: true, force: true });
let server;

process.on('disconnect', () => {
  cleanup();
  process.exit(0);
});
process.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      process.env.SINK_URL = sink;
      const { createServer } = await import('../../packages/syncline/dist/index.js');
      server = await createServer({ dir: app, port: 0, host: '127.0.0.1', data, log: 'silent' });
      process.send({ id: m.id, endpoint: server.endpoints.dynamodb });
    } else if (m.type === 'close') {
      await server?.close();
      cleanup();
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.stack ?? error) });
  }
});
