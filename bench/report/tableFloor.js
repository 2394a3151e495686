// The HTTP floor: the least a single-threaded Node server can do to answer the report's requests. A net server
// reads each request, JSON-parses its body, runs one prepared better-sqlite3 statement on an in-memory database
// (SQLite's memdb file, as Syncline's :memory:) and writes DynamoDB's response headers (length, request id,
// CRC32, date) and the stored item text, all connections' answers together at the end of the turn. No
// validation, no expressions, no capacity, no error shapes: it knows only the bench table and the request bodies
// wrk sends. Whatever no Node server can go under on this machine — the loopback TCP round trip, the event loop,
// JSON.parse, one SQLite lookup — it pays too.
import net from 'node:net';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { item } from './tableItems.js';

const TARGET = 'x-amz-target: dynamodb_20120810.';

export async function floorServer() {
  const empty = new Database(':memory:');
  const db = new Database(empty.serialize());
  empty.close();
  db.exec(
    'CREATE TABLE items (pk TEXT NOT NULL, sk INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (pk, sk)) WITHOUT ROWID',
  );
  const put = db.prepare('INSERT OR REPLACE INTO items (pk, sk, value) VALUES (?, ?, ?)');
  const get = db.prepare('SELECT value FROM items WHERE pk = ? AND sk = ?').pluck();
  const query = db.prepare('SELECT value FROM items WHERE pk = ? ORDER BY sk LIMIT 100').pluck();
  // The bench's sort keys are integers.
  const store = (it) => put.run(it.pk.S, Number(it.sk.N), JSON.stringify(it));
  let requestId = 0;

  const actions = {
    DescribeTable: () => '{"Table":{"TableStatus":"ACTIVE"}}',
    CreateTable: () => '{}',
    BatchWriteItem: (body) => {
      for (const writes of Object.values(body.RequestItems)) for (const w of writes) store(w.PutRequest.Item);
      return '{"UnprocessedItems":{}}';
    },
    PutItem: (body) => {
      store(body.Item);
      return '{}';
    },
    GetItem: (body) => {
      const value = get.get(body.Key.pk.S, Number(body.Key.sk.N));
      return value === undefined ? '{}' : `{"Item":${value}}`;
    },
    Query: (body) => {
      const items = query.all(body.ExpressionAttributeValues[':pk'].S);
      return `{"Count":${items.length},"Items":[${items.join(',')}],"ScannedCount":${items.length}}`;
    },
  };

  const answer = (head, body) => {
    const at = head.toLowerCase().indexOf(TARGET);
    const lineEnd = head.indexOf('\r\n', at);
    const action = head.slice(at + TARGET.length, lineEnd === -1 ? head.length : lineEnd).trim();
    const out = actions[action](JSON.parse(body));
    return (
      'HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\n' +
      `content-length: ${Buffer.byteLength(out)}\r\nx-amzn-requestid: ${++requestId}\r\n` +
      `x-amz-crc32: ${crc32(out) >>> 0}\r\ndate: ${new Date().toUTCString()}\r\nconnection: keep-alive\r\n\r\n${out}`
    );
  };

  // Answers go out together at the end of the turn's I/O, as Syncline's fast path writes them (decision 0006): the
  // floor must not pay a cost Syncline avoids.
  const ready = [];
  const writeReady = () => {
    for (const [socket, out] of ready) socket.write(out, 'latin1');
    ready.length = 0;
  };

  const server = net.createServer({ noDelay: true }, (socket) => {
    let pending = '';
    socket.on('error', () => socket.destroy());
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      pending += chunk;
      let out = '';
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd === -1) break;
        const head = pending.slice(0, headEnd);
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) break;
        // The bodies are ASCII: latin1 text is their UTF-8 text.
        out += answer(head, pending.slice(headEnd + 4, headEnd + 4 + length));
        pending = pending.slice(headEnd + 4 + length);
      }
      if (out && ready.push([socket, out]) === 1) setImmediate(writeReady);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    fill(from, to) {
      db.transaction(() => {
        for (let i = from; i < to; i++) store(item(i));
      })();
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
