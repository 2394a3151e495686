// HTTP routes as an API Gateway HTTP API in front of Lambda: the 2.0 and 1.0 events field by field, route
// selection, response mapping, CORS and the gateway's own errors — over real HTTP.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, startFixture } from '../helpers/server.js';

let server: SynclineServer;
let cors: SynclineServer;
beforeAll(async () => {
  process.env.SYNCLINE_TEST_GREETING = 'world';
  [server, cors] = await Promise.all([startFixture('functions'), startFixture('functions-cors')]);
});
afterAll(async () => {
  await Promise.all([server?.close(), cors?.close()]);
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, so header case, repeated headers and methods are sent exactly as written. */
function raw(
  base: string,
  method: string,
  path: string,
  headers: [string, string][] = [],
  body?: Buffer | string,
): Promise<RawResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        // Raw header pairs: node then adds no Host of its own.
        headers: [['Host', url.host] as [string, string], ...headers].flat(),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (r: RawResponse) => JSON.parse(r.body.toString());

describe('payload format 2.0', () => {
  it('builds the event field by field', async () => {
    const before = Date.now();
    const res = await raw(
      server.endpoints.http,
      'POST',
      '/echo/a/b%20c?x=1&x=2&y=%20z&flag',
      [
        ['Content-Type', 'application/json'],
        ['X-Custom', 'one'],
        ['X-Custom', 'two'],
        ['Cookie', 'session=abc; theme=dark'],
        ['User-Agent', 'syncline-test'],
      ],
      '{"hello":"world"}',
    );
    expect(res.status).toBe(200);
    expect(res.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const event = json(res);
    const port = new URL(server.endpoints.http).port;
    expect(Object.keys(event)).toEqual([
      'version',
      'routeKey',
      'rawPath',
      'rawQueryString',
      'cookies',
      'headers',
      'queryStringParameters',
      'requestContext',
      'pathParameters',
      'body',
      'isBase64Encoded',
    ]);
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('ANY /echo/{proxy+}');
    expect(event.rawPath).toBe('/echo/a/b%20c');
    expect(event.rawQueryString).toBe('x=1&x=2&y=%20z&flag');
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom': 'one,two',
      'user-agent': 'syncline-test',
      host: `127.0.0.1:${port}`,
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': port,
      'x-forwarded-proto': 'http',
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: ' z', flag: '' });
    expect(event.pathParameters).toEqual({ proxy: 'a/b c' });
    expect(event.body).toBe('{"hello":"world"}');
    expect(event.isBase64Encoded).toBe(false);
    const rc = event.requestContext;
    expect(rc).toMatchObject({
      accountId: '000000000000',
      domainName: `127.0.0.1:${port}`,
      domainPrefix: '127',
      http: {
        method: 'POST',
        path: '/echo/a/b%20c',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'syncline-test',
      },
      requestId: res.headers['apigw-requestid'],
      routeKey: 'ANY /echo/{proxy+}',
      stage: '$default',
    });
    expect(rc.apiId).toMatch(/^[0-9a-z]{10}$/);
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(rc.timeEpoch).toBeGreaterThanOrEqual(before);
  });

  it('leaves out cookies, query, path parameters and body when the request has none', async () => {
    const event = json(await raw(server.endpoints.http, 'GET', '/items/special'));
    expect(event.routeKey).toBe('GET /items/special');
    expect(event.rawQueryString).toBe('');
    for (const key of ['cookies', 'queryStringParameters', 'pathParameters', 'body'])
      expect(event).not.toHaveProperty(key);
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes path parameters and prefers a literal route over a parameter', async () => {
    const byId = json(await raw(server.endpoints.http, 'GET', '/items/42'));
    expect(byId.routeKey).toBe('GET /items/{id}');
    expect(byId.pathParameters).toEqual({ id: '42' });
    expect(json(await raw(server.endpoints.http, 'GET', '/items/special')).routeKey).toBe('GET /items/special');
  });

  it('base64-encodes bodies that are not text, and passes text as it is', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = json(
      await raw(server.endpoints.http, 'PUT', '/echo/upload', [['content-type', 'application/octet-stream']], bytes),
    );
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body, 'base64')).toEqual(bytes);
    const none = json(await raw(server.endpoints.http, 'PUT', '/echo/upload', [], 'no type'));
    expect(none.isBase64Encoded).toBe(true);
    expect(Buffer.from(none.body, 'base64').toString()).toBe('no type');
    const text = json(
      await raw(server.endpoints.http, 'PUT', '/echo/upload', [['content-type', 'text/plain']], 'plain'),
    );
    expect(text).toMatchObject({ body: 'plain', isBase64Encoded: false });
  });

  it('routes OPTIONS to an ANY route when CORS is not configured', async () => {
    const event = json(await raw(server.endpoints.http, 'OPTIONS', '/echo/x', [['origin', 'https://x.example']]));
    expect(event.requestContext.http.method).toBe('OPTIONS');
  });
});

