// API Gateway's Lambda proxy wire format, both versions: the event a route's function receives (HTTP API
// payload 2.0, or 1.0 — the REST API shape) and how its return value becomes the HTTP response, including the
// gateway's own error answers. One typed place for the format; triggers/httpApi.ts does the HTTP.
import { randomBytes } from 'node:crypto';
import type { HttpRoute } from './httpRoutes.js';

/** What the gateway knows of an incoming request. */
export interface GatewayRequest {
  method: string;
  rawPath: string;
  rawQueryString: string;
  /** Name/value pairs as received (names in their original case). */
  rawHeaders: [string, string][];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  requestId: string;
  time: Date;
}

export interface GatewayContext {
  accountId: string;
  apiId: string;
}

export interface GatewayResponse {
  statusCode: number;
  /** Pairs, so repeated headers (set-cookie) stay separate. */
  headers: [string, string][];
  body: Buffer;
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`. */
export const gatewayRequestId = () => randomBytes(11).toString('base64');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000`, the gateway's request time format. */
export function gatewayTime(d: Date): string {
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

// HTTP APIs pass text bodies as they are and base64-encode everything else (including a missing content type).
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript)\b)/i;

function bodyFields(req: GatewayRequest, contentType: string | undefined) {
  if (!req.body.length) return null;
  const text = contentType !== undefined && TEXT_TYPES.test(contentType.trim());
  return text
    ? { body: req.body.toString('utf8'), isBase64Encoded: false }
    : { body: req.body.toString('base64'), isBase64Encoded: true };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function queryPairs(raw: string): [string, string][] {
  if (!raw) return [];
  return raw
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
}

function domain(req: GatewayRequest): { domainName: string; domainPrefix: string } {
  const host = req.rawHeaders.find(([n]) => n.toLowerCase() === 'host')?.[1] ?? 'localhost';
  return { domainName: host, domainPrefix: host.split('.')[0].split(':')[0] };
}

/** Headers API Gateway adds on the way to the integration. */
function forwardedHeaders(req: GatewayRequest): [string, string][] {
  const has = (name: string) => req.rawHeaders.some(([n]) => n.toLowerCase() === name);
  const host = domain(req).domainName;
  const port = /:(\d+)$/.exec(host)?.[1] ?? '80';
  const out: [string, string][] = [];
  if (!has('x-amzn-trace-id')) {
    const epoch = Math.floor(req.time.getTime() / 1000).toString(16);
    out.push(['X-Amzn-Trace-Id', `Root=1-${epoch}-${randomBytes(12).toString('hex')}`]);
  }
  if (!has('x-forwarded-for')) out.push(['X-Forwarded-For', req.sourceIp]);
  if (!has('x-forwarded-port')) out.push(['X-Forwarded-Port', port]);
  if (!has('x-forwarded-proto')) out.push(['X-Forwarded-Proto', 'http']);
  return out;
}

/** The HTTP API payload format 2.0 event. */
export function eventV2(
  req: GatewayRequest,
  route: HttpRoute,
  pathParameters: Record<string, string> | null,
  ctx: GatewayContext,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of [...req.rawHeaders, ...forwardedHeaders(req)]) {
    const key = name.toLowerCase();
    if (key === 'cookie') {
      for (const c of value.split(';')) if (c.trim()) cookies.push(c.trim());
      continue;
    }
    headers[key] = key in headers ? `${headers[key]},${value}` : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of queryPairs(req.rawQueryString)) query[k] = k in query ? `${query[k]},${v}` : v;
  const { domainName, domainPrefix } = domain(req);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString,
  };
  if (cookies.length) event.cookies = cookies;
  event.headers = headers;
  if (Object.keys(query).length) event.queryStringParameters = query;
  event.requestContext = {
    accountId: ctx.accountId,
    apiId: ctx.apiId,
    domainName,
    domainPrefix,
    http: {
      method: req.method,
      path: req.rawPath,
      protocol: req.protocol,
      sourceIp: req.sourceIp,
      userAgent: headers['user-agent'] ?? '',
    },
    requestId: req.requestId,
    routeKey: route.routeKey,
    stage: '$default',
    time: gatewayTime(req.time),
    timeEpoch: req.time.getTime(),
  };
  if (pathParameters) event.pathParameters = pathParameters;
  const body = bodyFields(req, headers['content-type']);
  if (body) event.body = body.body;
  event.isBase64Encoded = body?.isBase64Encoded ?? false;
  return event;
}

