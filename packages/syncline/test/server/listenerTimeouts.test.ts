// Every path through the dual listener bounds the time a client may take: the first byte, the request head, the
// whole request, the TLS handshake, and the idle time between requests. Short limits stand in for the defaults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCertificate } from '../../src/server/devCertificate.js';
import { type DualListener, listenDual } from '../../src/server/dualListener.js';
import type { FastRouter } from '../../src/server/fastHttp/connection.js';
import { closesWithin, firstResponse, openRaw, trickle } from './rawClient.js';

const fastRouter: FastRouter = (head) =>
  head.method === 'POST' && head.url === '/fast'
    ? { maxBody: 1024 * 1024, handle: (r) => ({ status: 200, headers: {}, body: `fast ${r.body.length}` }) }
    : undefined;

const byNode = (req: IncomingMessage, res: ServerResponse) => {
  let size = 0;
  req.on('data', (c: Buffer) => (size += c.length));
  req.on('end', () => {
    const body = `node ${size}`;
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
};

let listener: DualListener;
let port: number;
const upgrades: string[] = [];

beforeAll(async () => {
  listener = await listenDual({
    port: 0,
    host: '127.0.0.1',
    tls: await devCertificate(),
    request: byNode,
    upgrade: (req, socket) => {
      upgrades.push(req.url ?? '');
      socket.destroy();
    },
    limits: { headersTimeoutMs: 300, requestTimeoutMs: 900, keepAliveTimeoutMs: 400 },
    fast: { router: fastRouter },
  });
  port = listener.address.port;
});
afterAll(() => listener.close());

const headerLines = ['x-a: 1\r\n', 'x-b: 2\r\n', 'x-c: 3\r\n'];

describe('a request head sent a line at a time (slowloris)', () => {
  it('is cut off with 408 on the fast path', async () => {
    const c = await openRaw(port);
    const outcome = await trickle(c, 'POST /fast HTTP/1.1\r\nhost: x\r\n', headerLines);
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is cut off with 408 on node:http', async () => {
    const c = await openRaw(port);
    const outcome = await trickle(c, 'GET /node HTTP/1.1\r\nhost: x\r\n', headerLines);
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is cut off with 408 over TLS', async () => {
    const c = await openRaw(port, { tls: true });
    const outcome = await trickle(c, 'GET /node HTTP/1.1\r\nhost: x\r\n', headerLines);
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is cut off when it is a WebSocket upgrade request, before any upgrade handler sees it', async () => {
    const c = await openRaw(port);
    const outcome = await trickle(
      c,
      'GET /graphql/realtime HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n',
      headerLines,
    );
    expect(outcome.closedByServer).toBe(true);
    expect(upgrades).toEqual([]);
  });

  it('is cut off even when every line arrives one byte at a time', async () => {
    const c = await openRaw(port);
    const bytes = [...'x-slow: abcdefghijklmnopqrstuvwxyz\r\n'];
    const outcome = await trickle(c, 'P', bytes, { everyMs: 20 });
    expect(outcome.closedByServer).toBe(true);
  });
});

describe('a request body sent slowly', () => {
  const slowBody = (path: string) => `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-length: 100000\r\n\r\n`;

  it('is cut off at the request time on the fast path', async () => {
    const c = await openRaw(port);
    const outcome = await trickle(c, slowBody('/fast'), ['0123456789']);
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is cut off at the request time on node:http', async () => {
    const c = await openRaw(port);
    const outcome = await trickle(c, slowBody('/node'), ['0123456789']);
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('is cut off at the request time over TLS', async () => {
    const c = await openRaw(port, { tls: true });
    const outcome = await trickle(c, slowBody('/node'), ['0123456789']);
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('a connection that sends nothing', () => {
  it('is closed when no first byte comes', async () => {
    const c = await openRaw(port);
    expect(await closesWithin(c)).toBe(true);
    expect(c.received()).toBe('');
  });

  it('is closed when its TLS handshake never completes', async () => {
    const c = await openRaw(port);
    // A handshake record announcing 512 bytes, of which four arrive.
    c.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]));
    expect(await closesWithin(c)).toBe(true);
  });

  it('is closed after TLS completes when no request follows', async () => {
    const c = await openRaw(port, { tls: true });
    expect(await closesWithin(c)).toBe(true);
  });
});

describe('an idle keep-alive connection', () => {
  const get = 'GET /node HTTP/1.1\r\nhost: x\r\n\r\n';
  const post = 'POST /fast HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nhi';

  it.each([
    ['the fast path', post, false, 'fast 2'],
    ['node:http', get, false, 'node 0'],
    ['TLS', get, true, 'node 0'],
  ])('is closed after its keep-alive time on %s, having been answered', async (_path, request, tls, body) => {
    const c = await openRaw(port, { tls });
    c.socket.write(request);
    const response = await firstResponse(c);
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response.endsWith(body)).toBe(true);
    expect(await closesWithin(c)).toBe(true);
  });

  it('keeps a connection that keeps asking', async () => {
    const c = await openRaw(port);
    for (let i = 0; i < 6; i++) {
      c.socket.write(post);
      await new Promise((ok) => setTimeout(ok, 150));
    }
    expect(c.isClosed()).toBe(false);
    expect(c.received().match(/HTTP\/1\.1 200 /g)).toHaveLength(6);
    c.socket.destroy();
  });
});

describe('a listener under a slowloris crowd', () => {
  it('closes every trickling connection and keeps answering others', async () => {
    const crowd = await Promise.all(Array.from({ length: 40 }, () => openRaw(port)));
    const outcomes = Promise.all(
      crowd.map((c, i) =>
        trickle(c, i % 2 ? 'POST /fast HTTP/1.1\r\n' : 'GET /node HTTP/1.1\r\n', headerLines, { everyMs: 50 }),
      ),
    );
    const socket = connect(port, '127.0.0.1');
    socket.write('POST /fast HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    await new Promise((ok) => socket.once('close', ok));
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect((await outcomes).every((o) => o.closedByServer)).toBe(true);
  });
});
