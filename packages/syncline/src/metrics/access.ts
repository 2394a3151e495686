// Who may read /metrics. Metrics name the app's operations, functions and traffic, so `start` does not show them
// to anyone who can reach the port: by default they need an operator credential (--credentials) as HTTP Basic auth
// (access key id as user, secret key as password: what Prometheus's `basic_auth` sends); `--metrics open` serves
// them to everyone (for a private scrape network), `--metrics off` not at all. `dev` serves them openly.
import { timingSafeEqual } from 'node:crypto';
import type { OperatorCredential } from '../auth/operatorCredentials.js';

export type MetricsAccess = 'open' | 'operators' | 'off';

export const METRICS_ACCESS: readonly MetricsAccess[] = ['open', 'operators', 'off'];

export function metricsAllowed(
  access: MetricsAccess,
  credentials: readonly OperatorCredential[],
): (headers: Record<string, unknown>) => boolean {
  if (access === 'open') return () => true;
  if (access === 'off') return () => false;
  return (headers) => {
    const header = headers.authorization;
    if (typeof header !== 'string' || !header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return false;
    const id = decoded.slice(0, colon);
    const secret = Buffer.from(decoded.slice(colon + 1));
    const credential = credentials.find((c) => c.accessKeyId === id);
    if (!credential) return false;
    const expected = Buffer.from(credential.secretAccessKey);
    return expected.length === secret.length && timingSafeEqual(expected, secret);
  };
}
