// AppSync's realtime protocol frame by frame, over real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import {
  API_KEY,
  appsyncConnection,
  authHeader,
  b64url,
  mutate,
  RawSocket,
  startFrame,
  startRealtime,
  subscribe,
} from './helpers.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startRealtime();
});
afterAll(() => server.close());

const ON_CREATE = 'subscription { onCreateOrder { id item quantity } }';
const UNAUTHORIZED = {
  errorType: 'UnauthorizedException',
  message: 'You are not authorized to make this call.',
  errorCode: 401,
};

// A header object whose standard base64 holds `+` and `/`, the characters a raw query string mangles.
function awkwardHeader(): Record<string, string> {
  for (let i = 0; ; i++) {
    const header = { ...authHeader(server), 'x-pad': '?'.repeat(i % 7) + '>'.repeat(i) };
    const encoded = Buffer.from(JSON.stringify(header)).toString('base64');
    if (encoded.includes('+') && encoded.includes('/')) return header;
  }
}

describe('handshake auth transports', () => {
  it('accepts the header- subprotocol entry (Amplify ≥ 6.6) and selects graphql-ws', async () => {
    const socket = await RawSocket.open(server.endpoints.realtime!, [
      'graphql-ws',
      `header-${b64url(authHeader(server))}`,
    ]);
    expect(socket.ws.protocol).toBe('graphql-ws');
    socket.send({ type: 'connection_init' });
    expect(await socket.next()).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    socket.close();
  });

  it('accepts ?header=<base64>&payload=e30= with raw + and / in the query string (Amplify ≤ 6.5, aws-appsync)', async () => {
    const encoded = Buffer.from(JSON.stringify(awkwardHeader())).toString('base64');
    const socket = await RawSocket.open(`${server.endpoints.realtime}?header=${encoded}&payload=e30=`, ['graphql-ws']);
    expect(socket.ws.protocol).toBe('graphql-ws');
    socket.send({ type: 'connection_init' });
    expect((await socket.next()).type).toBe('connection_ack');
    socket.close();
  });

  it('accepts plain HTTP headers on the upgrade request', async () => {
    const socket = await RawSocket.open(server.endpoints.realtime!, ['graphql-ws'], {
      headers: { 'x-api-key': API_KEY },
    });
    socket.send({ type: 'connection_init' });
    expect((await socket.next()).type).toBe('connection_ack');
    socket.close();
  });

  it('answers connection_init with connection_error for a wrong, missing or undecodable credential, then closes', async () => {
    const variants: [string, string[]][] = [
      [server.endpoints.realtime!, ['graphql-ws', `header-${b64url(authHeader(server, 'da2-wrong'))}`]],
      [server.endpoints.realtime!, ['graphql-ws']],
      [`${server.endpoints.realtime}?header=notbase64json&payload=e30=`, ['graphql-ws']],
    ];
    for (const [url, protocols] of variants) {
      const socket = await RawSocket.open(url, protocols);
      socket.send({ type: 'connection_init' });
      expect(await socket.next()).toEqual({ type: 'connection_error', payload: { errors: [UNAUTHORIZED] } });
      await socket.closed;
    }
  });

  it('serves /graphql and a doubled-slash //realtime too, and refuses other paths', async () => {
    const base = server.endpoints.http.replace('http:', 'ws:');
    for (const path of ['/graphql', '//realtime', '/graphql/realtime/']) {
      const socket = await RawSocket.open(base + path, ['graphql-ws'], { headers: { 'x-api-key': API_KEY } });
      socket.send({ type: 'connection_init' });
      expect((await socket.next()).type).toBe('connection_ack');
      socket.close();
    }
    await expect(RawSocket.open(`${base}/elsewhere`, ['graphql-ws'])).rejects.toThrow(/404/);
  });
});

