// Real credentials for auth tests: SigV4 from the signer the AWS SDK uses, JWTs from jose against a JWKS served
// on loopback, raw AppSync realtime frames with header objects.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { SynclineServer } from '../../src/index.js';
import { RawSocket } from '../realtime/helpers.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const ALICE: Credentials = {
  accessKeyId: 'AKIAAUTHFIXTURE00001',
  secretAccessKey: 'fixture-secret-one/abcdefghijklmnopqrstuv',
};
export const SESSION: Credentials = {
  accessKeyId: 'ASIAAUTHFIXTURE00002',
  secretAccessKey: 'fixture-secret-two/abcdefghijklmnopqrstuv',
  sessionToken: 'fixture-session-token',
};

export interface SignOptions {
  region?: string;
  service?: string;
  signingDate?: Date;
  path?: string;
}

/** Signs `POST <path>` with `body` for the server's host, as the AWS SDK would; returns the signed headers. */
export async function sign(
  server: SynclineServer,
  body: string,
  credentials: Credentials,
  options: SignOptions = {},
  extraHeaders: Record<string, string> = {},
): Promise<Record<string, string>> {
  const url = new URL(server.endpoints.graphql);
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? 'eu-west-1',
    service: options.service ?? 'appsync',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: options.path ?? '/graphql',
      query: {},
      headers: { host: url.host, 'content-type': 'application/json', ...extraHeaders },
      body,
    },
    { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}

export async function post(server: SynclineServer, body: string, headers: Record<string, string>) {
  const { host: _host, ...rest } = headers;
  const res = await fetch(server.endpoints.graphql, { method: 'POST', headers: rest, body });
  return { status: res.status, body: (await res.json()) as any };
}

export const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

/** A header object signed the way AppSync's realtime handshake (`/graphql/connect`, `{}`) or start expects. */
export async function iamHeaderObject(
  server: SynclineServer,
  credentials: Credentials,
  signedBody: string,
  path: '/graphql/connect' | '/graphql',
  options: SignOptions = {},
): Promise<Record<string, string>> {
  return sign(
    server,
    signedBody,
    credentials,
    { ...options, path },
    {
      accept: 'application/json, text/javascript',
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=UTF-8',
    },
  );
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Opens an AppSync-protocol socket with `header` in the `header-` subprotocol and sends connection_init. */
export async function connectWith(server: SynclineServer, header: Record<string, string>) {
  const socket = await RawSocket.open(server.endpoints.realtime!, ['graphql-ws', `header-${b64url(header)}`]);
  socket.send({ type: 'connection_init' });
  return { socket, first: await socket.next() };
}

/** A start frame whose `payload.data` is exactly `data`, authorized by `authorization`. */
export const startWith = (id: string, data: string, authorization: Record<string, string>) => ({
  id,
  type: 'start',
  payload: { data, extensions: { authorization } },
});

export interface TestIssuer {
  issuer: string;
  /** Signs a token with this issuer's key; `claims` override the defaults. */
  token(
    claims?: JWTPayload & Record<string, unknown>,
    options?: { expiresIn?: number; notBefore?: number },
  ): Promise<string>;
}

/**
 * A loopback identity provider with two issuers, each with its own key: `/pool` publishes
 * `/.well-known/jwks.json` as Cognito does, `/oidc` an OIDC discovery document pointing at `/oidc/keys`.
 */
export async function startIssuers(): Promise<{
  pool: TestIssuer;
  oidc: TestIssuer;
  stranger: TestIssuer;
  jwksRequests: () => number;
  close: () => Promise<void>;
}> {
  const keys = await Promise.all(
    ['pool', 'oidc', 'stranger'].map(async (kid) => {
      const pair = await generateKeyPair('RS256');
      const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
      return { kid, privateKey: pair.privateKey, jwk };
    }),
  );
  let jwksRequests = 0;
  let base = '';
  const server: Server = createHttpServer((req, res) => {
    const json = (v: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    if (req.url === '/pool/.well-known/jwks.json') {
      jwksRequests++;
      return json({ keys: [keys[0].jwk] });
    }
    if (req.url === '/oidc/.well-known/openid-configuration') {
      return json({ issuer: `${base}/oidc`, jwks_uri: `${base}/oidc/keys` });
    }
    if (req.url === '/oidc/keys') {
      jwksRequests++;
      return json({ keys: [keys[1].jwk] });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const issuer = (index: number, iss: string): TestIssuer => ({
    issuer: iss,
    async token(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ iss, iat: now, auth_time: now, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: keys[index].kid })
        .setExpirationTime(now + (options.expiresIn ?? 600));
      if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
      return jwt.sign(keys[index].privateKey);
    },
  });
  return {
    pool: issuer(0, `${base}/pool`),
    oidc: issuer(1, `${base}/oidc`),
    // Signs with a key neither issuer publishes.
    stranger: issuer(2, `${base}/pool`),
    jwksRequests: () => jwksRequests,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
