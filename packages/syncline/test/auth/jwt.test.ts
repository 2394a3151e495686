// AMAZON_COGNITO_USER_POOLS (default) and OPENID_CONNECT (additional) with tokens minted by jose and keys served by
// a loopback identity provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { startFixture } from '../helpers/server.js';
import { body, connectWith, post, startIssuers, startWith } from './helpers.js';

let server: SynclineServer;
let issuers: Awaited<ReturnType<typeof startIssuers>>;

beforeAll(async () => {
  issuers = await startIssuers();
  process.env.SYNCLINE_TEST_POOL_ISSUER = issuers.pool.issuer;
  process.env.SYNCLINE_TEST_OIDC_ISSUER = issuers.oidc.issuer;
  server = await startFixture('auth-jwt');
});
afterAll(async () => {
  await server.close();
  await issuers.close();
});

const idToken = (claims: Record<string, unknown> = {}, options?: { expiresIn?: number; notBefore?: number }) =>
  issuers.pool.token({ sub: 'u-1', token_use: 'id', aud: 'web-app', 'cognito:username': 'alice', ...claims }, options);
const oidcToken = (claims: Record<string, unknown> = {}, options?: { expiresIn?: number; notBefore?: number }) =>
  issuers.oidc.token({ sub: 'o-1', aud: 'oidc-web', ...claims }, options);

const ask = (query: string, authorization: string) =>
  post(server, body(query), { 'content-type': 'application/json', authorization });

const unauthorized = (r: { status: number; body: any }, message = 'You are not authorized to make this call.') => {
  expect(r.status).toBe(401);
  expect(r.body.errors).toEqual([{ errorType: 'UnauthorizedException', message }]);
};

