import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { devCertificate } from '../../src/server/devCertificate.js';
import { type DualListener, listenDual } from '../../src/server/dualListener.js';
import type { FastRouter } from '../../src/server/fastHttp/connection.js';
import { parseRequestHead } from '../../src/server/fastHttp/requestHead.js';

// A fast route that echoes what it was given, another that answers late, one that throws; node:http answers
// everything else and says so in a header, so each test sees which path served it.
const router: FastRouter = (head) => {
  if (head.method !== 'POST') return undefined;
  if (head.url === '/echo')
    return {
      maxBody: 2 * 1024 * 1024,
      handle: (r) => ({
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: `${r.method} ${r.url} ${r.headers['x-tag'] ?? ''} ${r.body.length} ${r.body.subarray(0, 16).toString()}`,
      }),
    };
  if (head.url.startsWith('/late/'))
    return {
      maxBody: 1024,
      handle: (r) =>
        new Promise((ok) =>
          setTimeout(() => ok({ status: 201, headers: {}, body: r.url }), Number(r.url.split('/')[2])),
        ),
    };
  if (head.url.startsWith('/big/'))
    return {
      maxBody: 1024,
      handle: (r) => ({
        status: 200,
        headers: {},
        body: `${r.url};`.padEnd(Number.parseInt(r.url.split('/')[2], 10) * 1024, '.'),
      }),
    };
  if (head.url === '/throw')
    return {
      maxBody: 1024,
      handle: () => {
        throw new Error('boom');
      },
    };
  return undefined;
};

const byNode = (req: IncomingMessage, res: ServerResponse) => {
  let size = 0;
  req.on('data', (c: Buffer) => (size += c.length));
  req.on('end', () => {
    const body = `node ${req.method} ${req.url} ${size}`;
    res.writeHead(200, { 'x-served-by': 'node', 'content-length': Buffer.byteLength(body) }).end(body);
  });
};

let listener: DualListener;
const errors: unknown[] = [];

/** A listener with the test router on the fast path and `byNode` behind it. */
async function listenWithRouter(keepAliveTimeout: number): Promise<DualListener> {
  return listenDual({
    port: 0,
    host: '127.0.0.1',
    tls: await devCertificate(),
    request: byNode,
    upgrade: (_req, socket) => socket.destroy(),
    keepAliveTimeout,
    fast: { router, onError: (e) => errors.push(e) },
  });
}

beforeAll(async () => {
  listener = await listenWithRouter(5000);
});
afterAll(() => listener.close());

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads HTTP/1.1 responses (Content-Length framed) off a raw socket, in order. */
function reader(socket: Socket) {
  let buffer = '';
  let ended = false;
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    buffer += d;
    wake();
  });
  socket.on('end', () => {
    ended = true;
    wake();
  });
  const parseOne = (): Response | undefined => {
    const headEnd = buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const [statusLine, ...lines] = buffer.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
    const length = Number(headers['content-length']);
    if (buffer.length < headEnd + 4 + length) return undefined;
    const body = buffer.slice(headEnd + 4, headEnd + 4 + length);
    buffer = buffer.slice(headEnd + 4 + length);
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  };
  return {
    async next(): Promise<Response> {
      for (;;) {
        const r = parseOne();
        if (r) return r;
        if (ended) throw new Error(`connection ended; unread: ${JSON.stringify(buffer)}`);
        await new Promise<void>((ok) => waiters.push(ok));
      }
    },
    ended: () => new Promise<void>((ok) => (ended ? ok() : socket.once('close', () => ok()))),
  };
}

async function open(port = listener.address.port) {
  const socket = connect(port, '127.0.0.1');
  await new Promise((ok) => socket.once('connect', ok));
  return { socket, ...reader(socket) };
}

