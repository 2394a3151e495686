// User pools beyond the basics: defaultAction DENY with keys from a JWKS file, and the development issuer that
// `syncline dev` serves with tokens from `syncline token`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addTokenCommand } from '../../src/cli/token.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, startFixture } from '../helpers/server.js';
import { body, post } from './helpers.js';

const ask = (server: SynclineServer, query: string, authorization: string) =>
  post(server, body(query), { 'content-type': 'application/json', authorization });

describe('a user pool with defaultAction DENY', () => {
  let server: SynclineServer;
  const privateJwk = JSON.parse(readFileSync(join(fixtureApp('auth-deny'), 'keys/test-only-private.jwk.json'), 'utf8'));
  const token = async (groups?: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      token_use: 'id',
      'cognito:username': 'alice',
      ...(groups ? { 'cognito:groups': groups } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'deny-fixture' })
      .setIssuer('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DenyFixture')
      .setSubject('u-1')
      .setAudience('any-client')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(await importJWK(privateJwk, 'RS256'));
  };

  beforeAll(async () => {
    server = await startFixture('auth-deny');
  });
  afterAll(() => server.close());

  it('closes fields without a user-pool directive and opens explicitly granted ones', async () => {
    const r = await ask(server, '{ unmarked members profile { name } }', await token());
    expect(r.body.data).toEqual({ unmarked: null, members: 'members', profile: { name: 'alice' } });
    expect(r.body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access unmarked on type Query',
      }),
    ]);
  });

  it('opens @aws_auth(cognito_groups) fields to group members only, nested fields included', async () => {
    const member = await ask(server, '{ admins profile { secret } }', await token(['staff']));
    expect(member.body.data).toEqual({ admins: null, profile: { secret: null } });
    expect(member.body.errors).toHaveLength(2);
    const admin = await ask(server, '{ admins profile { secret } }', await token(['admin']));
    expect(admin.body).toEqual({ data: { admins: 'admins', profile: { secret: 's3cret' } } });
  });

  it('refuses a token whose signature was altered', async () => {
    const [header, payload, signature] = (await token(['admin'])).split('.');
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    const r = await ask(server, '{ members }', [header, payload, flipped].join('.'));
    expect(r.status).toBe(401);
  });
});

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const port = (probe.address() as { port: number }).port;
  await new Promise((ok) => probe.close(ok));
  return port;
}

describe('the development issuer', () => {
  let server: SynclineServer;
  let data: string;
  let issuer: string;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    process.env.SYNCLINE_TEST_LOCAL_ISSUER = issuer;
    data = mkdtempSync(join(tmpdir(), 'syncline-issuer-'));
    server = await createServer({ dir: fixtureApp('auth-local'), port, data, log: 'silent' });
  });
  afterAll(async () => {
    await server.close();
    rmSync(data, { recursive: true, force: true });
  });

  it('publishes an OIDC discovery document and the JWKS on the server port', async () => {
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as any;
    expect(discovery).toMatchObject({ issuer, jwks_uri: `${issuer}/.well-known/jwks.json` });
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as any;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('accepts a token printed by `syncline token` from the running server data folder', async () => {
    // The command itself, in process: the same code `syncline token` runs, without needing a build of dist/.
    const program = new Command().exitOverride();
    addTokenCommand(program);
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await program.parseAsync(
        [
          'token',
          '--sub',
          'alice',
          '--groups',
          'admin,staff',
          '--dir',
          fixtureApp('auth-local'),
          '--data',
          data,
          '--issuer',
          issuer,
        ],
        { from: 'user' },
      );
    } finally {
      write.mockRestore();
    }
    const r = await ask(server, '{ me { identity } adminOnly }', out.trim());
    expect(r.status).toBe(200);
    expect(r.body.data.adminOnly).toBe('adminOnly');
    expect(JSON.parse(r.body.data.me.identity)).toMatchObject({
      sub: 'alice',
      username: 'alice',
      groups: ['admin', 'staff'],
    });
  });

  it('refuses a token minted for another issuer URL or already expired', async () => {
    const other = await server.localIssuer!.mint({ sub: 'bob', issuer: 'http://127.0.0.1:1' });
    expect((await ask(server, '{ me { mode } }', other)).status).toBe(401);
    const expired = await server.localIssuer!.mint({ sub: 'bob', issuer, expiresIn: -1 });
    expect((await ask(server, '{ me { mode } }', expired)).body.errors[0].message).toBe('Token has expired.');
  });
});