describe('AMAZON_COGNITO_USER_POOLS', () => {
  it('accepts an id token and reports the user pool identity', async () => {
    const r = await ask('{ me { mode identity } }', await idToken({ 'cognito:groups': ['editors'], email: 'a@x.io' }));
    expect(r.status).toBe(200);
    expect(r.body.data.me.mode).toBe('User Pool Authorization');
    const identity = JSON.parse(r.body.data.me.identity);
    expect(identity).toMatchObject({
      sub: 'u-1',
      issuer: issuers.pool.issuer,
      username: 'alice',
      sourceIp: ['127.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: ['editors'],
    });
    expect(identity.claims).toMatchObject({ email: 'a@x.io', 'cognito:groups': ['editors'], token_use: 'id' });
    expect(Object.keys(identity).sort()).toEqual(
      ['claims', 'defaultAuthStrategy', 'groups', 'issuer', 'sourceIp', 'sub', 'username'].sort(),
    );
  });

  it('accepts an access token by its client_id and the Bearer scheme; groups are null without the claim', async () => {
    const token = await issuers.pool.token({ sub: 'u-2', token_use: 'access', client_id: 'web-2', username: 'bob' });
    const r = await ask('{ me { identity } }', `Bearer ${token}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.data.me.identity)).toMatchObject({ username: 'bob', groups: null });
  });

  it('refuses expired, not-yet-valid, foreign-key, unparseable and wrong-client tokens', async () => {
    unauthorized(await ask('{ me { mode } }', await idToken({}, { expiresIn: -10 })), 'Token has expired.');
    unauthorized(await ask('{ me { mode } }', await idToken({}, { notBefore: 120 })));
    unauthorized(
      await ask('{ me { mode } }', await issuers.stranger.token({ sub: 'x', token_use: 'id', aud: 'web-app' })),
    );
    unauthorized(await ask('{ me { mode } }', 'not-a-token'), 'Unable to parse JWT token.');
    unauthorized(await ask('{ me { mode } }', await idToken({ aud: 'mobile-app' })));
    unauthorized(await ask('{ me { mode } }', await idToken({ token_use: 'refresh' })));
    const tampered = (await idToken()).replace(
      /\.([\w-]+)\./,
      (_m, p) =>
        `.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.`,
    );
    unauthorized(await ask('{ me { mode } }', tampered));
  });

  it('refuses a token from an issuer no provider names', async () => {
    const foreign = await issuers.pool.token({
      iss: 'https://elsewhere.example',
      sub: 'x',
      token_use: 'id',
      aud: 'web-app',
    });
    unauthorized(await ask('{ me { mode } }', foreign));
  });

  it('admits cognito_groups fields only to members of a listed group', async () => {
    const admin = await ask('{ adminOnly editorsOrAdmins }', await idToken({ 'cognito:groups': ['admin'] }));
    expect(admin.body).toEqual({ data: { adminOnly: 'adminOnly', editorsOrAdmins: 'editorsOrAdmins' } });
    const editor = await ask('{ adminOnly editorsOrAdmins }', await idToken({ 'cognito:groups': ['editors'] }));
    expect(editor.body.data).toEqual({ adminOnly: null, editorsOrAdmins: 'editorsOrAdmins' });
    expect(editor.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access adminOnly on type Query',
      }),
    ]);
    const none = await ask('{ adminOnly editorsOrAdmins }', await idToken());
    expect(none.body.data).toEqual({ adminOnly: null, editorsOrAdmins: null });
  });

  it('fetches the JWKS once and reuses it', async () => {
    const before = issuers.jwksRequests();
    for (let i = 0; i < 3; i++) expect((await ask('{ me { mode } }', await idToken())).status).toBe(200);
    expect(issuers.jwksRequests()).toBe(before);
  });
});

describe('OPENID_CONNECT', () => {
  it('accepts a token of the OIDC issuer (found by discovery) with the OIDC identity shape', async () => {
    const r = await ask('{ oidcMe { mode identity } }', await oidcToken({ name: 'Olga' }));
    expect(r.status).toBe(200);
    expect(r.body.data.oidcMe.mode).toBe('Open ID Connect Authorization');
    const identity = JSON.parse(r.body.data.oidcMe.identity);
    expect(identity).toEqual({
      sub: 'o-1',
      issuer: issuers.oidc.issuer,
      claims: expect.objectContaining({ name: 'Olga' }),
    });
  });

  it('routes by issuer: an OIDC caller cannot read user-pool-only fields', async () => {
    const r = await ask('{ me { mode } anyone { mode } }', await oidcToken());
    expect(r.body.data).toEqual({ me: null, anyone: { mode: 'Open ID Connect Authorization' } });
    expect(r.body.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access me on type Query',
    });
  });

  it('refuses a wrong audience, an expired token and one older than iatTTL', async () => {
    unauthorized(await ask('{ oidcMe { mode } }', await oidcToken({ aud: 'oidc-mobile' })));
    unauthorized(await ask('{ oidcMe { mode } }', await oidcToken({}, { expiresIn: -1 })), 'Token has expired.');
    const old = Math.floor(Date.now() / 1000) - 3600;
    unauthorized(await ask('{ oidcMe { mode } }', await oidcToken({ iat: old })), 'Token has expired.');
  });
});

describe('JWT modes on the realtime channel', () => {
  const host = () => new URL(server.endpoints.graphql).host;
  const data = (query: string) => JSON.stringify({ query, variables: {} });

  it('connects with a user pool token and subscribes per start with either mode', async () => {
    const { socket, first } = await connectWith(server, { host: host(), Authorization: await idToken() });
    expect(first.type).toBe('connection_ack');
    socket.send(
      startWith('pool', data('subscription { onPost { id text } }'), { host: host(), Authorization: await idToken() }),
    );
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'pool' });
    socket.send(
      startWith('oidc', data('subscription { onPost { id text } }'), {
        host: host(),
        Authorization: await oidcToken(),
      }),
    );
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'oidc' });
    await ask('mutation { post(text: "hello") { id text } }', await idToken());
    const frames = [await socket.next(), await socket.next()];
    expect(frames.map((f) => f.id).sort()).toEqual(['oidc', 'pool']);
    socket.close();
  });

  it('refuses a handshake with an expired token and a start outside the groups', async () => {
    const expired = await connectWith(server, { host: host(), Authorization: await idToken({}, { expiresIn: -5 }) });
    expect(expired.first).toMatchObject({ type: 'connection_error' });

    const { socket } = await connectWith(server, { host: host(), Authorization: await idToken() });
    const admins = data('subscription { onPostAdmins { id } }');
    socket.send(
      startWith('member', admins, { host: host(), Authorization: await idToken({ 'cognito:groups': ['editors'] }) }),
    );
    const refused = await socket.next();
    expect(refused).toMatchObject({ type: 'error', id: 'member' });
    expect(refused.payload.errors[0]).toMatchObject({ errorType: 'Unauthorized' });
    socket.send(
      startWith('stale', admins, {
        host: host(),
        Authorization: await idToken({ 'cognito:groups': ['admin'] }, { expiresIn: -5 }),
      }),
    );
    const stale = await socket.next();
    expect(stale).toMatchObject({ type: 'error', id: 'stale' });
    expect(stale.payload.errors[0]).toMatchObject({ errorType: 'UnauthorizedException' });
    socket.send(
      startWith('admin', admins, { host: host(), Authorization: await idToken({ 'cognito:groups': ['admin'] }) }),
    );
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'admin' });
    socket.close();
  });
});
