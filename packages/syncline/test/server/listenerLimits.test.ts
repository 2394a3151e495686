// A Syncline server's listener limits, set through `createServer({ listener })`: the connection cap with its log
// line, the request head size, and the bounds on a WebSocket that never finishes its handshake or never initializes.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql } from '../helpers/server.js';
import { closesWithin, firstResponse, openRaw, type RawConnection, trickle } from './rawClient.js';

const API_KEY = 'da2-realtimefixturekey000000';

function capturingLog() {
  const lines: any[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

const portOf = (server: SynclineServer) => Number(new URL(server.endpoints.graphql).port);

const graphqlPost = (extraHeaders = '') => {
  const body = JSON.stringify({ query: '{ __typename }' });
  return `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: ${API_KEY}\r\n${extraHeaders}content-length: ${body.length}\r\n\r\n${body}`;
};

describe('the connection cap', () => {
  let server: SynclineServer;
  const { log, lines } = capturingLog();
  const open: RawConnection[] = [];
  beforeAll(async () => {
    server = await createServer({
      dir: fixtureApp('realtime'),
      port: 0,
      data: ':memory:',
      log,
      listener: { maxConnections: 3 },
    });
  });
  afterAll(async () => {
    for (const c of open) c.socket.destroy();
    await server.close();
  });

  it('closes connections past the cap at once, logs one line, and keeps serving the open ones', async () => {
    const port = portOf(server);
    for (let i = 0; i < 3; i++) {
      const c = await openRaw(port);
      open.push(c);
      c.socket.write(graphqlPost());
      expect(await firstResponse(c)).toMatch(/^HTTP\/1\.1 200 /);
    }
    // Over the cap: closed without a byte read or written, however many try.
    const refused = await Promise.all(Array.from({ length: 5 }, () => openRaw(port).catch(() => undefined)));
    for (const c of refused) {
      if (!c) continue;
      c.socket.write(graphqlPost());
      expect(await closesWithin(c)).toBe(true);
      expect(c.received()).toBe('');
    }
    const capLines = lines.filter((l) => /connection limit reached/.test(l.msg));
    expect(capLines).toHaveLength(1);
    expect(capLines[0]).toMatchObject({ level: 40, maxConnections: 3 });
    // The open connections are served as before.
    open[0].socket.write(graphqlPost());
    await new Promise((ok) => setTimeout(ok, 50));
    expect(open[0].received().match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
  });

  it('accepts a new connection once an open one ends', async () => {
    const port = portOf(server);
    open.shift()!.socket.destroy();
    // The server counts the connection as ended when its close reaches it: try a few times.
    for (let attempt = 0; attempt < 50; attempt++) {
      const c = await openRaw(port).catch(() => undefined);
      if (c) {
        c.socket.write(graphqlPost('connection: close\r\n'));
        const answer = await firstResponse(c);
        if (answer.startsWith('HTTP/1.1 200 ')) return;
      }
      await new Promise((ok) => setTimeout(ok, 20));
    }
    expect.fail('no connection was accepted after one ended');
  });
});

describe('request heads and handshakes on a Syncline server', () => {
  let server: SynclineServer;
  let port: number;
  beforeAll(async () => {
    server = await createServer({
      dir: fixtureApp('realtime'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      listener: { maxHeaderBytes: 4096, headersTimeoutMs: 300, requestTimeoutMs: 1000 },
      realtime: { connectionTimeoutMs: 300, keepAliveMs: 100, connectionInitWaitMs: 300 },
    });
    port = portOf(server);
  });
  afterAll(() => server.close());

  const padding = (bytes: number) => `x-padding: ${'a'.repeat(bytes)}\r\n`;

  it.each([
    ['a GraphQL POST (the fast path)', true],
    ['a GET (node:http)', false],
  ])('answers 431 to %s whose head exceeds maxHeaderBytes, and serves one within it', async (_name, fast) => {
    const request = (extra: string) =>
      fast
        ? graphqlPost(extra)
        : `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nhost: x\r\nx-api-key: ${API_KEY}\r\n${extra}\r\n`;
    const big = await openRaw(port);
    big.socket.write(request(padding(5000)));
    expect(await firstResponse(big)).toMatch(/^HTTP\/1\.1 431 /);
    const small = await openRaw(port);
    small.socket.write(request(padding(3000)));
    expect(await firstResponse(small)).toMatch(/^HTTP\/1\.1 200 /);
    small.socket.destroy();
  });

  it('cuts off a WebSocket upgrade request sent a line at a time', async () => {
    const c = await openRaw(port);
    const outcome = await trickle(
      c,
      'GET /graphql/realtime HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-version: 13\r\n',
      ['x-a: 1\r\n'],
    );
    expect(outcome.closedByServer).toBe(true);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps an initialized WebSocket open past the head and request times', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql/realtime`, ['graphql-ws'], {
      headers: { host: `127.0.0.1:${port}`, 'x-api-key': API_KEY },
    });
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    ws.send(JSON.stringify({ type: 'connection_init' }));
    // Three request times (1 s each here): a connection past its upgrade is no longer a request being received.
    await new Promise((ok) => setTimeout(ok, 3000));
    expect(frames.some((f) => f.includes('connection_ack'))).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('keeps an SSE subscription streaming past the request and keep-alive times', async () => {
    const url = new URL(`${server.endpoints.http}/graphql/stream`);
    url.searchParams.set('query', 'subscription { onCreateOrder(item: "long") { id } }');
    const controller = new AbortController();
    const res = await fetch(url, { headers: { 'x-api-key': API_KEY }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    await expect.poll(() => server.realtime.hub.stats.active).toBeGreaterThan(0);
    // Past the request time (1 s here) and node:http's keep-alive time: a response still being sent is no idle link.
    await new Promise((ok) => setTimeout(ok, 2500));
    await gql(server, 'mutation { createOrder(id: "long1", item: "long") { id item } }', undefined, {
      'x-api-key': API_KEY,
    });
    let text = '';
    while (!text.includes('long1')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    expect(text).toContain('"id":"long1"');
    controller.abort();
  });

  it.each([
    ['AppSync', 'graphql-ws'],
    ['graphql-transport-ws', 'graphql-transport-ws'],
  ])('closes an upgraded %s connection that never sends connection_init', async (_name, protocol) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql/realtime`, [protocol], {
      headers: { host: `127.0.0.1:${port}`, 'x-api-key': API_KEY },
    });
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    const closed = new Promise<number>((ok) => ws.on('close', (code) => ok(code)));
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([closed, new Promise((ok) => (timer = setTimeout(() => ok('open'), 8000)))]);
    clearTimeout(timer);
    ws.terminate();
    expect(code).not.toBe('open');
    expect(frames.filter((f) => f.includes('connection_ack'))).toEqual([]);
  });
});
