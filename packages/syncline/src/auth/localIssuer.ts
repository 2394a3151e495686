// A development identity provider on the server's own port, so apps whose API uses user pools or OIDC run
// without a cloud one: `/.well-known/openid-configuration` and `/.well-known/jwks.json` publish a key kept in the
// data folder, and `syncline token` signs tokens with the same key. The issuer is the URL the server is reached
// at (`http://127.0.0.1:4000` by default), so an app points its provider's `issuer` there and nothing else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { readSecretFile, writeSecretFile } from '../app/secretFiles.js';

const ALG = 'RS256';
export const LOCAL_ISSUER_FILE = 'local-issuer.json';
export const DEFAULT_LOCAL_ISSUER = 'http://127.0.0.1:4000';
export const DEFAULT_LOCAL_CLIENT_ID = 'syncline-local';

export interface TokenRequest {
  sub: string;
  /** Default `http://127.0.0.1:4000`: the `issuer` the app's config names. */
  issuer?: string;
  /** `aud` of an id token, `client_id` of an access token. */
  clientId?: string;
  groups?: string[];
  /** Cognito's `token_use`: 'id' (default, carries `aud`) or 'access'. */
  tokenUse?: 'id' | 'access';
  username?: string;
  /** Seconds until `exp`; default one hour. */
  expiresIn?: number;
  claims?: Record<string, unknown>;
}

interface StoredKey {
  privateJwk: JWK;
}

export class LocalIssuer {
  private constructor(
    private readonly privateJwk: JWK,
    readonly publicJwk: JWK,
  ) {}

  /** Loads the key from `<data>/local-issuer.json`, creating it on first use; ':memory:' keeps it in memory. */
  static async open(data: string): Promise<LocalIssuer> {
    const file = data === ':memory:' ? undefined : join(data, LOCAL_ISSUER_FILE);
    let stored: StoredKey | undefined;
    if (file) {
      try {
        const text = readSecretFile(file);
        stored = text === undefined ? undefined : (JSON.parse(text) as StoredKey);
      } catch {
        stored = undefined;
      }
    }
    if (!stored) {
      const { privateKey } = await generateKeyPair(ALG, { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      privateJwk.kid = await calculateJwkThumbprint(privateJwk);
      privateJwk.alg = ALG;
      stored = { privateJwk };
      if (file) writeSecretFile(file, JSON.stringify(stored, null, 2));
    }
    const { d, p, q, dp, dq, qi, ...publicJwk } = stored.privateJwk;
    return new LocalIssuer(stored.privateJwk, { ...publicJwk, use: 'sig' });
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  /** A signed JWT shaped like a Cognito token, which any OIDC provider config also accepts. */
  async mint(request: TokenRequest): Promise<string> {
    const issuer = (request.issuer ?? DEFAULT_LOCAL_ISSUER).replace(/\/+$/, '');
    const clientId = request.clientId ?? DEFAULT_LOCAL_CLIENT_ID;
    const tokenUse = request.tokenUse ?? 'id';
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      token_use: tokenUse,
      auth_time: now,
      ...(tokenUse === 'id'
        ? { 'cognito:username': request.username ?? request.sub }
        : { client_id: clientId, username: request.username ?? request.sub }),
      ...(request.groups?.length ? { 'cognito:groups': request.groups } : {}),
      ...request.claims,
    };
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.publicJwk.kid, typ: 'JWT' })
      .setSubject(request.sub)
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + (request.expiresIn ?? 3600));
    if (tokenUse === 'id') jwt.setAudience(clientId);
    return jwt.sign(await importJWK(this.privateJwk, ALG));
  }

  /** Serves the discovery document and the JWKS; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const json = (body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' }).end(text);
      return true;
    };
    if (req.method !== 'GET') return false;
    if (path === '/.well-known/jwks.json') return json(this.jwks());
    if (path === '/.well-known/openid-configuration') {
      const issuer = `http://${req.headers.host ?? '127.0.0.1'}`;
      return json({
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [ALG],
      });
    }
    return false;
  }
}
