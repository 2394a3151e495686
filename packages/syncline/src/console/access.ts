// Who may use the console. It reads every table, invokes functions and mints tokens, so `start` serves it only
// when asked (`--console`), and then to operators alone: HTTP Basic with an operator credential (access key id as
// user, secret key as password), as /metrics' 'operators' mode. `dev` serves it openly, like the rest of dev.
import { timingSafeEqual } from 'node:crypto';
import type { OperatorCredential } from '../auth/operatorCredentials.js';

export type ConsoleAccess = 'open' | 'operators' | 'off';

export const CONSOLE_ACCESS: readonly ConsoleAccess[] = ['open', 'operators', 'off'];

/** What a request proved: nothing needed (open), an operator, or nothing at all (refused). */
export type ConsoleCaller = { ok: true; operator?: OperatorCredential } | { ok: false };

export function consoleCaller(
  access: ConsoleAccess,
  credentials: readonly OperatorCredential[],
): (headers: Record<string, unknown>) => ConsoleCaller {
  if (access === 'open') return () => ({ ok: true });
  if (access === 'off') return () => ({ ok: false });
  return (headers) => {
    const operator = basicOperator(headers.authorization, credentials);
    return operator ? { ok: true, operator } : { ok: false };
  };
}

function basicOperator(header: unknown, credentials: readonly OperatorCredential[]): OperatorCredential | undefined {
  if (typeof header !== 'string' || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  const id = decoded.slice(0, colon);
  const secret = Buffer.from(decoded.slice(colon + 1));
  const credential = credentials.find((c) => c.accessKeyId === id);
  if (!credential) return undefined;
  const expected = Buffer.from(credential.secretAccessKey);
  return expected.length === secret.length && timingSafeEqual(expected, secret) ? credential : undefined;
}
