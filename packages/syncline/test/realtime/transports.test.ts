// graphql-transport-ws and SSE frame by frame, TLS on the shared port, and slow consumers.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { API_KEY, appsyncConnection, mutate, RawSocket, startRealtime, subscribe } from './helpers.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startRealtime({ connectionInitWaitMs: 300 });
});
afterAll(() => server.close());

const transportWs = (headers?: Record<string, string>) =>
  RawSocket.open(server.endpoints.realtime!, ['graphql-transport-ws'], { headers });

async function initialized(): Promise<RawSocket> {
  const socket = await transportWs();
  socket.send({ type: 'connection_init', payload: { 'x-api-key': API_KEY } });
  expect(await socket.next()).toEqual({ type: 'connection_ack' });
  return socket;
}

describe('graphql-transport-ws', () => {
  it('selects graphql-transport-ws and closes with its codes on protocol violations', async () => {
    const cases: [(s: RawSocket) => void, number][] = [
      [(s) => s.send('not json'), 4400],
      [(s) => s.send({ type: 'subscribe', id: '1', payload: { query: '{ none }' } }), 4401],
      [(s) => s.send({ type: 'connection_init', payload: { 'x-api-key': 'da2-wrong' } }), 4403],
      [(s) => s.send({ type: 'connection_init', payload: 'key' }), 4400],
      [(s) => s.send({ type: 'what' }), 4400],
    ];
    for (const [act, code] of cases) {
      const socket = await transportWs();
      expect(socket.ws.protocol).toBe('graphql-transport-ws');
      act(socket);
      expect((await socket.closed).code).toBe(code);
    }
  });

  it('closes 4408 without connection_init, 4429 on a second one, 4409 on a duplicate id', async () => {
    expect((await (await transportWs()).closed).code).toBe(4408);
    const twice = await initialized();
    twice.send({ type: 'connection_init' });
    expect((await twice.closed).code).toBe(4429);
    const dup = await initialized();
    const sub = { type: 'subscribe', id: 'd', payload: { query: 'subscription { onCreateOrder { id } }' } };
    dup.send(sub);
    dup.send(sub);
    expect(await dup.closed).toEqual({ code: 4409, reason: 'Subscriber for d already exists' });
  });

  it('authenticates with upgrade headers, answers ping with pong, sends errors and next/complete', async () => {
    const socket = await transportWs({ 'x-api-key': API_KEY });
    socket.send({ type: 'connection_init' });
    expect(await socket.next()).toEqual({ type: 'connection_ack' });
    socket.send({ type: 'ping', payload: { t: 1 } });
    expect(await socket.next()).toEqual({ type: 'pong', payload: { t: 1 } });
    socket.send({ type: 'subscribe', id: 'bad', payload: { query: 'subscription { onCreateOrder { nope } }' } });
    const error = await socket.next();
    expect(error).toMatchObject({ id: 'bad', type: 'error' });
    expect(error.payload[0].message).toMatch(/FieldUndefined/);
    socket.send({ type: 'subscribe', id: 'q', payload: { query: '{ none }' } });
    expect(await socket.next()).toEqual({ id: 'q', type: 'next', payload: { data: { none: null } } });
    expect(await socket.next()).toEqual({ id: 'q', type: 'complete' });
    socket.send({
      type: 'subscribe',
      id: 's',
      payload: { query: 'subscription { onCreateOrder(item: "gtws") { id } }' },
    });
    await expect.poll(() => server.realtime.hub.stats.active).toBeGreaterThan(0);
    await mutate(server, 'mutation { createOrder(id: "g1", item: "gtws") { id item } }');
    expect(await socket.next()).toEqual({ id: 's', type: 'next', payload: { data: { onCreateOrder: { id: 'g1' } } } });
    socket.send({ type: 'complete', id: 's' });
    await mutate(server, 'mutation { createOrder(id: "g2", item: "gtws") { id item } }');
    expect(await socket.quiet()).toBe(true);
    socket.close();
  });
});