/** The payload format 1.0 event (the REST API proxy shape). */
export function eventV1(
  req: GatewayRequest,
  route: HttpRoute,
  pathParameters: Record<string, string> | null,
  ctx: GatewayContext,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of [...req.rawHeaders, ...forwardedHeaders(req)]) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const pairs = queryPairs(req.rawQueryString);
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const { domainName, domainPrefix } = domain(req);
  const contentType = Object.entries(headers).find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  const userAgent = Object.entries(headers).find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? '';
  const body = bodyFields(req, contentType);
  return {
    version: '1.0',
    resource: route.path,
    path: req.rawPath,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: pairs.length ? query : null,
    multiValueQueryStringParameters: pairs.length ? multiQuery : null,
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      domainName,
      domainPrefix,
      extendedRequestId: req.requestId,
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: req.rawPath,
      protocol: req.protocol,
      requestId: req.requestId,
      requestTime: gatewayTime(req.time),
      requestTimeEpoch: req.time.getTime(),
      resourceId: route.routeKey,
      resourcePath: route.path,
      stage: '$default',
    },
    pathParameters,
    stageVariables: null,
    body: body?.body ?? null,
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function structured(result: Record<string, unknown>, extra: [string, string][]): GatewayResponse | null {
  const status = result.statusCode;
  const statusCode = typeof status === 'string' ? Number(status) : status;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return null;
  }
  if (result.body != null && typeof result.body !== 'string') return null;
  const headers: [string, string][] = [];
  if (result.headers != null) {
    if (!isObject(result.headers)) return null;
    for (const [name, value] of Object.entries(result.headers)) if (value != null) headers.push([name, String(value)]);
  }
  headers.push(...extra);
  const text = (result.body as string | undefined) ?? '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text);
  return { statusCode, headers, body };
}

/** Maps a 2.0 integration's return value; null when API Gateway would reject it as malformed. */
export function responseV2(result: unknown): GatewayResponse | null {
  if (isObject(result) && 'statusCode' in result) {
    const cookies: [string, string][] = [];
    if (result.cookies != null) {
      if (!Array.isArray(result.cookies)) return null;
      for (const c of result.cookies) cookies.push(['set-cookie', String(c)]);
    }
    return structured(result, cookies);
  }
  // Without a statusCode the gateway infers a 200 JSON response; a string is the body as it is.
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
}

/** Maps a 1.0 integration's return value; null when API Gateway would reject it as malformed. */
export function responseV1(result: unknown): GatewayResponse | null {
  if (!isObject(result)) return null;
  const multi: [string, string][] = [];
  if (result.multiValueHeaders != null) {
    if (!isObject(result.multiValueHeaders)) return null;
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) return null;
      for (const v of values) multi.push([name, String(v)]);
    }
  }
  // A header named in both maps keeps only its multiValueHeaders values, as the REST API merges them.
  let single = result.headers;
  if (isObject(single) && multi.length) {
    const named = new Set(multi.map(([n]) => n.toLowerCase()));
    single = Object.fromEntries(Object.entries(single).filter(([n]) => !named.has(n.toLowerCase())));
  }
  return structured({ ...result, headers: single }, multi);
}

const message = (statusCode: number, text: string): GatewayResponse => ({
  statusCode,
  headers: [['content-type', 'application/json']],
  body: Buffer.from(JSON.stringify({ message: text })),
});

/** The gateway's own answers. */
export const gatewayErrors = {
  notFound: () => message(404, 'Not Found'),
  internal: () => message(500, 'Internal Server Error'),
  tooLarge: () => message(413, 'Request Entity Too Large'),
  throttled: () => message(429, 'Too Many Requests'),
  /** HTTP API: the integration did not answer within 30 s. */
  serviceUnavailable: () => message(503, 'Service Unavailable'),
  /** REST API (payload 1.0): the integration did not answer within 29 s. */
  endpointTimeout: () => message(504, 'Endpoint request timed out'),
};
