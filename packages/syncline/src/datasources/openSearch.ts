// AMAZON_OPENSEARCH_SERVICE (and the legacy AMAZON_ELASTICSEARCH): the resolver's `{ operation, path, params }` is
// sent as one HTTP request to the OpenSearch the app's `endpoint` names, and the JSON response body becomes
// `ctx.result`. Syncline runs no search engine itself; the user points `endpoint` at their own (docs/graphql.md).
// node:http rather than fetch: OpenSearch's `_search` is commonly a GET with a body, which fetch refuses.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type DataSource, DataSourceError } from './types.js';

const OPERATIONS = new Set(['GET', 'POST', 'PUT', 'HEAD', 'DELETE']);
/** AppSync's data source timeout. */
const TIMEOUT_MS = 30_000;
/** A response larger than this is refused rather than buffered (AppSync's own response limit is 5 MB). */
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

interface OpenSearchRequest {
  operation: string;
  path: string;
  params?: { headers?: Record<string, unknown>; queryString?: Record<string, unknown>; body?: unknown };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseRequest(request: unknown): OpenSearchRequest {
  const bad = (message: string) => new DataSourceError(message, 'MappingTemplate');
  if (!isMap(request)) throw bad('An OpenSearch request is an object { operation, path, params }.');
  const { operation, path, params } = request;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) {
    throw bad(`Unsupported operation '${String(operation)}'. Use GET, POST, PUT, HEAD or DELETE.`);
  }
  if (typeof path !== 'string' || !path.startsWith('/')) throw bad("An OpenSearch request's path starts with /.");
  if (params !== undefined && !isMap(params)) throw bad('params is an object { headers, queryString, body }.');
  for (const k of ['headers', 'queryString'] as const) {
    if (params?.[k] !== undefined && !isMap(params[k])) throw bad(`params.${k} is an object.`);
  }
  return request as unknown as OpenSearchRequest;
}

export function openSearchDataSource(name: string, type: string, endpoint: string): DataSource {
  const base = new URL(endpoint);
  return {
    name,
    type,
    invoke(request) {
      const r = parseRequest(request);
      // Appended to the endpoint's origin as text: a path such as `//other.host/x` never leaves the endpoint.
      let url: URL;
      try {
        url = new URL(base.origin + base.pathname.replace(/\/$/, '') + r.path);
      } catch {
        throw new DataSourceError(`The path '${r.path}' does not make a URL.`, 'MappingTemplate');
      }
      if (url.origin !== base.origin)
        throw new DataSourceError(`The path '${r.path}' leaves the endpoint.`, 'MappingTemplate');
      for (const [k, v] of Object.entries(r.params?.queryString ?? {})) url.searchParams.set(k, String(v));
      const body = r.params?.body;
      const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (text !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(text));
      }
      for (const [k, v] of Object.entries(r.params?.headers ?? {})) headers[k.toLowerCase()] = String(v);
      return send(url, r.operation, headers, text);
    },
  };
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<unknown> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy();
          reject(
            new DataSourceError(`The OpenSearch response is larger than ${MAX_RESPONSE_BYTES} bytes.`, 'OpenSearch'),
          );
        } else chunks.push(chunk);
      });
      res.on('error', (error) => reject(new DataSourceError(error.message, 'OpenSearch')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = null;
        if (text) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(parsed);
        // OpenSearch answers errors as { error: { type, reason }, status }.
        const error = isMap(parsed) && isMap(parsed.error) ? parsed.error : undefined;
        const reason = error?.reason ?? (typeof parsed === 'string' && parsed ? parsed : `HTTP ${status}`);
        reject(new DataSourceError(String(reason), `OpenSearch:${String(error?.type ?? status)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) =>
      reject(new DataSourceError(`Could not reach OpenSearch at ${url.origin}: ${error.message}`, 'OpenSearch')),
    );
    req.end(body);
  });
}
