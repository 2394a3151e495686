// The built console served by a running server: under /_console/ with the single-page fallback, at / for an app
// without pages of its own (and not for one with them), and never a file outside its folder, whatever the path.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { startConsoleApp } from './helpers.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-CONSOLE';
let base: string;
let dist: string;
let server: SynclineServer;
let port: number;

/** A request with the path exactly as written (fetch would normalise `..` away). */
function raw(
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'syncline-console-dist-'));
  dist = join(base, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>console</title><script src="./assets/app.js"></script>',
  );
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("console app")');
  writeFileSync(join(dist, 'favicon.ico'), 'icon');
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(dist, '.env'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(dist, 'link.txt'));
  server = await startConsoleApp({ consoleDist: dist });
  port = Number(new URL(server.endpoints.http).port);
}, 30_000);

afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

describe('under /_console/', () => {
  it('serves the page, its assets (cached for good), and index.html for client-side routes', async () => {
    const page = await raw('/_console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<title>console</title>');
    const asset = await raw('/_console/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    const route = await raw('/_console/tables/console-items?x=1');
    expect(route.status).toBe(200);
    expect(route.body).toContain('<title>console</title>');
    expect((await raw('/_console/assets/missing.js')).status).toBe(404);
    const bare = await raw('/_console?tab=1');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/_console/?tab=1');
    const head = await raw('/_console/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe('console.log("console app")'.length);
  });

  it('never serves a file outside its folder, a hidden file, or a link leading out', async () => {
    for (const path of [
      '/_console/../secret.txt',
      '/_console/%2e%2e/secret.txt',
      '/_console/%2E%2E%2Fsecret.txt',
      '/_console/assets/..%2f..%2fsecret.txt',
      '/_console/assets/%2e%2e/%2e%2e/secret.txt',
      '/_console/..%5csecret.txt',
      '/_console/.env',
      '/_console/link.txt',
      '/_console/secret.txt%00.js',
      '/_console/%00',
      `/_console/${'a/'.repeat(3000)}x.js`,
      `/_console/${'%2e%2e/'.repeat(500)}secret.txt`,
    ]) {
      const res = await raw(path);
      expect(res.body, path).not.toContain(SECRET);
      expect([200, 400, 404], path).toContain(res.status);
    }
  });

  it('survives any path built from hostile pieces (property test)', async () => {
    const piece = fc.constantFrom(
      '..',
      '%2e%2e',
      '%2E.',
      '.',
      '%2f',
      '%5c',
      '\\',
      '%00',
      '%',
      '%zz',
      'secret.txt',
      'link.txt',
      '.env',
      'assets',
      'index.html',
      '%c0%ae%c0%ae',
      '~',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(piece, fc.webSegment()), { minLength: 1, maxLength: 8 }), async (parts) => {
        const res = await raw(`/_console/${parts.join('/')}`).catch(() => ({ status: 0, body: '' }));
        expect(res.body).not.toContain(SECRET);
        expect([0, 200, 301, 400, 404]).toContain(res.status);
      }),
      { numRuns: 300 },
    );
    // And the server still serves.
    expect((await raw('/_console/')).status).toBe(200);
  });
});

describe('at /', () => {
  it('serves the console for an app without pages of its own, and declines other paths', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>console</title>');
    expect((await raw('/assets/app.js')).status).toBe(200);
    const other = await raw('/not-a-console-file');
    expect(other.status).toBe(404);
    expect(other.body).toContain('No route for this path');
    expect((await raw('/link.txt')).body).not.toContain(SECRET);
  });

  it('leaves / to an app that has a web front end, keeping the console under /_console/', async () => {
    const web = await createServer({
      dir: fixtureApp('console-web'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      consoleDist: dist,
    });
    try {
      const root = await fetch(`${web.endpoints.http}/`);
      expect(await root.text()).toContain('APP PAGE');
      const console = await fetch(`${web.endpoints.http}/_console/`);
      expect(await console.text()).toContain('<title>console</title>');
    } finally {
      await web.close();
    }
  });
});

describe('not built', () => {
  it('says how to build it', async () => {
    const unbuilt = await createServer({
      dir: fixtureApp('console-web'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      consoleDist: join(base, 'nowhere'),
    });
    try {
      const res = await fetch(`${unbuilt.endpoints.http}/_console/`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as any).errors[0].message).toBe('The console is not built: run npm run build.');
      // The API does not need the pages.
      expect((await fetch(`${unbuilt.endpoints.http}/_console/api/app`)).status).toBe(200);
    } finally {
      await unbuilt.close();
    }
  });
});