describe('GraphQL over SSE', () => {
  it('streams a subscription from GET /graphql/stream', async () => {
    const url = new URL(`${server.endpoints.http}/graphql/stream`);
    url.searchParams.set('query', 'subscription { onCreateOrder(item: "get") { id } }');
    const controller = new AbortController();
    const res = await fetch(url, { headers: { 'x-api-key': API_KEY }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    await expect.poll(() => server.realtime.hub.stats.active).toBeGreaterThan(0);
    await mutate(server, 'mutation { createOrder(id: "sse1", item: "get") { id item } }');
    let text = '';
    while (!text.includes('\n\n')) text += Buffer.from((await reader.read()).value!).toString();
    expect(text).toBe('event: next\ndata: {"data":{"onCreateOrder":{"id":"sse1"}}}\n\n');
    controller.abort();
  });

  it('refuses a bad key with 401', async () => {
    const denied = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', 'x-api-key': 'da2-wrong' },
      body: JSON.stringify({ query: 'subscription { onCreateOrder { id } }' }),
    });
    expect(denied.status).toBe(401);
  });
});

describe('GraphQL over SSE, single-connection mode', () => {
  const streamUrl = () => `${server.endpoints.http}/graphql/stream`;
  const reserve = async () => {
    const put = await fetch(streamUrl(), { method: 'PUT' });
    expect(put.status).toBe(201);
    expect(put.headers.get('content-type')).toMatch(/^text\/plain/);
    return put.text();
  };
  const operate = (token: string, body: unknown, key = API_KEY) =>
    fetch(streamUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'x-graphql-event-stream-token': token },
      body: JSON.stringify(body),
    });
  /** The token's event stream, and a way to read it until some text has arrived. */
  const openStream = async (token: string) => {
    const controller = new AbortController();
    const stream = await fetch(streamUrl(), {
      headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    let text = '';
    return {
      async until(marker: string) {
        while (!text.includes(marker)) text += Buffer.from((await reader.read()).value!).toString();
        return text;
      },
      close: () => controller.abort(),
    };
  };

  it('answers what the protocol says for unknown tokens, second streams, missing ids and bad keys', async () => {
    const token = await reserve();
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const unknown = await operate('no-such-token', { query: '{ none }', extensions: { operationId: 'a' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ errors: [{ message: 'Stream not found' }] });
    const missing = await operate(token, { query: '{ none }' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ errors: [{ message: 'Operation ID is missing' }] });
    const denied = await operate(token, { query: '{ none }', extensions: { operationId: 'b' } }, 'da2-wrong');
    expect(denied.status).toBe(401);
    const invalid = await operate(token, { query: '{ nope }', extensions: { operationId: 'c' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(
      /FieldUndefined/,
    );

    const controller = new AbortController();
    const stream = await fetch(`${streamUrl()}?token=${token}`, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const second = await fetch(streamUrl(), {
      headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': token },
    });
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ errors: [{ message: 'Stream already open' }] });
    const stop = await fetch(`${streamUrl()}?operationId=none`, {
      method: 'DELETE',
      headers: { 'x-graphql-event-stream-token': token },
    });
    expect(stop.status).toBe(200);
    controller.abort();
    // The reservation ends with its stream.
    await expect
      .poll(async () => (await operate(token, { query: '{ none }', extensions: { operationId: 'd' } })).status)
      .toBe(404);
  });

  it('keeps results of operations sent before the stream connects, and sends them first', async () => {
    const token = await reserve();
    const accepted = await operate(token, { query: '{ none }', extensions: { operationId: 'early' } });
    expect(accepted.status).toBe(202);
    const stream = await openStream(token);
    expect(await stream.until('event: complete')).toBe(
      ':\n\nevent: next\ndata: {"id":"early","payload":{"data":{"none":null}}}\n\n' +
        'event: complete\ndata: {"id":"early"}\n\n',
    );
    stream.close();
  });

  it('stops a subscription on DELETE and completes it on the stream', async () => {
    const token = await reserve();
    const stream = await openStream(token);
    const before = server.realtime.hub.stats.active;
    const sub = await operate(token, {
      query: 'subscription { onCreateOrder(item: "single") { id } }',
      extensions: { operationId: 's1' },
    });
    expect(sub.status).toBe(202);
    expect(server.realtime.hub.stats.active).toBe(before + 1);
    const duplicate = await operate(token, { query: '{ none }', extensions: { operationId: 's1' } });
    expect(duplicate.status).toBe(409);
    await mutate(server, 'mutation { createOrder(id: "one1", item: "single") { id item } }');
    expect(await stream.until('one1')).toContain(
      'event: next\ndata: {"id":"s1","payload":{"data":{"onCreateOrder":{"id":"one1"}}}}\n\n',
    );
    const stop = await fetch(`${streamUrl()}?operationId=s1`, {
      method: 'DELETE',
      headers: { 'x-graphql-event-stream-token': token },
    });
    expect(stop.status).toBe(200);
    expect(await stream.until('event: complete')).toContain('event: complete\ndata: {"id":"s1"}\n\n');
    expect(server.realtime.hub.stats.active).toBe(before);
    stream.close();
  });
});

describe('TLS on the shared port', () => {
  it('serves https and wss on the same port as http and ws, with a certificate for 127.0.0.1', async () => {
    const url = new URL(server.endpoints.graphql);
    const body = await new Promise<string>((ok, fail) => {
      const req = httpsRequest(
        {
          host: url.hostname,
          port: url.port,
          path: '/graphql',
          method: 'POST',
          ca: server.devCertificate!.cert,
          headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => ok(text));
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify({ query: '{ __typename }' }));
    });
    expect(JSON.parse(body)).toEqual({ data: { __typename: 'Query' } });
    const { WebSocket } = await import('ws');
    const wss = new WebSocket(server.endpoints.realtime!.replace('ws:', 'wss:'), ['graphql-ws'], {
      ca: server.devCertificate!.cert,
      headers: { 'x-api-key': API_KEY },
    });
    const socket = new RawSocket(wss);
    await new Promise((ok) => wss.once('open', ok));
    socket.send({ type: 'connection_init' });
    expect((await socket.next()).type).toBe('connection_ack');
    socket.close();
  });

  it("keeps the dev certificate's CA in the user's config folder, whatever the data folder, and reuses it", async () => {
    const config = mkdtempSync(join(tmpdir(), 'syncline-config-'));
    const before = process.env.SYNCLINE_CONFIG_DIR;
    process.env.SYNCLINE_CONFIG_DIR = config;
    try {
      const first = await createServer({ dir: fixtureApp('realtime'), port: 0, data: ':memory:', log: 'silent' });
      const path = first.devCertificate!.path;
      await first.close();
      expect(path).toBe(join(config, 'ca', 'rootCA.pem'));
      expect(existsSync(join(config, 'ca', 'rootCA-key.pem'))).toBe(true);
      const second = await createServer({ dir: fixtureApp('realtime'), port: 0, data: ':memory:', log: 'silent' });
      expect(second.devCertificate!.cert).toBe(readFileSync(path, 'utf8'));
      await second.close();
    } finally {
      if (before === undefined) delete process.env.SYNCLINE_CONFIG_DIR;
      else process.env.SYNCLINE_CONFIG_DIR = before;
      rmSync(config, { recursive: true, force: true });
    }
  });
});

// A client frame must be masked; this builds one by hand for a peer that then stops reading.
function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([header, mask, body]);
}

describe('slow consumers', () => {
  it('closes a connection that stops reading, without delaying other subscribers', async () => {
    const slow = await startRealtime({ maxBufferedBytes: 256 * 1024 });
    try {
      const host = new URL(slow.endpoints.http);
      const raw = connect(Number(host.port), host.hostname);
      await new Promise((ok) => raw.once('connect', ok));
      raw.write(
        'GET /graphql/realtime HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Protocol: graphql-ws\r\nx-api-key: ${API_KEY}\r\n\r\n`,
      );
      raw.write(maskedText(JSON.stringify({ type: 'connection_init' })));
      const start = {
        id: 'slow',
        type: 'start',
        payload: {
          data: JSON.stringify({ query: 'subscription { onCreateOrder(item: "bulk") { note } }' }),
          extensions: {},
        },
      };
      raw.write(maskedText(JSON.stringify(start)));
      await expect.poll(() => slow.realtime.hub.stats.active).toBe(1);
      raw.pause();

      const reader = await appsyncConnection(slow);
      await subscribe(reader, slow, 'fast', 'subscription { onCreateOrder(item: "bulk") { id } }');
      const note = 'n'.repeat(200 * 1024);
      const total = 80;
      for (let i = 0; i < total; i++) {
        await mutate(
          slow,
          'mutation ($n: String, $i: ID) { createOrder(id: $i, item: "bulk", note: $n) { id item note } }',
          {
            n: note,
            i: String(i),
          },
        );
      }
      for (let i = 0; i < total; i++)
        await reader.next((f) => f.type === 'data' && f.payload.data.onCreateOrder.id === String(i));
      await expect.poll(() => slow.realtime.connections().appsync, { timeout: 5_000 }).toBe(1);
      expect(slow.realtime.hub.stats.active).toBe(1);
      raw.destroy();
      reader.close();
    } finally {
      await slow.close();
    }
  });
});
