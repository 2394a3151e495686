// AppSync's HTTP data source: the resolver's request `{ method, resourcePath, params: { headers, query, body } }`
// becomes a real HTTP(S) request to the data source's `endpoint` + `resourcePath`, optionally signed with SigV4
// (`authorizationConfig.authorizationType: AWS_IAM`), and the answer becomes `ctx.result = { statusCode, headers,
// body }` with the body as a string. A status code is never an error (the response handler decides, as on
// AppSync); a request that gets no answer — refused, unreachable, timed out, too large — is `ctx.error`.
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './sha256.js';
import { type DataSource, DataSourceError } from './types.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** AppSync documents no per-call timeout below its 30 s request limit; 10 s leaves the response handler time. */
export const HTTP_DATA_SOURCE_TIMEOUT_MS = 10_000;
/** A response larger than AppSync's 5 MB GraphQL response could never reach the client; it is refused. */
export const HTTP_DATA_SOURCE_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
/** The errorType of every request that got no HTTP answer. */
export const HTTP_REQUEST_ERROR = 'HttpRequestException';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface HttpDataSourceConfig {
  endpoint: string;
  authorizationConfig?: {
    authorizationType: 'AWS_IAM';
    awsIamConfig: { signingRegion: string; signingServiceName: string };
  };
}

export interface HttpDataSourceOptions {
  /** The credentials AppSync would take from the data source's service role; asked per request. */
  credentials?: () => SigningCredentials;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

interface HttpRequest {
  method: string;
  resourcePath: string;
  headers: Record<string, string>;
  query: [string, string][];
  body: string | undefined;
}

const mappingError = (message: string) => new DataSourceError(message, 'MappingTemplate');

/** Framing headers the HTTP client sets from the request itself; a resolver's values are dropped, not trusted. */
const CLIENT_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade']);

/** Checks the resolver's request object at the edge; the rest of the file reads typed values. */
export function parseHttpRequest(request: unknown): HttpRequest {
  if (!request || typeof request !== 'object' || Array.isArray(request)) {
    throw mappingError('The HTTP request must be an object with method and resourcePath.');
  }
  const r = request as Record<string, unknown>;
  const method = typeof r.method === 'string' ? r.method.toUpperCase() : undefined;
  if (!method || !METHODS.has(method)) {
    throw mappingError(`Unsupported HTTP method '${String(r.method)}'. Use GET, POST, PUT, PATCH or DELETE.`);
  }
  if (typeof r.resourcePath !== 'string' || !r.resourcePath.startsWith('/')) {
    throw mappingError(`resourcePath must be a string starting with '/', got ${JSON.stringify(r.resourcePath)}.`);
  }
  const params = (r.params ?? {}) as Record<string, unknown>;
  if (typeof params !== 'object' || Array.isArray(params)) throw mappingError('params must be an object.');
  const headers: Record<string, string> = {};
  if (params.headers != null) {
    if (typeof params.headers !== 'object' || Array.isArray(params.headers)) {
      throw mappingError('params.headers must be an object of strings.');
    }
    for (const [name, value] of Object.entries(params.headers)) {
      if (typeof value !== 'string') throw mappingError(`params.headers.${name} must be a string.`);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) {
        throw mappingError(`params.headers.${name} is not a valid HTTP header.`);
      }
      if (!CLIENT_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
  }
  const query: [string, string][] = [];
  if (params.query != null) {
    if (typeof params.query !== 'object' || Array.isArray(params.query)) {
      throw mappingError('params.query must be an object.');
    }
    for (const [name, value] of Object.entries(params.query)) {
      // A list repeats the parameter, as `?a=1&a=2`; other values are sent as their string form.
      for (const v of Array.isArray(value) ? value : [value]) {
        if (v === undefined) continue;
        query.push([name, typeof v === 'string' ? v : JSON.stringify(v)]);
      }
    }
  }
  const body =
    params.body === undefined || params.body === null
      ? undefined
      : typeof params.body === 'string'
        ? params.body
        : JSON.stringify(params.body);
  if (body !== undefined && method === 'GET') {
    // Node's HTTP client (like most) cannot send one; refused here rather than failing as a connection error.
    throw mappingError('A GET request cannot have a body.');
  }
  return { method, resourcePath: r.resourcePath, headers, query, body };
}

export function httpDataSource(name: string, config: HttpDataSourceConfig, options: HttpDataSourceOptions = {}) {
  const timeoutMs = options.timeoutMs ?? HTTP_DATA_SOURCE_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? HTTP_DATA_SOURCE_MAX_RESPONSE_BYTES;
  const base = new URL(config.endpoint);
  const iam = config.authorizationConfig?.authorizationType === 'AWS_IAM' ? config.authorizationConfig : undefined;
  const signer =
    iam && options.credentials
      ? new SignatureV4({
          service: iam.awsIamConfig.signingServiceName,
          region: iam.awsIamConfig.signingRegion,
          credentials: async () => options.credentials!(),
          sha256: NodeSha256,
        })
      : undefined;

  const send = async (r: HttpRequest) => {
    const url = new URL(base);
    url.pathname = `${base.pathname.replace(/\/+$/, '')}${r.resourcePath}`;
    // RFC 3986 encoding (a space is %20, not +), the form SigV4 signs and services decode.
    url.search = r.query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
    let headers = { ...r.headers };
    if (signer) {
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of r.query) {
        const prior = query[k];
        query[k] = prior === undefined ? v : [...(Array.isArray(prior) ? prior : [prior]), v];
      }
      const signed = await signer.sign({
        method: r.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers: { ...headers, host: url.host },
        body: r.body,
      });
      headers = signed.headers;
      // fetch sets Host itself (and refuses it as a header); it is the same value that was signed.
      delete headers.host;
    }
    const started = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, { method: r.method, headers, body: r.body, redirect: 'manual', signal: started });
    } catch (error) {
      throw requestError(error, url, timeoutMs);
    }
    const body = await readCapped(res, maxBytes, url, timeoutMs);
    const out: Record<string, string> = {};
    // Repeated headers (Set-Cookie) are joined as one value, as the Headers class joins the others.
    res.headers.forEach((value, key) => {
      out[key] = key in out ? `${out[key]}, ${value}` : value;
    });
    return { statusCode: res.status, headers: out, body };
  };

  const source: DataSource = {
    name,
    type: 'HTTP',
    invoke: (request) => send(parseHttpRequest(request)),
  };
  return source;
}

/** The body as text, refused past `maxBytes` without reading the rest. */
async function readCapped(res: Response, maxBytes: number, url: URL, timeoutMs: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(url, maxBytes);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(url, maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DataSourceError) throw error;
    throw requestError(error, url, timeoutMs);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (url: URL, maxBytes: number) =>
  new DataSourceError(
    `The response from ${url.host} is larger than the ${maxBytes / (1024 * 1024)} MB an HTTP data source accepts.`,
    HTTP_REQUEST_ERROR,
  );

/** fetch's failure, named as the HTTP client under AppSync names it: what happened and to which host. */
function requestError(error: unknown, url: URL, timeoutMs: number): DataSourceError {
  const err = error as { name?: string; cause?: { code?: string; message?: string } };
  const host = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new DataSourceError(`Request to ${host} timed out after ${timeoutMs} ms.`, HTTP_REQUEST_ERROR);
  }
  const code = err?.cause?.code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'Connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'Unknown host'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'Connection reset'
          : (err?.cause?.message ?? 'Connection failed');
  return new DataSourceError(`${reason}: ${host}`, HTTP_REQUEST_ERROR);
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
