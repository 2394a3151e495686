// HTTP API's CORS, as configured under `http.cors`: the gateway answers preflight requests itself (no route
// needed) and sets the CORS headers on every response, replacing any a function returned.
import type { IncomingMessage } from 'node:http';
import type { CorsModel } from '../app/model.js';

function originAllowed(cors: CorsModel, origin: string): boolean {
  return cors.allowOrigins.some((allowed) => {
    if (allowed === '*' || allowed === origin) return true;
    // `https://*.example.com` matches one or more subdomain labels.
    if (!allowed.includes('*')) return false;
    const pattern = allowed
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+');
    return new RegExp(`^${pattern}$`).test(origin);
  });
}

function allowOriginValue(cors: CorsModel, origin: string): string {
  // A wildcard cannot be combined with credentials; the gateway then echoes the origin.
  return cors.allowOrigins.includes('*') && !cors.allowCredentials ? '*' : origin;
}

export function isPreflight(req: IncomingMessage): boolean {
  return (
    req.method === 'OPTIONS' && !!req.headers.origin && typeof req.headers['access-control-request-method'] === 'string'
  );
}

/** The preflight answer's headers; empty when the origin is not allowed. */
export function preflightHeaders(cors: CorsModel, req: IncomingMessage): [string, string][] {
  const origin = req.headers.origin!;
  if (!originAllowed(cors, origin)) return [];
  const requestedMethod = String(req.headers['access-control-request-method']);
  const requestedHeaders = req.headers['access-control-request-headers'];
  const methods = cors.allowMethods.includes('*') ? requestedMethod : cors.allowMethods.join(',');
  const headers = cors.allowHeaders.includes('*')
    ? typeof requestedHeaders === 'string'
      ? requestedHeaders
      : ''
    : cors.allowHeaders.join(',').toLowerCase();
  const out: [string, string][] = [['access-control-allow-origin', allowOriginValue(cors, origin)]];
  out.push(['access-control-allow-methods', methods]);
  if (headers) out.push(['access-control-allow-headers', headers]);
  if (cors.allowCredentials) out.push(['access-control-allow-credentials', 'true']);
  if (cors.maxAge !== undefined) out.push(['access-control-max-age', String(cors.maxAge)]);
  if (cors.exposeHeaders.length) out.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  return out;
}

/** Headers for an actual (non-preflight) response; empty when the request has no allowed origin. */
export function responseCorsHeaders(cors: CorsModel, req: IncomingMessage): [string, string][] {
  const origin = req.headers.origin;
  if (!origin || !originAllowed(cors, origin)) return [];
  const out: [string, string][] = [['access-control-allow-origin', allowOriginValue(cors, origin)]];
  if (cors.allowCredentials) out.push(['access-control-allow-credentials', 'true']);
  if (cors.exposeHeaders.length) out.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  if (!cors.allowOrigins.includes('*') || cors.allowCredentials) out.push(['vary', 'origin']);
  return out;
}

export const isCorsHeader = (name: string) => name.toLowerCase().startsWith('access-control-');