describe('messages', () => {
  it('acks, sends ka at once and then periodically', async () => {
    const fast = await startRealtime({ keepAliveMs: 40 });
    try {
      const socket = await appsyncConnection(fast);
      await socket.next((f) => f.type === 'ka');
      await socket.next((f) => f.type === 'ka');
      await socket.next((f) => f.type === 'ka');
      socket.close();
    } finally {
      await fast.close();
    }
  });

  it('start → start_ack → data per mutation → stop → complete, and nothing after stop', async () => {
    const socket = await appsyncConnection(server);
    expect(await subscribe(socket, server, 'a1', ON_CREATE)).toEqual({ type: 'start_ack', id: 'a1' });
    await mutate(server, 'mutation { createOrder(id: "m1", item: "tea", quantity: 1) { id item quantity } }');
    expect(await socket.next()).toEqual({
      type: 'data',
      id: 'a1',
      payload: { data: { onCreateOrder: { id: 'm1', item: 'tea', quantity: 1 } } },
    });
    socket.send({ type: 'stop', id: 'a1' });
    expect(await socket.next()).toEqual({ type: 'complete', id: 'a1' });
    await mutate(server, 'mutation { createOrder(id: "m2", item: "tea") { id } }');
    expect(await socket.quiet()).toBe(true);
    socket.close();
  });

  it('ignores start before connection_init was acknowledged', async () => {
    const socket = await RawSocket.open(server.endpoints.realtime!, [
      'graphql-ws',
      `header-${b64url(authHeader(server))}`,
    ]);
    socket.send(startFrame(server, 'early', ON_CREATE));
    expect(await socket.quiet()).toBe(true);
    socket.send({ type: 'connection_init' });
    expect((await socket.next()).type).toBe('connection_ack');
    socket.close();
  });

  it('refuses a reused id with DuplicatedOperationError', async () => {
    const socket = await appsyncConnection(server);
    await subscribe(socket, server, 'dup', ON_CREATE);
    expect(await subscribe(socket, server, 'dup', ON_CREATE)).toEqual({
      type: 'error',
      id: 'dup',
      payload: { errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id dup' }] },
    });
    socket.close();
  });

  it('refuses the 101st subscription on a connection with MaxSubscriptionsReachedError', async () => {
    const socket = await appsyncConnection(server);
    for (let i = 0; i < 100; i++) socket.send(startFrame(server, `s${i}`, ON_CREATE));
    for (let i = 0; i < 100; i++) await socket.next((f) => f.type === 'start_ack' && f.id === `s${i}`);
    const refused = await subscribe(socket, server, 's100', ON_CREATE);
    expect(refused.payload.errors[0]).toEqual({
      errorType: 'MaxSubscriptionsReachedError',
      message: 'Max number of 100 subscriptions reached',
    });
    // Stopping one makes room again.
    socket.send({ type: 'stop', id: 's0' });
    await socket.next((f) => f.type === 'complete');
    expect((await subscribe(socket, server, 's100', ON_CREATE)).type).toBe('start_ack');
    socket.close();
  });

  it('answers unknown message types with UnsupportedOperation', async () => {
    const socket = await appsyncConnection(server);
    socket.send({ type: 'subscribe', id: 'x', payload: { query: ON_CREATE } });
    expect(await socket.next()).toEqual({
      type: 'error',
      id: 'x',
      payload: {
        errors: [
          { errorType: 'UnsupportedOperation', message: 'subscribe not supported through the realtime channel' },
        ],
      },
    });
    socket.close();
  });

  it('answers stop for an unknown id with UnknownOperationError', async () => {
    const socket = await appsyncConnection(server);
    socket.send({ type: 'stop', id: 'ghost' });
    expect((await socket.next()).payload.errors[0].errorType).toBe('UnknownOperationError');
    socket.close();
  });

  it('answers malformed frames with an error and keeps the connection usable', async () => {
    const socket = await appsyncConnection(server);
    for (const frame of ['not json', '[1,2]', '{"type":5}', '{}', 'null']) {
      socket.send(frame);
      expect((await socket.next()).payload.errors[0].errorType).toBe('BadRequestException');
    }
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await socket.next()).type).toBe('error');
    for (const payload of [
      undefined,
      { data: 5 },
      { data: '{bad' },
      { data: '{"variables":{}}' },
      { data: '{"query":"x","variables":[1]}' },
    ]) {
      socket.send({ type: 'start', id: 'bad', payload });
      expect(await socket.next()).toMatchObject({
        type: 'error',
        id: 'bad',
        payload: { errors: [{ errorType: 'BadRequestException' }] },
      });
    }
    socket.send({ type: 'start', payload: { data: '{}' } });
    expect((await socket.next()).payload.errors[0].message).toMatch(/needs an id/);
    expect((await subscribe(socket, server, 'good', ON_CREATE)).type).toBe('start_ack');
    socket.close();
  });
});

