// OPENID_CONNECT and AMAZON_COGNITO_USER_POOLS: a JWT in the Authorization header, verified against the issuer's
// published keys (fetched once and cached; jose refetches when a token names a key it has not seen), then held to
// the mode's own rules: audience or client id, token age, Cognito's token_use.
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { RequestError, unauthorizedRequest } from '../graphql/errors.js';
import type { RequestAuth } from '../graphql/requestContext.js';
import type { OpenIdConnectConfig, UserPoolConfig } from './config.js';

export interface JwtEnvironment {
  region: string;
  now?: () => number;
}

const unauthorized = (message: string, reason: string) =>
  new RequestError(401, 'UnauthorizedException', message, reason);
const expired = (reason: string) => unauthorized('Token has expired.', reason);

/** The signing keys of one issuer: a JWKS file, a JWKS URL, or the URL its OIDC discovery document names. */
export function jwksKeys(source: { issuer: string; jwksUri?: string; jwksFile?: string; discover: boolean }) {
  if (source.jwksFile) {
    const file = source.jwksFile;
    let keys: Promise<JWTVerifyGetKey> | undefined;
    const load = async () => createLocalJWKSet(JSON.parse(await readFile(file, 'utf8')));
    return (async (header, token) => {
      keys ??= load();
      return (await keys)(header, token);
    }) as JWTVerifyGetKey;
  }
  const base = source.issuer.replace(/\/+$/, '');
  const remote = (uri: string) =>
    createRemoteJWKSet(new URL(uri), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000 });
  if (source.jwksUri || !source.discover) return remote(source.jwksUri ?? `${base}/.well-known/jwks.json`);
  // OIDC: the discovery document names the JWKS; an issuer without one falls back to the conventional path.
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const discover = async () => {
    let uri = `${base}/.well-known/jwks.json`;
    const res = await fetch(`${base}/.well-known/openid-configuration`).catch(() => undefined);
    if (res?.ok) {
      const doc = (await res.json().catch(() => ({}))) as { jwks_uri?: unknown };
      if (typeof doc.jwks_uri === 'string') uri = doc.jwks_uri;
    }
    return remote(uri);
  };
  return (async (header, token) => {
    keys ??= discover().catch((error) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  }) as JWTVerifyGetKey;
}

/** The unverified issuer of a JWT-shaped token, used only to pick the mode that will verify it. */
export function unverifiedIssuer(token: string): string | undefined {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);

async function verify(token: string, keys: JWTVerifyGetKey, issuer: string, now?: () => number): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keys, { issuer, currentDate: now ? new Date(now()) : undefined });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw expired(error.message);
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof SyntaxError) {
      throw unauthorized('Unable to parse JWT token.', (error as Error).message);
    }
    if (error instanceof errors.JOSEError) throw unauthorizedRequest(`${error.code}: ${error.message}`);
    // Keys that could not be fetched: the token cannot be checked, so it is not accepted.
    throw unauthorizedRequest(`JWKS unavailable: ${(error as Error).message}`);
  }
}

const fullMatch = (pattern: string | undefined) => (pattern ? new RegExp(`^(?:${pattern})$`) : undefined);
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];

export function oidcAuthenticator(config: OpenIdConnectConfig, env: JwtEnvironment) {
  const keys = jwksKeys({ ...config, discover: true });
  const clientId = fullMatch(config.clientId);
  return async (token: string): Promise<RequestAuth> => {
    const claims = await verify(token, keys, config.issuer, env.now);
    // An id token names the client in `aud`; an access token usually in `client_id` (or `azp`).
    if (
      clientId &&
      ![...strings(claims.aud), ...strings(claims.client_id), ...strings(claims.azp)].some((a) => clientId.test(a))
    ) {
      throw unauthorizedRequest(`client id ${String(claims.aud)} does not match ${config.clientId}`);
    }
    const now = env.now?.() ?? Date.now();
    if (config.iatTTL > 0 && (typeof claims.iat !== 'number' || now - claims.iat * 1000 > config.iatTTL)) {
      throw expired('older than iatTTL');
    }
    const authTime = claims.auth_time;
    if (config.authTTL > 0 && (typeof authTime !== 'number' || now - authTime * 1000 > config.authTTL)) {
      throw expired('authenticated longer ago than authTTL');
    }
    return { mode: 'OPENID_CONNECT', identity: { sub: claims.sub ?? null, issuer: claims.iss, claims } };
  };
}

export function userPoolIssuer(config: UserPoolConfig, region: string): string {
  return config.issuer ?? `https://cognito-idp.${config.awsRegion ?? region}.amazonaws.com/${config.userPoolId}`;
}

export function userPoolAuthenticator(config: UserPoolConfig, env: JwtEnvironment) {
  const issuer = userPoolIssuer(config, env.region);
  const keys = jwksKeys({ issuer, jwksUri: config.jwksUri, jwksFile: config.jwksFile, discover: false });
  const appClient = fullMatch(config.appIdClientRegex);
  return async (token: string, sourceIp: string[]): Promise<RequestAuth> => {
    const claims = await verify(token, keys, issuer, env.now);
    const use = claims.token_use;
    if (use !== 'id' && use !== 'access')
      throw unauthorizedRequest(`token_use ${String(use)} is neither id nor access`);
    const client = use === 'id' ? strings(claims.aud)[0] : strings(claims.client_id)[0];
    if (appClient && !(client && appClient.test(client))) {
      throw unauthorizedRequest(`app client ${client} does not match appIdClientRegex`);
    }
    const groups = claims['cognito:groups'] === undefined ? null : strings(claims['cognito:groups']);
    return {
      mode: 'AMAZON_COGNITO_USER_POOLS',
      groups: groups ?? [],
      identity: {
        sub: claims.sub ?? null,
        issuer,
        username: claims['cognito:username'] ?? claims.username ?? null,
        claims,
        sourceIp,
        defaultAuthStrategy: config.defaultAction,
        groups,
      },
    };
  };
}
