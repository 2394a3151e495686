// API_KEY: the `x-api-key` header must name a configured key that has not expired.
import type { ApiKeyModel } from '../app/model.js';
import type { RequestAuth } from '../graphql/requestContext.js';

export type KeyCheck = { ok: true; auth: RequestAuth } | { ok: false; reason: 'unknown' | 'expired' };

export function apiKeyChecker(keys: ApiKeyModel[], now: () => number = () => Date.now() / 1000) {
  const byValue = new Map(keys.map((k) => [k.value, k]));
  return (value: string): KeyCheck => {
    const key = byValue.get(value);
    if (!key) return { ok: false, reason: 'unknown' };
    if (key.expiresAt !== undefined && key.expiresAt <= now()) return { ok: false, reason: 'expired' };
    return { ok: true, auth: { mode: 'API_KEY', identity: null } };
  };
}