const post = (path: string, body = '', extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('the fast HTTP path', () => {
  it('answers a claimed request itself, with length, date and keep-alive', async () => {
    const c = await open();
    c.socket.write(post('/echo', '{"a":1}', 'X-Tag: t1\r\n'));
    const r = await c.next();
    expect(r.status).toBe(200);
    expect(r.body).toBe('POST /echo t1 7 {"a":1}');
    expect(r.headers['x-served-by']).toBeUndefined();
    expect(r.headers['content-length']).toBe('23');
    expect(r.headers.connection).toBe('keep-alive');
    expect(new Date(r.headers.date).getTime()).toBeGreaterThan(Date.now() - 60_000);
    c.socket.destroy();
  });

  it('answers pipelined requests in request order even when an earlier one finishes last', async () => {
    const c = await open();
    c.socket.write(post('/late/60') + post('/late/1') + post('/echo', 'x'));
    expect((await c.next()).body).toBe('/late/60');
    expect((await c.next()).body).toBe('/late/1');
    expect((await c.next()).body).toBe('POST /echo  1 x');
    c.socket.destroy();
  });

  it('answers a hundred pipelined requests sent in one write, past the in-flight limit', async () => {
    const c = await open();
    c.socket.write(Array.from({ length: 100 }, (_, i) => post('/echo', `n${i}`)).join(''));
    for (let i = 0; i < 100; i++) expect((await c.next()).body).toBe(`POST /echo  ${String(i).length + 1} n${i}`);
    c.socket.destroy();
  });

  it('answers every one of many connections whose requests arrive together, each its own answers', async () => {
    // More connections than the answers deferred to a turn's end (32): some go out at once, the rest after.
    const clients = await Promise.all(Array.from({ length: 48 }, () => open()));
    for (const [i, c] of clients.entries()) c.socket.write(post('/echo', `c${i}`) + post('/echo', `d${i}`));
    for (const [i, c] of clients.entries()) {
      expect((await c.next()).body).toBe(`POST /echo  ${String(i).length + 1} c${i}`);
      expect((await c.next()).body).toBe(`POST /echo  ${String(i).length + 1} d${i}`);
      c.socket.destroy();
    }
  });

  it('keeps answers whole and in order while the client is slow to read them', async () => {
    const c = await open();
    c.socket.pause();
    // 60 answers of 256 KB: far more than the socket buffers hold, so the server must wait for the reader.
    c.socket.write(Array.from({ length: 60 }, (_, i) => post(`/big/256?${i}`)).join(''));
    await new Promise((ok) => setTimeout(ok, 200));
    c.socket.resume();
    for (let i = 0; i < 60; i++) {
      const r = await c.next();
      expect(r.body.length).toBe(256 * 1024);
      expect(r.body.startsWith(`/big/256?${i};`)).toBe(true);
    }
    c.socket.destroy();
  });

  it('assembles a request sent one byte at a time', async () => {
    const c = await open();
    const bytes = Buffer.from(post('/echo', 'hello', 'X-Tag: slow\r\n'));
    for (const b of bytes) {
      c.socket.write(Buffer.of(b));
      await new Promise((ok) => setImmediate(ok));
    }
    expect((await c.next()).body).toBe('POST /echo slow 5 hello');
    c.socket.destroy();
  });

  it('takes a large body arriving in many chunks', async () => {
    const c = await open();
    const body = 'y'.repeat(1024 * 1024);
    c.socket.write(post('/echo', body));
    expect((await c.next()).body).toBe(`POST /echo  ${body.length} ${'y'.repeat(16)}`);
    c.socket.destroy();
  });

  it('hands the connection to node:http at the first request no route claims, keeping every byte in order', async () => {
    const c = await open();
    c.socket.write(`${post('/late/30')}GET /page HTTP/1.1\r\nHost: x\r\n\r\n${post('/echo', 'abc')}`);
    expect((await c.next()).body).toBe('/late/30');
    const second = await c.next();
    expect(second.headers['x-served-by']).toBe('node');
    expect(second.body).toBe('node GET /page 0');
    // Once node:http has the connection it keeps it, claimed requests included.
    const third = await c.next();
    expect(third.headers['x-served-by']).toBe('node');
    expect(third.body).toBe('node POST /echo 3');
    c.socket.destroy();
  });

  it('leaves chunked bodies, oversized bodies and malformed requests to node:http', async () => {
    const chunked = await open();
    chunked.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    expect(await chunked.next()).toMatchObject({ body: 'node POST /echo 3', headers: { 'x-served-by': 'node' } });
    chunked.socket.destroy();

    const big = await open();
    big.socket.write(post('/late/1', 'z'.repeat(2000)));
    expect(await big.next()).toMatchObject({ body: 'node POST /late/1 2000' });
    big.socket.destroy();

    const bad = await open();
    bad.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect((await bad.next()).status).toBe(400);
    bad.socket.destroy();
  });

  it('honours Connection: close and ends the connection after the answer', async () => {
    const c = await open();
    c.socket.write(post('/echo', 'q', 'Connection: close\r\n') + post('/echo', 'never'));
    const r = await c.next();
    expect(r.headers.connection).toBe('close');
    expect(r.body).toBe('POST /echo  1 q');
    await c.ended();
  });

  it('answers 500 and closes when a handler throws, and keeps serving other connections', async () => {
    const c = await open();
    c.socket.write(post('/throw'));
    expect((await c.next()).status).toBe(500);
    await c.ended();
    expect(String(errors.at(-1))).toContain('boom');
    const d = await open();
    d.socket.write(post('/echo', 'ok'));
    expect((await d.next()).status).toBe(200);
    d.socket.destroy();
  });
});

describe('keep-alive time on the fast path', () => {
  let short: DualListener;
  beforeAll(async () => {
    short = await listenWithRouter(400);
  });
  afterAll(() => short.close());

  it('closes a connection idle for its keep-alive time, not one whose answer is still being made', async () => {
    const idle = await open(short.address.port);
    const busy = await open(short.address.port);
    idle.socket.write(post('/echo', 'a'));
    expect((await idle.next()).status).toBe(200);
    const answeredAt = Date.now();
    // The busy connection's answer takes three keep-alive times; it must arrive, on a connection still open.
    busy.socket.write(post('/late/1200'));
    await idle.ended();
    const idleFor = Date.now() - answeredAt;
    expect(idleFor).toBeGreaterThanOrEqual(390);
    const late = await busy.next();
    expect(late.body).toBe('/late/1200');
    expect(busy.socket.destroyed).toBe(false);
    // Its own keep-alive time counts from that answer.
    await busy.ended();
  });
});

describe('one keep-alive connection to a Syncline server', () => {
  let server: SynclineServer;
  let port: number;
  const key = 'da2-ordersfixturekey0000000';
  beforeAll(async () => {
    const dir = fileURLToPath(new URL('../fixtures/apps/orders-ddb', import.meta.url));
    server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
    port = Number(new URL(server.endpoints.graphql).port);
  });
  afterAll(() => server.close());

  const graphqlPost = (query: string, extra = '') =>
    post('/graphql', JSON.stringify({ query }), `Content-Type: application/json\r\nx-api-key: ${key}\r\n${extra}`);
  const dynamodb = (action: string, body: unknown) =>
    post(
      '/',
      JSON.stringify(body),
      `Content-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.${action}\r\n`,
    );

  it('serves GraphQL and DynamoDB requests on it, then everything else once a request needs node:http', async () => {
    const c = await open(port);
    c.socket.write(
      graphqlPost('mutation { createOrder(id: "o1", customer: "c", item: "tea", quantity: 2) { id quantity } }'),
    );
    const created = await c.next();
    expect(created.status).toBe(200);
    expect(created.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(created.body)).toEqual({ data: { createOrder: { id: 'o1', quantity: 2 } } });

    c.socket.write(dynamodb('GetItem', { TableName: 'Orders', Key: { id: { S: 'o1' } } }));
    const item = await c.next();
    expect(JSON.parse(item.body).Item).toMatchObject({ id: { S: 'o1' }, item: { S: 'tea' } });
    expect(item.headers['x-amz-crc32']).toMatch(/^\d+$/);

    // A GET is node:http's: the connection moves there, and the next POST is answered there the same way.
    c.socket.write(
      `GET /graphql?query=${encodeURIComponent('{ getOrder(id: "o1") { item } }')} HTTP/1.1\r\nHost: x\r\nx-api-key: ${key}\r\n\r\n`,
    );
    expect(JSON.parse((await c.next()).body)).toEqual({ data: { getOrder: { item: 'tea' } } });
    c.socket.write(graphqlPost('{ getOrder(id: "o1") { quantity } }'));
    expect(JSON.parse((await c.next()).body)).toEqual({ data: { getOrder: { quantity: 2 } } });
    c.socket.destroy();
  });

  it('answers auth failures and malformed bodies on the fast path as on node:http', async () => {
    const c = await open(port);
    c.socket.write(post('/graphql', '{"query":"{ getOrder(id: \\"o1\\") { id } }"}', 'x-api-key: da2-wrong\r\n'));
    const denied = await c.next();
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body).errors[0].errorType).toBe('UnauthorizedException');
    c.socket.write(post('/graphql', '{nope', `x-api-key: ${key}\r\n`));
    const malformed = await c.next();
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).errors[0].errorType).toBe('MalformedHttpRequestException');
    c.socket.write(dynamodb('GetItem', { TableName: 'Missing', Key: { id: { S: 'x' } } }));
    const missing = await c.next();
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).__type).toBe('com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
    c.socket.destroy();
  });

  it('leaves browser requests to node:http, which answers CORS', async () => {
    const c = await open(port);
    c.socket.write(graphqlPost('{ getOrder(id: "o1") { id } }', 'Origin: http://localhost:5173\r\n'));
    const r = await c.next();
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(JSON.parse(r.body)).toEqual({ data: { getOrder: { id: 'o1' } } });
    c.socket.destroy();
  });
});

