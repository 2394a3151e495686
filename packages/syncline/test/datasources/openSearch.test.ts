// AMAZON_OPENSEARCH_SERVICE / AMAZON_ELASTICSEARCH proxied to the user's own OpenSearch (here a local HTTP server
// answering as OpenSearch does), and the precise refusals at load: no endpoint, an AWS-hosted domain, Bedrock.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/index.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql } from '../helpers/server.js';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const dirs: string[] = [];
function variant(edit: (config: string) => string, file = 'syncline.config.ts'): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-os-'));
  dirs.push(dir);
  cpSync(fixtureApp('opensearch-proxy'), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}
const load = (dir: string) => loadApp(dir, { data: ':memory:', env: {} });

let search: Server;
let server: SynclineServer;
const seen: Seen[] = [];

beforeAll(async () => {
  search = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url?.startsWith('/posts/_search')) {
        return json(200, {
          hits: { total: { value: 1 }, hits: [{ _source: { id: '1', title: 'Hello', upvotes: 5 } }] },
        });
      }
      if (req.url === '/prefix/posts/_doc/1') return json(200, { found: true, _source: { id: '1', title: 'Hello' } });
      json(404, { error: { type: 'index_not_found_exception', reason: 'no such index [posts]' }, status: 404 });
    });
  });
  await new Promise<void>((ok) => search.listen(0, '127.0.0.1', ok));
  const port = (search.address() as AddressInfo).port;
  const dir = variant((c) => c.replaceAll('127.0.0.1:9200', `127.0.0.1:${port}`));
  server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
});

afterAll(async () => {
  await server?.close();
  await new Promise((ok) => search?.close(ok));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('OpenSearch data source', () => {
  it("sends the resolver's operation, path, query string, headers and JSON body, and returns the JSON answer", async () => {
    seen.length = 0;
    const res = await gql(server, 'query { searchPosts(title: "hello", minUpvotes: 3) { id title upvotes } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body).toEqual({ data: { searchPosts: [{ id: '1', title: 'Hello', upvotes: 5 }] } });
    expect(seen).toHaveLength(1);
    expect(seen[0].method).toBe('GET');
    expect(seen[0].url).toBe('/posts/_search?size=10');
    expect(seen[0].headers['x-trace']).toBe('search');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0].body)).toEqual({
      query: { bool: { must: [{ match: { title: 'hello' } }, { range: { upvotes: { gte: 3 } } }] } },
    });
  });

  it("keeps the endpoint's path prefix (AMAZON_ELASTICSEARCH)", async () => {
    const res = await gql(server, 'query { getPost(id: "1") { id title } }');
    expect(res.body).toEqual({ data: { getPost: { id: '1', title: 'Hello' } } });
  });

  it("an OpenSearch error reaches ctx.error with OpenSearch's type and reason", async () => {
    const res = await gql(server, 'query { getPost(id: "2") { id } }');
    expect(res.body.data).toEqual({ getPost: null });
    expect(res.body.errors[0]).toMatchObject({
      errorType: 'OpenSearch:index_not_found_exception',
      message: 'no such index [posts]',
    });
  });

  it('an unreachable OpenSearch is a field error naming the endpoint, and the server keeps serving', async () => {
    const res = await gql(server, 'query { unreachable(id: "1") { id } }');
    expect(res.body.data).toEqual({ unreachable: null });
    expect(res.body.errors[0].message).toMatch(/^Could not reach OpenSearch at http:\/\/127\.0\.0\.1:9: /);
    const again = await gql(server, 'query { getPost(id: "1") { id } }');
    expect(again.body.data).toEqual({ getPost: { id: '1' } });
  });
});

describe('refused at load, precisely', () => {
  it('an OpenSearch data source without endpoint', async () => {
    const dir = variant((c) => c.replace("config: { endpoint: 'http://127.0.0.1:9200' }", 'config: {}'));
    await expect(load(dir)).rejects.toThrow(
      /graphql\.dataSources\.search\.config\.endpoint: is required: Syncline has no search engine of its own.*127\.0\.0\.1:9200/,
    );
  });

  it('an AWS-hosted OpenSearch domain (unsigned requests would be refused by AWS)', async () => {
    const dir = variant((c) =>
      c.replace("'http://127.0.0.1:9200'", "'https://search-posts-abc.us-east-1.es.amazonaws.com'"),
    );
    await expect(load(dir)).rejects.toThrow(/config\.endpoint: .*AWS-hosted domain.*SigV4 for service es/);
  });

  it('AMAZON_BEDROCK_RUNTIME, naming the key and what works instead', async () => {
    const dir = variant((c) =>
      c.replace(
        "nowhere: { type: 'AMAZON_OPENSEARCH_SERVICE', config: { endpoint: 'http://127.0.0.1:9' } }",
        "nowhere: { type: 'AMAZON_BEDROCK_RUNTIME' }",
      ),
    );
    await expect(load(dir)).rejects.toThrow(
      /graphql\.dataSources\.nowhere\.type: AMAZON_BEDROCK_RUNTIME calls foundation models that run only on AWS.*AWS_LAMBDA/,
    );
  });

  it("a resolver importing '@aws-appsync/utils/ai'", async () => {
    const dir = variant(
      (c) =>
        `import { invokeModel } from '@aws-appsync/utils/ai';\n${c.replace('return {', 'if (!ctx.args.id) return invokeModel({ modelId: "m", body: {} });\n  return {')}`,
      'resolvers/getPost.js',
    );
    const started = createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
    await expect(started).rejects.toThrow(/importing '@aws-appsync\/utils\/ai': .*AMAZON_BEDROCK_RUNTIME/);
  });
});

describe('hostile requests', () => {
  it('any request object ends as a DataSourceError or an answer from the endpoint, never elsewhere', async () => {
    const { openSearchDataSource } = await import('../../src/datasources/openSearch.js');
    const { DataSourceError } = await import('../../src/datasources/types.js');
    const port = (search.address() as AddressInfo).port;
    const ds = openSearchDataSource('s', 'AMAZON_OPENSEARCH_SERVICE', `http://127.0.0.1:${port}`);
    const fc = (await import('fast-check')).default;
    seen.length = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          operation: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'PATCH', 42),
          path: fc.oneof(fc.string(), fc.constant('//evil.example/x'), fc.webPath()),
          params: fc.option(fc.record({ queryString: fc.dictionary(fc.string(), fc.string()), body: fc.jsonValue() })),
        }),
        async (request) => {
          try {
            await ds.invoke(request, {} as never, {} as never);
          } catch (error) {
            expect(error).toBeInstanceOf(DataSourceError);
          }
        },
      ),
      { numRuns: 60 },
    );
    // Whatever reached a server reached the endpoint, on a path under it.
    for (const s of seen) expect(s.url.startsWith('/')).toBe(true);
    seen.length = 0;
    await (
      ds.invoke({ operation: 'GET', path: '//evil.example/x' }, {} as never, {} as never) as Promise<unknown>
    ).catch(() => {});
    expect(seen.map((s) => s.url)).toEqual(['//evil.example/x']);
  });
});
