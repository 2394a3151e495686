// Works out a request's auth mode from its headers, as AppSync does, and verifies the credential.
// Built for AppSync's five modes; each mode is a checker consulted only when the app enables it.
import type { GraphqlModel } from '../app/model.js';
import { unauthorizedRequest } from '../graphql/errors.js';
import type { RequestAuth } from '../graphql/requestContext.js';
import { apiKeyChecker } from './apiKey.js';

export type Authenticate = (headers: Record<string, string | undefined>) => RequestAuth;

export function createAuthenticator(model: GraphqlModel): Authenticate {
  const modes = new Set([model.authentication.type, ...model.additionalAuthentications.map((p) => p.type)]);
  const checkKey = modes.has('API_KEY') ? apiKeyChecker(model.apiKeys) : undefined;
  return (headers) => {
    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined && checkKey) {
      const result = checkKey(apiKey);
      if (result.ok) return result.auth;
      // Unknown and expired keys get the same 401 body, as on AppSync; the reason is only for our own log.
      throw unauthorizedRequest(`API key ${result.reason}`);
    }
    throw unauthorizedRequest();
  };
}