describe('parseRequestHead', () => {
  const parse = (text: string) => parseRequestHead(Buffer.from(text, 'latin1'), 0);

  it('reads method, target, lower-cased headers and where the body starts', () => {
    const text =
      'POST /a?b=1 HTTP/1.1\r\nHost: h\r\nX-Amz-Target:  DynamoDB_20120810.GetItem \t\r\nContent-Length: 2\r\n\r\n{}';
    expect(parse(text)).toEqual({
      method: 'POST',
      url: '/a?b=1',
      headers: { host: 'h', 'x-amz-target': 'DynamoDB_20120810.GetItem', 'content-length': '2' },
      contentLength: 2,
      close: false,
      bodyStart: text.length - 2,
    });
  });

  it('matches known names in any case, keeps unknown ones and empty values', () => {
    const head = parse('POST / HTTP/1.1\r\nCONTENT-Length: 0\r\nX-Amz-Targe: a\r\nX-Custom:\r\nhOsT:h\r\n\r\n');
    expect(head).toMatchObject({
      headers: { 'content-length': '0', 'x-amz-targe': 'a', 'x-custom': '', host: 'h' },
      contentLength: 0,
    });
  });

  it.each([
    ['close', true],
    ['keep-alive, close', true],
    ['Close ,x', true],
    ['closed', false],
    ['xclosex', false],
    ['close x', false],
    ['close\xa0', false],
  ])('reads Connection: %s as llhttp does, an option and not a substring (close: %s)', (value, close) => {
    expect(parse(`POST / HTTP/1.1\r\nHost: h\r\nConnection: ${value}\r\n\r\n`)).toMatchObject({ close });
  });

  it('waits for the end of the head', () => {
    expect(parse('POST / HTTP/1.1\r\nHost: x\r\n')).toBe('incomplete');
  });

  it.each([
    ['no Host (node:http answers 400)', 'POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n'],
    ['an unknown method', 'FOO / HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['HTTP/1.0', 'POST / HTTP/1.0\r\n\r\n'],
    ['an absolute target', 'POST http://x/ HTTP/1.1\r\n\r\n'],
    ['a repeated header', 'POST / HTTP/1.1\r\nA: 1\r\na: 2\r\n\r\n'],
    ['a repeated known header', 'POST / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n'],
    ['a DEL in a value', 'POST / HTTP/1.1\r\nA: 1\x7f\r\n\r\n'],
    ['a lower-case method', 'post / HTTP/1.1\r\n\r\n'],
    ['a space in the target', 'POST /a b HTTP/1.1\r\n\r\n'],
    ['a folded header', 'POST / HTTP/1.1\r\nA: 1\r\n 2\r\n\r\n'],
    ['a space before the colon', 'POST / HTTP/1.1\r\nA : 1\r\n\r\n'],
    ['a control character in a value', 'POST / HTTP/1.1\r\nA: 1\x012\r\n\r\n'],
    ['a bare LF in a value', 'POST / HTTP/1.1\r\nA: 1\n2\r\n\r\n'],
    ['a bare CR in a value', 'POST / HTTP/1.1\r\nA: 1\r2\r\n\r\n'],
    ['a signed length', 'POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n'],
    ['chunked encoding', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['100-continue', 'POST / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n'],
    ['an upgrade', 'GET / HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ['a head past 16 KB', `POST / HTTP/1.1\r\nA: ${'a'.repeat(17 * 1024)}`],
  ])('leaves %s to node:http', (_, text) => {
    expect(parse(text)).toBe('unsupported');
  });
});
