// The storage floor: the same logical operations straight on better-sqlite3 in this process (prepared
// statements, WAL, synchronous=FULL on a file, one fsync per write as a durable server pays). No HTTP, no
// DynamoDB semantics; values are the items' DynamoDB JSON, returned as stored. Synchronous, so no concurrency.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { timeSync } from '../lib/stats.js';
import { item, keyed, PER_PARTITION } from './tableItems.js';

const dir = mkdtempSync(join(tmpdir(), 'syncline-report-raw-'));
const db = new Database(join(dir, 'raw.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE items (pk TEXT NOT NULL, sk INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (pk, sk)) WITHOUT ROWID',
);
const insert = db.prepare('INSERT OR REPLACE INTO items (pk, sk, value) VALUES (?, ?, ?)');
const get = db.prepare('SELECT value FROM items WHERE pk = ? AND sk = ?');
const range = db.prepare('SELECT value FROM items WHERE pk = ? ORDER BY sk LIMIT ?');
let size = 0;
let nextPut = 0;

const ops = {
  put() {
    const n = nextPut++;
    const it = keyed(`u${n % 256}`, 2e9 + n);
    insert.run(it.pk.S, Number(it.sk.N), JSON.stringify(it));
  },
  get() {
    const i = Math.floor(Math.random() * size);
    if (!get.get(`p${Math.floor(i / PER_PARTITION)}`, i % PER_PARTITION)) throw new Error(`no row for item ${i}`);
  },
  query() {
    const rows = range.all(`p${Math.floor(Math.random() * (size / PER_PARTITION))}`, PER_PARTITION + 1);
    if (rows.length !== PER_PARTITION) throw new Error(`range returned ${rows.length} rows`);
  },
};

function fill(from, to) {
  for (let i = from; i < to; i += 5_000) {
    db.transaction(() => {
      for (let j = i; j < Math.min(to, i + 5_000); j++) {
        const it = item(j);
        insert.run(it.pk.S, Number(it.sk.N), JSON.stringify(it));
      }
    })();
  }
  size = to;
}

function run(op, seconds) {
  const { done, elapsed, latencies } = timeSync(ops[op], seconds);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { rps: done / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

function close() {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

process.on('disconnect', () => {
  close();
  process.exit(0);
});
process.on('message', (m) => {
  try {
    if (m.type === 'start') {
      process.send({ id: m.id });
    } else if (m.type === 'fill') {
      const t = performance.now();
      fill(m.from, m.to);
      process.send({ id: m.id, itemsPerSecond: (m.to - m.from) / ((performance.now() - t) / 1000) });
    } else if (m.type === 'run') {
      process.send({ id: m.id, ...run(m.op, m.seconds) });
    } else if (m.type === 'rss') {
      process.send({ id: m.id, rss: process.memoryUsage().rss });
    } else if (m.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ id: m.id, cpu: user + system });
    } else if (m.type === 'close') {
      close();
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.message ?? error) });
  }
});
