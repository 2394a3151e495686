// The floor: the same logical operations straight on better-sqlite3 in this process, with prepared statements,
// WAL and synchronous=FULL on a file (one fsync per write, as a durable server pays). No HTTP, no DynamoDB
// semantics; values are the items' DynamoDB JSON, returned as stored (not parsed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { timeSync } from '../lib/stats.js';
import { item, putKey, QUERY_ITEMS, randomGetKey, randomQueryPartition, seedItems } from './items.js';

let dir;
let db;
let ops;

function open() {
  dir = mkdtempSync(join(tmpdir(), 'syncline-bench-raw-'));
  db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE items (pk TEXT NOT NULL, sk INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (pk, sk)) WITHOUT ROWID',
  );
  const insert = db.prepare('INSERT OR REPLACE INTO items (pk, sk, value) VALUES (?, ?, ?)');
  const get = db.prepare('SELECT value FROM items WHERE pk = ? AND sk = ?');
  const range = db.prepare('SELECT value FROM items WHERE pk = ? ORDER BY sk LIMIT ?');
  db.transaction(() => {
    for (const it of seedItems()) insert.run(it.pk.S, Number(it.sk.N), JSON.stringify(it));
  })();
  let nextPut = 0;
  ops = {
    put() {
      const k = putKey(0, nextPut++);
      insert.run(k.pk, k.sk, JSON.stringify(item(k.pk, k.sk)));
    },
    get() {
      const k = randomGetKey();
      if (!get.get(k.pk, k.sk)) throw new Error(`no row at ${k.pk}/${k.sk}`);
    },
    query() {
      const rows = range.all(randomQueryPartition(), QUERY_ITEMS + 1);
      if (rows.length !== QUERY_ITEMS) throw new Error(`range returned ${rows.length} rows`);
    },
  };
}

function run(op, seconds) {
  return { failed: 0, ...timeSync(ops[op], seconds) };
}

function close() {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

process.on('disconnect', () => {
  close();
  process.exit(0);
});

process.on('message', (m) => {
  try {
    if (m.type === 'init') {
      open();
      process.send({ id: m.id });
    } else if (m.type === 'run') {
      process.send({ id: m.id, ...run(m.op, m.seconds) });
    } else if (m.type === 'rss') {
      process.send({ id: m.id, rss: process.memoryUsage().rss });
    } else if (m.type === 'close') {
      close();
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.message ?? error) });
  }
});
