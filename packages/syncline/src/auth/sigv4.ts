// AWS Signature Version 4, verified the way AWS services verify it: rebuild the canonical request from what
// arrived, derive the signing key from the caller's secret and compare signatures. Shared by AppSync's AWS_IAM
// mode (HTTP and the realtime connect/start header objects) and the optional check on the DynamoDB API; each
// surface turns a failure into its own wire error.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a request whose x-amz-date is more than 5 minutes from its clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface SigningCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedRequest {
  method: string;
  /** The path as sent, percent-encoding included, without the query string. */
  path: string;
  /** The raw query string without `?`; '' for none. */
  query?: string;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: string | Uint8Array;
}

export type SigV4Failure =
  /** No SigV4 Authorization header at all. */
  | 'missing'
  /** An Authorization header that does not parse, or lacks the headers AWS requires to be signed. */
  | 'incomplete'
  /** The access key (or its session token) is not one we know. */
  | 'unrecognized'
  /** The credential scope names another region, service or day. */
  | 'scope'
  /** x-amz-date outside the 5-minute window. */
  | 'expired'
  /** x-amz-content-sha256 does not hash the body that arrived. */
  | 'payload'
  | 'signature';

export type SigV4Result<C extends SigningCredential> =
  | { ok: true; credential: C }
  | { ok: false; failure: SigV4Failure; message: string };

export interface VerifyOptions<C extends SigningCredential> {
  service: string;
  region: string;
  lookup: (accessKeyId: string) => C | undefined;
  now?: number;
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const UNRECOGNIZED = 'The security token included in the request is invalid.';

export const isSigV4Authorization = (value: string | undefined): value is string =>
  value?.startsWith(`${SIGV4_ALGORITHM} `) === true;

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(value: string): ParsedAuthorization | string {
  const params = new Map<string, string>();
  for (const part of value.slice(SIGV4_ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!params.get(name)) return `Authorization header requires '${name}' parameter.`;
  }
  const scope = params.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return "Credential should be scoped with a valid terminator: 'aws4_request'.";
  }
  const [accessKeyId, date, region, service] = scope;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: params.get('SignedHeaders')!.split(';'),
    signature: params.get('Signature')!,
  };
}

/** `20240102T030405Z` → epoch ms, or NaN. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

const formatAmzDate = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

// RFC 3986 unreserved characters stay; everything else is %XX with upper-case hex, as AWS signs.
const escapeUri = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

// Non-S3 services sign the normalized path (no empty, `.` or `..` segments), each segment URI-encoded.
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of decode(rawPath).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(escapeUri).join('/')}${trailing}`;
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs: [string, string][] = [];
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decode((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq === -1 ? '' : decode(part.slice(eq + 1).replace(/\+/g, ' '));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([escapeUri(key), escapeUri(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function verifySigV4<C extends SigningCredential>(
  request: SignedRequest,
  options: VerifyOptions<C>,
): SigV4Result<C> {
  const fail = (failure: SigV4Failure, message: string): SigV4Result<C> => ({ ok: false, failure, message });
  const authorization = request.headers.authorization;
  if (!isSigV4Authorization(authorization)) return fail('missing', 'Request is missing Authentication Token');
  const parsed = parseAuthorization(authorization);
  if (typeof parsed === 'string') return fail('incomplete', parsed);

  const credential = options.lookup(parsed.accessKeyId);
  const token = request.headers['x-amz-security-token'];
  if (!credential || (credential.sessionToken ?? undefined) !== token) return fail('unrecognized', UNRECOGNIZED);

  if (!parsed.signedHeaders.includes('host')) {
    return fail('incomplete', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const amzDate = request.headers['x-amz-date'];
  const dateHeader = amzDate ?? request.headers.date;
  const signedAt = amzDate !== undefined ? parseAmzDate(amzDate) : Date.parse(dateHeader ?? '');
  if (!dateHeader || Number.isNaN(signedAt)) {
    return fail('incomplete', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const day = formatAmzDate(signedAt).slice(0, 8);
  if (parsed.date !== day) {
    return fail(
      'scope',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${day}', from '${dateHeader}'.`,
    );
  }
  if (parsed.region !== options.region) {
    return fail('scope', `Credential should be scoped to a valid region, not '${parsed.region}'. `);
  }
  if (parsed.service !== options.service) {
    return fail('scope', `Credential should be scoped to correct service: '${options.service}'. `);
  }
  const now = options.now ?? Date.now();
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    return fail(
      'expired',
      `Signature expired: ${formatAmzDate(signedAt)} is now earlier than ${formatAmzDate(now - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`,
    );
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    return fail(
      'expired',
      `Signature not yet current: ${formatAmzDate(signedAt)} is still later than ${formatAmzDate(now + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`,
    );
  }

  // The signer may state the payload hash in a header; it is signed, so it must also be the body's real hash,
  // or a tampered body would ride on the original signature.
  const bodyHash = sha256Hex(request.body);
  const claimedHash = request.headers['x-amz-content-sha256'];
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    return fail('payload', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const signedHeaders = [...parsed.signedHeaders].sort();
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.query ?? ''),
    canonicalHeaders,
    signedHeaders.join(';'),
    bodyHash,
  ].join('\n');
  const scope = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const stringToSign = [SIGV4_ALGORITHM, formatAmzDate(signedAt), scope, sha256Hex(canonicalRequest)].join('\n');
  const expected = createHmac(
    'sha256',
    signingKey(credential.secretAccessKey, parsed.date, parsed.region, parsed.service),
  )
    .update(stringToSign)
    .digest();
  const given = Buffer.from(parsed.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('signature', MISMATCH);
  return { ok: true, credential };
}