describe('payload format 1.0', () => {
  it('builds the REST event field by field', async () => {
    const res = await raw(
      server.endpoints.http,
      'POST',
      '/v1/echo/x/y?a=1&a=2&b=3',
      [
        ['Content-Type', 'application/json'],
        ['X-Custom', 'one'],
        ['X-Custom', 'two'],
        ['User-Agent', 'syncline-test'],
      ],
      '{"n":1}',
    );
    const event = json(res);
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/v1/echo/{proxy+}',
      path: '/v1/echo/x/y',
      httpMethod: 'POST',
      queryStringParameters: { a: '2', b: '3' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['3'] },
      pathParameters: { proxy: 'x/y' },
      stageVariables: null,
      body: '{"n":1}',
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Custom': 'two' });
    expect(event.multiValueHeaders).toMatchObject({ 'Content-Type': ['application/json'], 'X-Custom': ['one', 'two'] });
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      httpMethod: 'POST',
      path: '/v1/echo/x/y',
      protocol: 'HTTP/1.1',
      requestId: res.headers['apigw-requestid'],
      resourcePath: '/v1/echo/{proxy+}',
      stage: '$default',
      identity: { sourceIp: '127.0.0.1', userAgent: 'syncline-test', accessKey: null, user: null },
    });
    expect(event.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:/);
    expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
  });

  it('sends nulls for a request without query, path parameters or body', async () => {
    const event = json(await raw(server.endpoints.http, 'GET', '/v1/plain'));
    expect(event).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
    });
  });
});

const respond = (path: string, value: unknown) =>
  raw(server.endpoints.http, 'POST', path, [['content-type', 'application/json']], JSON.stringify({ return: value }));

describe('response mapping', () => {
  it('2.0: statusCode, headers, cookies as set-cookie headers, base64 bodies', async () => {
    const res = await respond('/respond', {
      statusCode: 418,
      headers: { 'content-type': 'image/png', 'x-count': 3 },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from([137, 80, 78, 71]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(res.status).toBe(418);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-count']).toBe('3');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.body).toEqual(Buffer.from([137, 80, 78, 71]));
  });

  it('2.0: a returned string is the body of a 200 JSON response', async () => {
    const res = await respond('/respond', 'Hello from Lambda!');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.toString()).toBe('Hello from Lambda!');
  });

  it('2.0: an object without statusCode becomes a 200 JSON body', async () => {
    const res = await respond('/respond', { message: 'hi', body: 'not special' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(json(res)).toEqual({ message: 'hi', body: 'not special' });
  });

  it('2.0: a malformed response (non-string body) is a 500', async () => {
    const res = await respond('/respond', { statusCode: 200, body: { not: 'a string' } });
    expect(res.status).toBe(500);
    expect(json(res)).toEqual({ message: 'Internal Server Error' });
  });

  it('1.0: headers merged with multiValueHeaders', async () => {
    const res = await respond('/v1/respond', {
      statusCode: 201,
      headers: { 'x-single': 'one', 'set-cookie': 'ignored=1' },
      multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
      body: 'created',
    });
    expect(res.status).toBe(201);
    expect(res.headers['x-single']).toBe('one');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.body.toString()).toBe('created');
  });

  it('1.0: a result without statusCode is a 500', async () => {
    const res = await respond('/v1/respond', 'just a string');
    expect(res.status).toBe(500);
    expect(json(res)).toEqual({ message: 'Internal Server Error' });
  });
});

describe("the gateway's errors", () => {
  it('a function error is a 500 Internal Server Error', async () => {
    const res = await raw(server.endpoints.http, 'GET', '/failing');
    expect(res.status).toBe(500);
    expect(json(res)).toEqual({ message: 'Internal Server Error' });
  });

  it('a function timeout is a 500 Internal Server Error', async () => {
    const res = await raw(server.endpoints.http, 'GET', '/slow?ms=3000');
    expect(res.status).toBe(500);
  });

  it('a method no route serves is a 404 Not Found', async () => {
    const res = await raw(server.endpoints.http, 'DELETE', '/orders');
    expect(res.status).toBe(404);
    expect(json(res)).toEqual({ message: 'Not Found' });
  });

  it('leaves /graphql and paths without routes to the rest of the server', async () => {
    const res = await raw(server.endpoints.http, 'GET', '/no-route-here');
    expect(res.status).toBe(404);
    expect(json(res).errors?.[0]?.errorType).toBe('NotFoundException');
  });

  it('past the integration timeout: 503 for 2.0 (HTTP API), 504 for 1.0 (REST)', async () => {
    const quick = await createServer({
      dir: fixtureApp('functions'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      functions: { httpIntegrationTimeoutMs: 200 },
    });
    try {
      const v2 = await raw(quick.endpoints.http, 'GET', '/slow?ms=800');
      expect(v2.status).toBe(503);
      expect(json(v2)).toEqual({ message: 'Service Unavailable' });
      const v1 = await raw(quick.endpoints.http, 'GET', '/v1/slow?ms=800');
      expect(v1.status).toBe(504);
      expect(json(v1)).toEqual({ message: 'Endpoint request timed out' });
    } finally {
      await quick.close();
    }
  });
});

describe('CORS from http.cors', () => {
  const preflight = (origin: string) =>
    raw(cors.endpoints.http, 'OPTIONS', '/hello', [
      ['origin', origin],
      ['access-control-request-method', 'GET'],
      ['access-control-request-headers', 'content-type'],
    ]);

  it('answers preflights itself, with the configured headers', async () => {
    const res = await preflight('https://app.example.com');
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,authorization',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '600',
    });
  });

  it('matches wildcard subdomains and refuses other origins', async () => {
    const sub = await preflight('https://pr-7.preview.example.com');
    expect(sub.headers['access-control-allow-origin']).toBe('https://pr-7.preview.example.com');
    const other = await preflight('https://evil.example.org');
    expect(other.status).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("puts the configured headers on responses, replacing the function's own", async () => {
    const res = await raw(cors.endpoints.http, 'GET', '/hello', [['origin', 'https://app.example.com']]);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hi');
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe('x-request-cost');
    const foreign = await raw(cors.endpoints.http, 'GET', '/hello', [['origin', 'https://evil.example.org']]);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
