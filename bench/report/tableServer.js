// A DynamoDB endpoint under test, in its own process: Syncline (SQLite file or :memory:), dynalite (in memory or
// LevelDB on disk), or the HTTP floor (tableFloor.js). Usage (forked):
// node tableServer.js syncline-file | syncline-memory | dynalite | dynalite-disk | floor.
// Replies to 'start' with { endpoint, fillsDirectly }, to 'fill' by storing items [from, to) straight through the
// store's own API (setup only: a million items through HTTP take a minute or more; a :memory: Syncline cannot, so
// fillsDirectly is false), to 'rss' with its resident set size and mapped file pages, to 'cpu' with its CPU time
// (µs); 'close' ends it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorServer } from './tableFloor.js';
import { item, TABLE } from './tableItems.js';

const kind = process.argv[2];
const app = fileURLToPath(new URL('./tablesApp', import.meta.url));
let data;

async function syncline(dir) {
  const { createServer } = await import('../../packages/syncline/dist/index.js');
  const { openTables } = await import('../../packages/syncline/dist/server/tables.js');
  const server = await createServer({ dir: app, port: 0, host: '127.0.0.1', data: dir, log: 'silent' });
  // A second connection to the same SQLite file (WAL), writing through the engine's PutItem in big
  // transactions; a :memory: server cannot be filled this way.
  const engine = dir === ':memory:' ? undefined : openTables(dir, 'us-east-1');
  return {
    endpoint: server.endpoints.dynamodb,
    // A :memory: database belongs to its connection: the report fills that server through its own API.
    fillsDirectly: engine !== undefined,
    fill(from, to) {
      if (!engine) throw new Error('cannot fill a :memory: server directly');
      for (let i = from; i < to; i += 5_000) {
        engine.storage.transaction(() => {
          for (let j = i; j < Math.min(to, i + 5_000); j++) engine.putItem({ TableName: TABLE, Item: item(j) });
        });
      }
    },
    close: async () => {
      engine?.storage.close();
      await server.close();
    },
  };
}

/** `path`: LevelDB files there (written without fsync, as dynalite does); none: dynalite's in-memory store. */
async function dynalite(path) {
  // dynalite keeps its store private; capture it as dynalite creates it (same module instance).
  const db = createRequire(import.meta.url)('dynalite/db');
  const create = db.create;
  let store;
  db.create = (options) => (store = create(options));
  const { default: dynaliteServer } = await import('dynalite');
  const server = dynaliteServer({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const promised = (fn) => new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    async fill(from, to) {
      const table = await promised((cb) => store.getTable(TABLE, cb));
      const items = store.getItemDb(TABLE);
      for (let i = from; i < to; i += 5_000) {
        const batch = [];
        for (let j = i; j < Math.min(to, i + 5_000); j++) {
          const it = item(j);
          batch.push({ type: 'put', key: db.createKey(it, table), value: it });
        }
        await promised((cb) => items.batch(batch, cb));
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

const starters = {
  'syncline-file': () => syncline((data = mkdtempSync(join(tmpdir(), 'syncline-report-')))),
  'syncline-memory': () => syncline(':memory:'),
  dynalite: () => dynalite(),
  'dynalite-disk': () => dynalite((data = mkdtempSync(join(tmpdir(), 'dynalite-report-')))),
  floor: floorServer,
};
const cleanup = () => data && rmSync(data, { recursive: true, force: true });
let server;

process.on('disconnect', () => {
  cleanup();
  process.exit(0);
});
process.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      server = await starters[kind]();
      process.send({ id: m.id, endpoint: server.endpoint, fillsDirectly: server.fillsDirectly ?? true });
    } else if (m.type === 'fill') {
      const t = performance.now();
      await server.fill(m.from, m.to);
      process.send({ id: m.id, itemsPerSecond: (m.to - m.from) / ((performance.now() - t) / 1000) });
    } else if (m.type === 'rss') {
      // A memory-mapped database's pages count in RSS; they are the OS's file cache, not the process's own memory.
      const fileKb = Number(/RssFile:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
      process.send({ id: m.id, rss: process.memoryUsage().rss, fileRss: fileKb * 1024 });
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