describe('start validation and authorization', () => {
  it('authorizes every start with its own header object', async () => {
    const socket = await appsyncConnection(server);
    socket.send(startFrame(server, 'bad-key', ON_CREATE, {}, authHeader(server, 'da2-wrong')));
    expect(await socket.next()).toEqual({ type: 'error', id: 'bad-key', payload: { errors: [UNAUTHORIZED] } });
    socket.send(startFrame(server, 'other-key', ON_CREATE, {}, authHeader(server, 'da2-realtimesecondkey0000000')));
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'other-key' });
    socket.close();
  });

  it('rejects queries, subscriptions without @aws_subscribe and invalid documents', async () => {
    const socket = await appsyncConnection(server);
    expect((await subscribe(socket, server, 'q', '{ none }')).payload.errors[0]).toMatchObject({
      errorType: 'UnsupportedOperation',
    });
    expect(
      (await subscribe(socket, server, 'n', 'subscription { onNothing { id } }')).payload.errors[0].message,
    ).toMatch(/no @aws_subscribe/);
    const invalid = await subscribe(socket, server, 'v', 'subscription { onCreateOrder { nope } }');
    expect(invalid.payload.errors[0].message).toMatch(
      /^Validation error of type FieldUndefined: Field 'nope' in type 'Order'/,
    );
    const syntax = await subscribe(socket, server, 'x', 'subscription {');
    expect(syntax.payload.errors[0].errorType).toBe('InvalidSyntax');
    const vars = await subscribe(socket, server, 'y', 'subscription ($i: Int!) { onCreateOrder(item: $i) { id } }');
    expect(vars.type).toBe('error');
    socket.close();
  });

  it('rejects a subscription whose resolver calls util.unauthorized(), and accepts it when the resolver allows', async () => {
    const socket = await appsyncConnection(server);
    const query = 'subscription ($o: String) { onPrivateOrder(owner: $o) { id owner } }';
    const refused = await subscribe(socket, server, 'p1', query, { o: 'ada' });
    expect(refused.type).toBe('error');
    expect(refused.payload.errors[0]).toMatchObject({ errorType: 'Unauthorized' });
    socket.send(startFrame(server, 'p2', query, { o: 'ada' }, { ...authHeader(server), 'x-owner': 'ada' }));
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'p2' });
    await mutate(server, 'mutation { createOrder(id: "p", item: "x", owner: "ada") { id owner } }');
    expect((await socket.next()).payload.data.onPrivateOrder).toEqual({ id: 'p', owner: 'ada' });
    socket.close();
  });
});

describe('limits', () => {
  it('does not deliver payloads over 240 KB and counts them', async () => {
    const socket = await appsyncConnection(server);
    await subscribe(socket, server, 'big', 'subscription { onCreateOrder(item: "big") { id note } }');
    const before = server.realtime.hub.stats.oversized;
    const huge = 'x'.repeat(245 * 1024);
    await mutate(server, 'mutation ($n: String) { createOrder(id: "b1", item: "big", note: $n) { id item note } }', {
      n: huge,
    });
    await mutate(server, 'mutation ($n: String) { createOrder(id: "b2", item: "big", note: $n) { id item note } }', {
      n: 'small',
    });
    const data = await socket.next();
    expect(data.payload.data.onCreateOrder).toEqual({ id: 'b2', note: 'small' });
    expect(server.realtime.hub.stats.oversized).toBe(before + 1);
    socket.close();
  });

  it('closes connections after their lifetime (24 h on AppSync)', async () => {
    const short = await startRealtime({ keepAliveMs: 30, lifetimeMs: 200 });
    try {
      const socket = await appsyncConnection(short);
      const closed = await socket.closed;
      expect(closed.reason).toBe('Connection lifetime exceeded');
    } finally {
      await short.close();
    }
  });
});
