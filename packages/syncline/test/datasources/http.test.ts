import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql } from '../helpers/server.js';

// A real HTTP server the data source talks to; it records what reached it.
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const seen: Seen[] = [];
const held: ServerResponse[] = [];
let target: Server;
let server: SynclineServer;
let closedPort: number;

function handle(req: IncomingMessage, res: ServerResponse, body: string) {
  seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
  const path = req.url!.split('?')[0];
  if (path === '/slow') {
    held.push(res);
    return;
  }
  if (path === '/big') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(4096));
    return;
  }
  if (path === '/redirect') {
    res.writeHead(302, { location: '/echo' }).end();
    return;
  }
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status) {
    res.writeHead(Number(status[1]), { 'content-type': 'text/plain' }).end(`status ${status[1]}`);
    return;
  }
  res
    .writeHead(200, { 'content-type': 'application/json', 'x-reply': 'from-target', 'set-cookie': ['a=1', 'b=2'] })
    .end(JSON.stringify({ method: req.method, url: req.url, body }));
}

beforeAll(async () => {
  target = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  process.env.SYNCLINE_TEST_HTTP_ENDPOINT = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const closed = createHttpServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  process.env.SYNCLINE_TEST_HTTP_CLOSED = `http://127.0.0.1:${closedPort}`;
  server = await createServer({
    dir: fixtureApp('http-ds'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    httpDataSources: { timeoutMs: 400, maxResponseBytes: 1024 },
  });
});
afterAll(async () => {
  await server?.close();
  for (const res of held) res.destroy();
  await new Promise((r) => target.close(r));
  delete process.env.SYNCLINE_TEST_HTTP_ENDPOINT;
  delete process.env.SYNCLINE_TEST_HTTP_CLOSED;
});

const CALL =
  'query C($m: String!, $p: String!, $q: AWSJSON, $h: AWSJSON, $b: String) { call(method: $m, path: $p, query: $q, headers: $h, body: $b) { statusCode headers body } }';
const call = (vars: Record<string, unknown>) => gql(server, CALL, vars);

describe('the HTTP data source', () => {
  it('sends the method, path, query, headers and body, and returns statusCode, headers and body', async () => {
    seen.length = 0;
    const res = await call({
      m: 'POST',
      p: '/echo/items',
      q: JSON.stringify({ a: 'one two', list: ['x', 'y'], n: 3 }),
      h: JSON.stringify({
        'Content-Type': 'application/json',
        'X-Trace': 'abc',
        // Framing headers are the HTTP client's: dropped rather than sent or trusted.
        Host: 'elsewhere.example',
        'Content-Length': '999',
        'Transfer-Encoding': 'chunked',
      }),
      b: '{"hello":"world"}',
    });
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data.call;
    expect(out.statusCode).toBe(200);
    expect(JSON.parse(out.headers)).toMatchObject({
      'x-reply': 'from-target',
      'content-type': 'application/json',
      'set-cookie': 'a=1, b=2',
    });
    expect(typeof out.body).toBe('string');
    expect(JSON.parse(out.body)).toEqual({
      method: 'POST',
      url: '/echo/items?a=one%20two&list=x&list=y&n=3',
      body: '{"hello":"world"}',
    });
    expect(seen[0].headers['x-trace']).toBe('abc');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].headers.host).toBe(`127.0.0.1:${(target.address() as AddressInfo).port}`);
    expect(seen[0].headers['content-length']).toBe('17');
  });

  it.each(['GET', 'PUT', 'PATCH', 'DELETE'])('sends %s', async (method) => {
    const res = await call({ m: method, p: '/echo' });
    expect(res.body.errors).toBeUndefined();
    expect(JSON.parse(res.body.data.call.body).method).toBe(method);
  });

  it('hands non-2xx answers to the response handler as results, not errors', async () => {
    for (const code of [201, 404, 500, 503]) {
      const res = await call({ m: 'GET', p: `/status/${code}` });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.call).toMatchObject({ statusCode: code, body: `status ${code}` });
    }
  });

  it('does not follow redirects: the 3xx and its Location reach the resolver', async () => {
    const res = await call({ m: 'GET', p: '/redirect' });
    expect(res.body.data.call.statusCode).toBe(302);
    expect(JSON.parse(res.body.data.call.headers).location).toBe('/echo');
  });

  it('reports a refused connection as HttpRequestException, and the server keeps serving', async () => {
    const res = await gql(server, '{ unreachable { statusCode } }');
    expect(res.body.data.unreachable).toBeNull();
    expect(res.body.errors[0]).toMatchObject({
      errorType: 'HttpRequestException',
      message: `Connection refused: 127.0.0.1:${closedPort}`,
      path: ['unreachable'],
    });
    expect((await call({ m: 'GET', p: '/echo' })).body.data.call.statusCode).toBe(200);
  });

  it('gives up after the timeout with HttpRequestException', async () => {
    const started = Date.now();
    const res = await call({ m: 'GET', p: '/slow' });
    expect(res.body.errors[0]).toMatchObject({
      errorType: 'HttpRequestException',
      message: expect.stringMatching(/^Request to 127\.0\.0\.1:\d+ timed out after 400 ms\.$/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a response over the size cap', async () => {
    const res = await call({ m: 'GET', p: '/big' });
    expect(res.body.data.call).toBeNull();
    expect(res.body.errors[0].errorType).toBe('HttpRequestException');
    expect(res.body.errors[0].message).toMatch(/larger than/);
  });

  it('refuses a bad request object as a MappingTemplate error', async () => {
    const bad = [
      { m: 'TRACE', p: '/echo' },
      { m: 'GET', p: 'no-slash' },
      { m: 'GET', p: '/echo', h: JSON.stringify({ 'X-Bad': 'a\r\nInjected: 1' }) },
      { m: 'GET', p: '/echo', h: JSON.stringify({ 'bad header': 'x' }) },
      { m: 'GET', p: '/echo', b: 'a body' },
    ];
    for (const vars of bad) {
      const res = await call(vars);
      expect(res.body.errors[0].errorType).toBe('MappingTemplate');
    }
  });

  it('signs with SigV4 for the configured region and service with the data source role', async () => {
    seen.length = 0;
    const res = await gql(server, 'query S($p: String!, $b: String) { signed(path: $p, body: $b) { statusCode } }', {
      p: '/signed',
      b: '{"x":1}',
    });
    expect(res.body.errors).toBeUndefined();
    const got = seen[0];
    expect(got.url).toBe('/base/signed?a=b%20c');
    const auth = String(got.headers.authorization);
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIA[A-Z2-7]{16}\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(auth).toContain('x-custom');
    expect(got.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(got.headers['x-amz-security-token']).toBeTruthy();
    expect(got.headers['x-amz-content-sha256'] ?? 'absent').toBeDefined();
  });

  it('survives hostile request objects (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 8 }),
        fc.string({ maxLength: 20 }),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
        async (m, p, h) => {
          const res = await call({ m, p: `/echo${p}`, h: JSON.stringify(h) });
          expect(res.status).toBe(200);
          if (res.body.errors)
            expect(['MappingTemplate', 'HttpRequestException']).toContain(res.body.errors[0].errorType);
        },
      ),
      { numRuns: 25 },
    );
  });
});
