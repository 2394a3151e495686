// Field-level auth on subscriptions: a subscriber reads through its own authorization, never through the
// mutating caller's. Every field a subscription selects (fragments and nested types included) is checked against
// the subscriber's mode, groups and denied fields when it subscribes; a field it may not read refuses the
// subscription with AppSync's Unauthorized error, so no delivered payload can carry it.
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type SynclineServer } from '../../src/index.js';
import { ALICE, body, iamHeaderObject, post, sign, startIssuers, startWith } from '../auth/helpers.js';
import { b64url, RawSocket } from './helpers.js';

const KEY = 'da2-fieldauthfixturekey00000';
let server: SynclineServer;
let issuers: Awaited<ReturnType<typeof startIssuers>>;

beforeAll(async () => {
  issuers = await startIssuers();
  process.env.SYNCLINE_TEST_POOL_ISSUER = issuers.pool.issuer;
  server = await createServer({
    dir: fileURLToPath(new URL('./fixtures/field-auth', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
});
afterAll(async () => {
  await server?.close();
  await issuers?.close();
});

const host = () => new URL(server.endpoints.graphql).host;
const keyHeaders = () => ({ host: host(), 'x-api-key': KEY });
const idToken = (claims: Record<string, unknown> = {}) =>
  issuers.pool.token({ sub: 'u-1', token_use: 'id', aud: 'web-app', 'cognito:username': 'alice', ...claims });

async function connect(header: Record<string, string>): Promise<RawSocket> {
  const socket = await RawSocket.open(server.endpoints.realtime!, ['graphql-ws', `header-${b64url(header)}`]);
  socket.send({ type: 'connection_init' });
  expect((await socket.next()).type).toBe('connection_ack');
  return socket;
}

async function start(socket: RawSocket, id: string, query: string, authorization: Record<string, string>) {
  socket.send(startWith(id, JSON.stringify({ query, variables: {} }), authorization));
  return socket.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'));
}

const MUTATION =
  'mutation ($id: ID!, $o: String) { post(id: $id, text: "t", secret: "s3cr3t", adminNote: "note", owner: $o) ' +
  '{ id text owner secret adminNote detail { level } } }';

/** Runs the post mutation signed with SigV4 (an IAM caller may read every field), as the AWS SDK would sign it. */
async function iamPost(id: string, owner = 'alice') {
  const text = body(MUTATION, { id, o: owner });
  const r = await post(server, text, await sign(server, text, ALICE));
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.post.secret).toBe('s3cr3t');
}

const refused = (frame: any, field: string, type: string) => {
  expect(frame.type).toBe('error');
  expect(frame.payload.errors).toEqual([
    expect.objectContaining({
      errorType: 'Unauthorized',
      message: `Not Authorized to access ${field} on type ${type}`,
    }),
  ]);
};

describe('field-level auth on subscriptions', () => {
  it('refuses over HTTP an @aws_iam field to an API-key caller (the rule subscriptions must follow)', async () => {
    const r = await post(server, body('mutation { post(id: "h", secret: "x") { id secret } }'), {
      'content-type': 'application/json',
      'x-api-key': KEY,
    });
    expect(r.body.data.post).toEqual({ id: 'h', secret: null });
    expect(r.body.errors[0]).toMatchObject({ errorType: 'Unauthorized', path: ['post', 'secret'] });
  });

  it('refuses an API-key subscription selecting an @aws_iam field, so an IAM mutation never leaks it', async () => {
    const socket = await connect(keyHeaders());
    try {
      refused(await start(socket, 'a', 'subscription { onPost { id secret } }', keyHeaders()), 'secret', 'Message');
      await iamPost('leak-1');
      expect(await socket.quiet((f) => f.type === 'data', 300)).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('checks fields reached through fragments, inline fragments and nested types', async () => {
    const socket = await connect(keyHeaders());
    try {
      refused(
        await start(socket, 'f', 'subscription { onPost { id ...M } } fragment M on Message { secret }', keyHeaders()),
        'secret',
        'Message',
      );
      refused(
        await start(socket, 'i', 'subscription { onPost { id ... on Message { adminNote } } }', keyHeaders()),
        'adminNote',
        'Message',
      );
      refused(
        await start(socket, 'n', 'subscription { onPost { id detail { level } } }', keyHeaders()),
        'level',
        'Detail',
      );
    } finally {
      socket.close();
    }
  });

  it('delivers the fields an API-key subscriber may read, from a mutation that selected more', async () => {
    const socket = await connect(keyHeaders());
    try {
      expect((await start(socket, 'ok', 'subscription { onPost { id text } }', keyHeaders())).type).toBe('start_ack');
      await iamPost('shared-1');
      const data = await socket.next((f) => f.type === 'data' && f.id === 'ok');
      expect(data.payload).toEqual({ data: { onPost: { id: 'shared-1', text: 't' } } });
    } finally {
      socket.close();
    }
  });

  it('lets a SigV4-signed subscriber read the @aws_iam fields', async () => {
    const socket = await connect(keyHeaders());
    try {
      const query = 'subscription { onPost { id secret adminNote detail { level } } }';
      const data = JSON.stringify({ query, variables: {} });
      socket.send(startWith('iam', data, await iamHeaderObject(server, ALICE, data, '/graphql')));
      expect((await socket.next((f) => f.id === 'iam')).type).toBe('start_ack');
      await iamPost('iam-1');
      const frame = await socket.next((f) => f.type === 'data' && f.id === 'iam');
      expect(frame.payload.data.onPost).toEqual({
        id: 'iam-1',
        secret: 's3cr3t',
        adminNote: 'note',
        detail: { level: 7 },
      });
    } finally {
      socket.close();
    }
  });

  it('applies cognito_groups: a user outside the group is refused, a member receives the field', async () => {
    const outsider = await idToken({ 'cognito:groups': ['editors'] });
    const admin = await idToken({ 'cognito:groups': ['admin'], 'cognito:username': 'root' });
    const socket = await connect({ host: host(), Authorization: outsider });
    try {
      const query = 'subscription { onPost { id adminNote } }';
      refused(await start(socket, 'u', query, { host: host(), Authorization: outsider }), 'adminNote', 'Message');
      expect((await start(socket, 'g', query, { host: host(), Authorization: admin })).type).toBe('start_ack');
      await iamPost('grp-1');
      const frame = await socket.next((f) => f.type === 'data' && f.id === 'g');
      expect(frame.payload.data.onPost).toEqual({ id: 'grp-1', adminNote: 'note' });
      expect(await socket.quiet((f) => f.id === 'u', 200)).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('keeps identity-based filters per subscriber alongside field auth', async () => {
    const alice = await idToken();
    const bob = await idToken({ sub: 'u-2', 'cognito:username': 'bob' });
    const socket = await connect({ host: host(), Authorization: alice });
    try {
      const query = 'subscription { onMyPost { id owner } }';
      expect((await start(socket, 'alice', query, { host: host(), Authorization: alice })).type).toBe('start_ack');
      expect((await start(socket, 'bob', query, { host: host(), Authorization: bob })).type).toBe('start_ack');
      await iamPost('own-1', 'bob');
      const frame = await socket.next((f) => f.type === 'data');
      expect(frame.id).toBe('bob');
      expect(frame.payload.data.onMyPost).toEqual({ id: 'own-1', owner: 'bob' });
      expect(await socket.quiet((f) => f.type === 'data', 200)).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('refuses the same selection to the graphql-ws client, and serves its readable fields', async () => {
    const client = createClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': KEY },
      retryAttempts: 0,
    });
    try {
      const refusedWith = await new Promise<unknown>((ok) => {
        client.subscribe(
          { query: 'subscription { onPost { id secret } }' },
          { next: () => ok('next'), error: ok, complete: () => ok('complete') },
        );
      });
      expect(refusedWith).toEqual([
        expect.objectContaining({
          errorType: 'Unauthorized',
          message: 'Not Authorized to access secret on type Message',
        }),
      ]);
      const received: unknown[] = [];
      const before = server.realtime.hub.stats.active;
      const stop = client.subscribe(
        { query: 'subscription { onPost { id text } }' },
        { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
      );
      await expect.poll(() => server.realtime.hub.stats.active).toBe(before + 1);
      await iamPost('gws-1');
      await expect.poll(() => received.length).toBe(1);
      expect(received).toEqual([{ data: { onPost: { id: 'gws-1', text: 't' } } }]);
      stop();
    } finally {
      await client.dispose();
    }
  });
});
