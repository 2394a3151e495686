// AWS_LAMBDA end to end: the app's authorizer runs in the server's functions runtime, behind the HTTP endpoint and
// the realtime channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { startFixture } from '../helpers/server.js';
import { body, connectWith, post, startWith } from './helpers.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await startFixture('auth-lambda');
});
afterAll(() => server.close());

const ask = (query: string, authorization: string) =>
  post(server, body(query), { 'content-type': 'application/json', authorization });
const invocations = () => server.functions.stats('authorizer').invocations;

describe('a Lambda authorizer over HTTP', () => {
  it('authorizes with resolverContext as ctx.identity and nulls the denied fields', async () => {
    const allowed = await ask('{ whoami { mode identity } secret }', 'allow-ann');
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.whoami.mode).toBe('Lambda Authorization');
    expect(JSON.parse(allowed.body.data.whoami.identity)).toEqual({
      resolverContext: { user: 'ann', operationName: null, custom: null },
    });
    expect(allowed.body.data.secret).toBe('secret');

    const limited = await ask('{ secret arnDenied whoami { mode } }', 'limited-ann');
    expect(limited.body.data).toEqual({ secret: null, arnDenied: null, whoami: { mode: 'Lambda Authorization' } });
    expect(limited.body.errors.map((e: any) => e.errorType)).toEqual(['Unauthorized', 'Unauthorized']);
  });

  it('answers 401 for a refusal, caches it, and never invokes for a token failing the expression', async () => {
    const before = invocations();
    for (let i = 0; i < 3; i++) {
      const r = await ask('{ secret }', 'deny-mallory');
      expect(r.status).toBe(401);
      expect(r.body.errors[0].errorType).toBe('UnauthorizedException');
    }
    expect(invocations()).toBe(before + 1);
    expect((await ask('{ secret }', 'Bearer xyz')).status).toBe(401);
    expect(invocations()).toBe(before + 1);
  });

  it('answers 401 when the authorizer throws', async () => {
    expect((await ask('{ secret }', 'throw-boom')).status).toBe(401);
  });
});

describe('a Lambda authorizer on the realtime channel', () => {
  const host = () => new URL(server.endpoints.graphql).host;
  const data = (query: string) => JSON.stringify({ query, variables: {} });

  it('authorizes the handshake and each start; a denied field refuses that start', async () => {
    const refused = await connectWith(server, { host: host(), Authorization: 'deny-eve' });
    expect(refused.first).toMatchObject({ type: 'connection_error' });

    const { socket, first } = await connectWith(server, { host: host(), Authorization: 'allow-ws' });
    expect(first.type).toBe('connection_ack');
    socket.send(
      startWith('a', data('subscription { onPost { id text } }'), { host: host(), Authorization: 'allow-ws' }),
    );
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'a' });
    socket.send(startWith('d', data('subscription { onPost { id } }'), { host: host(), Authorization: 'deny-eve' }));
    expect(await socket.next()).toMatchObject({
      type: 'error',
      id: 'd',
      payload: { errors: [{ errorType: 'UnauthorizedException' }] },
    });
    socket.send(
      startWith('s', data('subscription { onSecretPost { id } }'), { host: host(), Authorization: 'limited-ws' }),
    );
    const denied = await socket.next();
    expect(denied).toMatchObject({ type: 'error', id: 's' });
    expect(denied.payload.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access onSecretPost on type Subscription',
    });
    await ask('mutation { post(text: "from lambda") { id text } }', 'allow-writer');
    expect(await socket.next()).toMatchObject({
      type: 'data',
      id: 'a',
      payload: { data: { onPost: { text: 'from lambda' } } },
    });
    socket.close();
  });
});
