// The explorer's authorization modes, as headers for one request. AppSync reads `x-api-key` for API_KEY, the
// token in `Authorization` for user pools, OIDC and Lambda authorizers, and a SigV4 signature for AWS_IAM. Tokens
// come from the console's local issuer (`POST token`) and signatures from `POST sign` (the functions' credentials).
import { postJson } from '../api.js';

export type AuthChoice =
  | { type: 'API_KEY'; apiKey: string }
  | { type: 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT'; user: string; groups: string }
  | { type: 'AWS_IAM' }
  | { type: 'AWS_LAMBDA'; token: string }
  | { type: 'NONE' };

/** What a signature covers: the request exactly as it will be sent. */
export interface SignableRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

const tokens = new Map<string, Promise<string>>();

function mintToken(user: string, groups: string): Promise<string> {
  const groupList = groups
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  const key = JSON.stringify([user, groupList]);
  let token = tokens.get(key);
  if (!token) {
    token = postJson<{ token: string }>('token', {
      sub: user,
      username: user,
      ...(groupList.length ? { groups: groupList } : {}),
    }).then((r) => r.token);
    // A refused mint is not remembered: the next request asks again.
    token.catch(() => tokens.delete(key));
    tokens.set(key, token);
  }
  return token;
}

/** The headers `choice` adds to `request` (which already carries its own headers, such as host). */
export async function authHeaders(choice: AuthChoice, request: SignableRequest): Promise<Record<string, string>> {
  switch (choice.type) {
    case 'API_KEY':
      return { 'x-api-key': choice.apiKey };
    case 'AMAZON_COGNITO_USER_POOLS':
    case 'OPENID_CONNECT':
      return { Authorization: await mintToken(choice.user || 'user1', choice.groups) };
    case 'AWS_LAMBDA':
      return { Authorization: choice.token };
    case 'AWS_IAM': {
      const signed = await postJson<{ headers: Record<string, string> }>('sign', request);
      return signed.headers;
    }
    case 'NONE':
      return {};
  }
}

export const AUTH_LABELS: Record<string, string> = {
  API_KEY: 'API key',
  AMAZON_COGNITO_USER_POOLS: 'Cognito user pool',
  OPENID_CONNECT: 'OpenID Connect',
  AWS_IAM: 'IAM',
  AWS_LAMBDA: 'Lambda authorizer',
};
