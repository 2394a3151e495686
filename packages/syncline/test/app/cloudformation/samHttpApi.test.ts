// SAM's AWS::Serverless::HttpApi / Api resources as the functions' events meet them: CORS served by the gateway
// (preflights included), stage names listed, and authorizers refused unless the route opts out with NONE.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigError } from '../../../src/app/errors.js';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({ dir: fixtureApp('sam-http-api'), port: 0, data: ':memory:', log: 'silent' });
});
afterAll(() => server?.close());

/** Loads a copy of the fixture with its template rewritten; what loading gives. */
async function loadEdited(edit: (text: string) => string): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-sam-api-'));
  try {
    cpSync(fixtureApp('sam-http-api'), dir, { recursive: true });
    const file = join(dir, 'template.yaml');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return await loadApp(dir, { data: ':memory:' }).catch((e) => e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a SAM HttpApi resource', { timeout: 60_000 }, () => {
  it('answers a CORS preflight for its routes with its CorsConfiguration', async () => {
    const res = await fetch(`${server.endpoints.http}/products`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-shop',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-shop');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    const other = await fetch(`${server.endpoints.http}/products`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('runs a route that opts out of the default authorizer, with CORS headers on its response', async () => {
    const res = await fetch(`${server.endpoints.http}/products`, { headers: { origin: 'https://shop.example.com' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ products: ['tea', 'kettle'], routeKey: 'GET /products' });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('access-control-expose-headers')).toBe('x-total');
  });

  it('lists the stage name and the log settings as not run', () => {
    const [notice] = server.app.notices ?? [];
    expect(notice).toContain("ShopApi.StageName (routes are served at the server's root, without /prod)");
    expect(notice).toContain('ShopApi.AccessLogSettings');
    expect(notice).not.toContain('AWS::Serverless::HttpApi');
  });

  it('refuses a route its API’s default authorizer would guard, naming the authorizer, file and line', async () => {
    const error = await loadEdited((t) => t.replace('            Auth:\n              Authorizer: NONE\n', ''));
    expect(error).toBeInstanceOf(AppConfigError);
    expect(String((error as Error).message)).toMatch(
      /template\.yaml:\d+: Resources\.ShopApi\.Properties\.Auth\.DefaultAuthorizer: ShopJwt: route authorizers are not run/,
    );
    const own = await loadEdited((t) => t.replace('Authorizer: NONE', 'Authorizer: ShopJwt'));
    expect(String((own as Error).message)).toMatch(/Events\.ListProducts\.Properties\.Auth\.Authorizer: ShopJwt:/);
  });

  it('reads a REST Api’s quoted Cors, and refuses ApiKeyRequired and an ApiId that is not an API', async () => {
    const rest = (auth: string) => (t: string) =>
      t
        .replace('Type: AWS::Serverless::HttpApi', 'Type: AWS::Serverless::Api')
        .replace(
          / {6}CorsConfiguration:[\s\S]*?(?= {6}Auth:)/,
          '      Cors:\n        AllowOrigin: "\'https://shop.example.com\'"\n        AllowMethods: "\'GET,OPTIONS\'"\n        MaxAge: "\'300\'"\n',
        )
        .replace(/ {6}Auth:\n {8}Authorizers:[\s\S]*?DefaultAuthorizer: ShopJwt\n/, auth)
        .replace('Type: HttpApi', 'Type: Api')
        .replace('ApiId: !Ref ShopApi', 'RestApiId: !Ref ShopApi')
        .replace('            Auth:\n              Authorizer: NONE\n', '');
    const app = (await loadEdited(rest(''))) as Awaited<ReturnType<typeof loadApp>>;
    expect(app.httpCors).toMatchObject({
      allowOrigins: ['https://shop.example.com'],
      allowMethods: ['GET', 'OPTIONS'],
      maxAge: 300,
    });
    expect(app.functions.ProductsFunction.events).toEqual([
      { type: 'http', method: 'GET', path: '/products', payload: '1.0' },
    ]);
    const keyed = await loadEdited(rest('      Auth:\n        ApiKeyRequired: true\n'));
    expect(String((keyed as Error).message)).toMatch(
      /Resources\.ShopApi\.Properties\.Auth\.ApiKeyRequired: API Gateway API keys are not checked/,
    );
    const wrong = await loadEdited((t) => t.replace('ApiId: !Ref ShopApi', 'ApiId: !Ref ProductsFunction'));
    expect(String((wrong as Error).message)).toMatch(
      /Events\.ListProducts\.Properties\.ApiId: is !Ref to an AWS::Serverless::HttpApi/,
    );
  });
});
