import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';

const dirs: string[] = [];
const servers: SynclineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An app folder with a GraphQL API and the given config extras and files. */
function app(config: Record<string, unknown>, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-web-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'syncline.config.json': JSON.stringify({
      name: 'web',
      graphql: {
        schema: 'schema.graphql',
        authentication: { type: 'API_KEY' },
        apiKeys: [{ name: 'k', value: 'da2-webfixturekey0000' }],
      },
      ...config,
    }),
    'schema.graphql': 'type Query { hello: String }',
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function start(dir: string): Promise<SynclineServer> {
  const server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
  servers.push(server);
  return server;
}

/** A request whose path reaches the server byte for byte (fetch would normalize `..`). */
function raw(
  server: SynclineServer,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(server.endpoints.http);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

const site = {
  'public/index.html': '<!doctype html><title>home</title>',
  'public/assets/app-7GX2KQ4M.js': 'console.log(1)',
  'public/assets/app-7GX2KQ4M.css': 'body{}',
  'public/logo.svg': '<svg/>',
  'public/docs/index.html': 'docs',
  'public/.env': 'SECRET=1',
  'secret.txt': 'outside the web folder',
};

describe('the web folder at /', () => {
  let server: SynclineServer;
  beforeAll(async () => {
    const dir = app({ web: { dir: 'public' } }, site);
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'public/linked.txt'));
    server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(() => server.close());

  it('serves index.html at / with its content type, revalidated on every visit', async () => {
    const res = await raw(server, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>home</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('caches hashed assets as immutable and answers a matching ETag with 304', async () => {
    const js = await raw(server, '/assets/app-7GX2KQ4M.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await raw(server, '/assets/app-7GX2KQ4M.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await raw(server, '/logo.svg')).headers['content-type']).toBe('image/svg+xml');

    const again = await raw(server, '/assets/app-7GX2KQ4M.js', { 'if-none-match': String(js.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await raw(server, '/', {}, 'HEAD');
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '34']);
  });

  it('serves a folder index and redirects the folder without its slash', async () => {
    expect((await raw(server, '/docs/')).body).toBe('docs');
    const res = await raw(server, '/docs?x=1');
    expect([res.status, res.headers.location]).toEqual([301, '/docs/?x=1']);
  });

  it('never leaves the folder: not by .., encoded .., a symbolic link or a hidden file', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/linked.txt',
      '/.env',
      '/%2eenv',
      '/%00',
      '/%E0%A4%A',
      '//example.com',
    ]) {
      const res = await raw(server, path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).not.toContain('outside');
    }
  });

  it('leaves /graphql to the API and other methods to the routes before it', async () => {
    const res = await raw(server, '/graphql?query=%7Bhello%7D', { 'x-api-key': 'da2-webfixturekey0000' });
    expect(JSON.parse(res.body)).toEqual({ data: { hello: null } });
    expect((await raw(server, '/index.html', {}, 'POST')).status).toBe(404);
  });

  it('serves /syncline.json with endpoints for the address the page used, to same-origin pages only', async () => {
    const res = await raw(server, '/syncline.json', { host: 'localhost:9999', origin: 'https://elsewhere.example' });
    expect(JSON.parse(res.body)).toEqual({
      graphql: 'http://localhost:9999/graphql',
      realtime: 'ws://localhost:9999/graphql/realtime',
      region: 'us-east-1',
      apiKey: 'da2-webfixturekey0000',
      http: 'http://localhost:9999',
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('web.build', () => {
  it('runs the build in the app folder before serving its output', async () => {
    const dir = app(
      { web: { dir: 'out', build: 'node build.mjs' } },
      {
        'build.mjs':
          "import { mkdirSync, writeFileSync } from 'node:fs'; mkdirSync('out', { recursive: true }); writeFileSync('out/index.html', 'built');",
      },
    );
    const server = await start(dir);
    expect((await raw(server, '/')).body).toBe('built');
  });

  it('skips the build on the next start when no file of the app changed, and runs it again after a change', async () => {
    const runs = join(mkdtempSync(join(tmpdir(), 'syncline-web-runs-')), 'runs');
    dirs.push(dirname(runs));
    const dir = app(
      { web: { dir: 'out', build: 'node build.mjs' } },
      {
        'build.mjs': `import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'x');
mkdirSync('out', { recursive: true });
writeFileSync('out/index.html', readFileSync('page.txt', 'utf8'));`,
        'page.txt': 'first',
      },
    );
    const count = () => readFileSync(runs, 'utf8').length;
    await (await start(dir)).close();
    const second = await start(dir);
    expect(count()).toBe(1);
    expect((await raw(second, '/')).body).toBe('first');
    expect((await raw(second, '/.syncline-build')).status).toBe(404);
    await second.close();
    writeFileSync(join(dir, 'page.txt'), 'second');
    const third = await start(dir);
    expect(count()).toBe(2);
    expect((await raw(third, '/')).body).toBe('second');
  });

  it('refuses to start when the build fails, naming the key and showing its output', async () => {
    const dir = app({ web: { dir: 'out', build: 'node -e "console.error(\'bundle broke\'); process.exit(3)"' } });
    await expect(start(dir)).rejects.toThrow(/web\.build: `node -e .*` exited with 3\nbundle broke/);
  });

  it('refuses a build that does not write web.dir', async () => {
    const dir = app({ web: { dir: 'out', build: 'node -e ""' } });
    await expect(start(dir)).rejects.toThrow(/web\.dir: `node -e ""` succeeded but did not write out/);
  });
});

describe('the web key', () => {
  it('refuses to serve the app folder itself', async () => {
    await expect(start(app({ web: { dir: '.' } }))).rejects.toThrow(/web\.dir: must be a folder of its own/);
  });

  it('refuses a missing folder when there is no build', async () => {
    await expect(start(app({ web: { dir: 'nope' } }))).rejects.toThrow(/web\.dir: folder not found: nope/);
  });

  it('refuses unknown keys', async () => {
    await expect(start(app({ web: { dir: 'public', spa: true } }, site))).rejects.toThrow(/web\.spa: unknown key/);
  });

  it('serves nothing of the app at / without it: the console is there instead, and nothing once it is off', async () => {
    const server = await start(app({}, site));
    const root = await raw(server, '/');
    expect(root.body).not.toContain('<title>home</title>');
    expect(root.body.toLowerCase()).toContain('console');
    expect((await raw(server, '/syncline.json')).status).toBe(404);
    const off = await createServer({ dir: app({}, site), port: 0, data: ':memory:', log: 'silent', console: 'off' });
    servers.push(off);
    expect((await raw(off, '/')).status).toBe(404);
    expect((await raw(off, '/syncline.json')).status).toBe(404);
  });
});
