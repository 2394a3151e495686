// Works out a request's auth mode from its credentials, as AppSync does, and verifies them:
//   x-api-key                                   → API_KEY
//   Authorization: AWS4-HMAC-SHA256 …           → AWS_IAM
//   Authorization: <JWT> (optionally "Bearer ")  → the user pool or OIDC provider whose issuer it names
//   Authorization: anything else                → AWS_LAMBDA
// Only enabled modes are considered. API keys and signatures are checked synchronously; JWTs and the Lambda
// authorizer need I/O, so the result is a promise only for them.
import { createHash } from 'node:crypto';
import type { AuthProviderModel, AuthType, GraphqlModel } from '../app/model.js';
import type { FunctionRuntime } from '../functions/types.js';
import { RequestError, unauthorizedRequest } from '../graphql/errors.js';
import type { RequestAuth } from '../graphql/requestContext.js';
import { apiKeyChecker } from './apiKey.js';
import type {
  IamConfig,
  IamCredential,
  LambdaAuthorizerConfig,
  OpenIdConnectConfig,
  UserPoolConfig,
} from './config.js';
import { iamAuthenticator } from './iam.js';
import { looksLikeJwt, oidcAuthenticator, unverifiedIssuer, userPoolAuthenticator, userPoolIssuer } from './jwt.js';
import { lambdaAuthorizer } from './lambdaAuthorizer.js';
import { isSigV4Authorization, type SignedRequest } from './sigv4.js';

/**
 * What authentication looks at. For HTTP it is the request itself; for the realtime channel it is the request
 * AppSync defines as signed: `POST /graphql/connect` with body `{}` for the handshake, `POST /graphql` with the
 * start message's `payload.data` for each subscription, with the header object as headers.
 */
export interface AuthRequest extends SignedRequest {
  /** `ctx.identity.sourceIp`: x-forwarded-for entries, then the peer address. */
  sourceIp?: string[];
  /** The GraphQL operation, for the Lambda authorizer's event; absent on a realtime handshake. */
  operation?: { query: string; operationName: string | null; variables: Record<string, unknown> | null };
}

export type Authenticate = (request: AuthRequest) => RequestAuth | Promise<RequestAuth>;

/** The request a realtime handshake's header object stands for: AppSync signs `POST /graphql/connect` with `{}`. */
export const connectRequest = (headers: Record<string, string>): AuthRequest => ({
  method: 'POST',
  path: '/graphql/connect',
  headers,
  body: '{}',
  sourceIp: sourceIpOf(headers),
});

/** What authentication needs from the server around it. */
export interface AuthEnvironment {
  region: string;
  accountId?: string;
  /** The API id reported to the Lambda authorizer; derived from the app name by default. */
  apiId?: string;
  /** The functions runtime, for the Lambda authorizer. */
  functions?: () => FunctionRuntime | undefined;
  /** Credentials accepted for AWS_IAM besides the configured ones (the functions' injected credentials). */
  credentials?: () => readonly IamCredential[];
  now?: () => number;
}

export const DEFAULT_ACCOUNT_ID = '000000000000';

/** A stable 26-character id in AppSync's alphabet, so authorizers and ARNs see the same id across restarts. */
export function apiIdFor(name: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = createHash('sha256').update(`syncline:${name}`).digest();
  let id = '';
  for (let i = 0; i < 26; i++) id += alphabet[bytes[i] % 32];
  return id;
}

export function sourceIpOf(headers: Record<string, string | undefined>, peer?: string): string[] {
  const forwarded = (headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return peer ? [...forwarded, peer.replace(/^::ffff:/, '')] : forwarded;
}

function providerConfig<C>(model: GraphqlModel, mode: AuthType): C | undefined {
  const provider: AuthProviderModel | undefined = [model.authentication, ...model.additionalAuthentications].find(
    (p) => p.type === mode,
  );
  return provider ? ((provider.config ?? {}) as C) : undefined;
}

const bearer = (value: string) => value.replace(/^Bearer\s+/i, '');

export function createAuthenticator(model: GraphqlModel, env: AuthEnvironment): Authenticate {
  const accountId = env.accountId ?? DEFAULT_ACCOUNT_ID;
  const modes = new Set([model.authentication.type, ...model.additionalAuthentications.map((p) => p.type)]);
  const checkKey = modes.has('API_KEY') ? apiKeyChecker(model.apiKeys) : undefined;

  const iamConfig = providerConfig<IamConfig>(model, 'AWS_IAM');
  const iam = iamConfig && iamAuthenticator({ credentials: iamConfig.credentials ?? [] }, { ...env, accountId });

  const poolConfig = providerConfig<UserPoolConfig>(model, 'AMAZON_COGNITO_USER_POOLS');
  const userPool = poolConfig && userPoolAuthenticator(poolConfig, env);
  const poolIssuer = poolConfig && userPoolIssuer(poolConfig, env.region);

  const oidcConfig = providerConfig<OpenIdConnectConfig>(model, 'OPENID_CONNECT');
  const oidc = oidcConfig && oidcAuthenticator(oidcConfig, env);
  const sameIssuer = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

  const lambdaConfig = providerConfig<LambdaAuthorizerConfig>(model, 'AWS_LAMBDA');
  const lambda =
    lambdaConfig &&
    lambdaAuthorizer(lambdaConfig, {
      ...env,
      accountId,
      apiId: env.apiId ?? 'syncline',
      functions: env.functions ?? (() => undefined),
    });

  return (request) => {
    const { headers } = request;
    // Read only by the identities that carry it: the HTTP path computes it on first read (graphqlHttp.ts).
    const sourceIp = () => request.sourceIp ?? [];
    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined && checkKey) {
      const result = checkKey(apiKey);
      if (result.ok) return result.auth;
      // Unknown and expired keys get the same 401 body, as on AppSync; the reason is only for our own log.
      throw unauthorizedRequest(`API key ${result.reason}`);
    }
    const authorization = headers.authorization;
    if (!authorization) throw unauthorizedRequest('no credentials');
    if (isSigV4Authorization(authorization)) {
      if (!iam) throw unauthorizedRequest('a SigV4 signature, but AWS_IAM is not enabled');
      return iam(request, sourceIp());
    }
    const token = bearer(authorization);
    // A JWT goes to the JWT mode whose issuer it names; AppSync documents that a token meant for a Lambda
    // authorizer must not look like one when a JWT mode is enabled, so only tokens no JWT mode claims go on.
    if ((userPool || oidc) && looksLikeJwt(token)) {
      const issuer = unverifiedIssuer(token);
      if (userPool && (sameIssuer(issuer, poolIssuer) || (!oidc && !lambda))) return userPool(token, sourceIp());
      if (oidc && (sameIssuer(issuer, oidcConfig.issuer) || (!userPool && !lambda))) return oidc(token);
      if (!lambda) throw unauthorizedRequest(`no user pool or OIDC provider has issuer ${issuer}`);
    }
    if (lambda) return lambda({ token: authorization, headers, operation: request.operation });
    if (userPool || oidc) {
      throw new RequestError(401, 'UnauthorizedException', 'Unable to parse JWT token.', 'not a JWT');
    }
    throw unauthorizedRequest('an Authorization header, but no mode reads it');
  };
}
