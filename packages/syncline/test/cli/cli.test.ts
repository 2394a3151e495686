import { chmodSync, cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupCli, runCli, tempDir } from '../helpers/cli.js';
import { fixtureApp } from '../helpers/server.js';

afterEach(cleanupCli);

function copyFixture(): string {
  const dir = tempDir();
  cpSync(fixtureApp('basic'), dir, { recursive: true });
  return dir;
}

async function query(url: string, apiKey: string, q: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query: q }),
  });
  return res.json();
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await fn();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}

describe('syncline start', () => {
  it('prints one JSON line with the endpoints and API key when ready, and serves them', async () => {
    const p = runCli(['start', fixtureApp('basic'), '--port', '0', '--data', ':memory:', '--json']);
    const ready = JSON.parse(await p.line());
    expect(ready.graphql).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(ready.apiKey).toBe('da2-basicfixturekey00000000');
    expect(await query(ready.graphql, ready.apiKey, '{ hello }')).toEqual({ data: { hello: 'Hello, world!' } });
  });

  it('--json keeps logging, as JSON lines on stderr, and stdout carries only the endpoints line', async () => {
    const p = runCli(['start', fixtureApp('functions'), '--port', '0', '--data', ':memory:', '--json'], {
      ...process.env,
      SYNCLINE_TEST_GREETING: 'hi',
    });
    const ready = JSON.parse(await p.line());
    // A function failure is the kind of event an operator must see.
    const res = await fetch(`${ready.http}/slow`);
    expect(res.status).toBe(500);
    const logged = await eventually(
      async () =>
        p
          .output()
          .err.split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { level: number; msg: string; function?: string }),
      (lines) => lines.some((l) => l.function === 'slow'),
    );
    expect(logged.find((l) => l.function === 'slow')).toMatchObject({
      level: 50,
      msg: 'Task timed out after 1.00 seconds',
    });
    // Every stderr line is JSON; stdout is the one endpoints line.
    expect(
      p
        .output()
        .err.split('\n')
        .filter((l) => l && !l.startsWith('{')),
    ).toEqual([]);
    expect(p.output().out.trim().split('\n')).toHaveLength(1);
  });

  it('exits non-zero with a readable message for a bad app', async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, 'schema.graphql'), 'type Mutation { a: String }');
    const p = runCli(['start', dir, '--port', '0', '--data', ':memory:']);
    expect(await p.exit).toBe(1);
    expect(p.output().err).toContain('There is no top level schema object defined.');
    expect(p.output().err).not.toMatch(/\n\s+at /);
  });

  it('keeps a generated API key in the data folder across restarts', async () => {
    const dir = copyFixture();
    writeFileSync(
      join(dir, 'syncline.config.json'),
      JSON.stringify({ name: 'k', graphql: { schema: 'schema.graphql', authentication: { type: 'API_KEY' } } }),
    );
    rmSync(join(dir, 'syncline.config.ts'));
    const first = runCli(['start', dir, '--port', '0', '--json']);
    const a = JSON.parse(await first.line());
    first.child.kill();
    await first.exit;
    const second = runCli(['start', dir, '--port', '0', '--json']);
    const b = JSON.parse(await second.line());
    expect(b.apiKey).toBe(a.apiKey);
    expect(JSON.parse(readFileSync(join(dir, '.syncline', 'api-keys.json'), 'utf8')).default).toBe(a.apiKey);
  });
});

describe('secrets on disk', () => {
  const mode = (path: string) => statSync(path).mode & 0o777;
  /** Every file holding a secret, and the folders holding them, as `syncline dev` leaves a data folder. */
  const modes = (data: string, config: string) => ({
    data: mode(data),
    apiKeys: mode(join(data, 'api-keys.json')),
    issuer: mode(join(data, 'local-issuer.json')),
    config: mode(config),
    ca: mode(join(config, 'ca')),
    caKey: mode(join(config, 'ca', 'rootCA-key.pem')),
    leaf: mode(join(config, 'dev-leaf.pem')),
  });
  const owner = { data: 0o700, apiKeys: 0o600, issuer: 0o600, config: 0o700, ca: 0o700, caKey: 0o600, leaf: 0o600 };

  it.skipIf(process.platform === 'win32')(
    'generated API keys, the issuer key and the dev certificate key are owner-only, and loose modes are fixed on open',
    async () => {
      const dir = copyFixture();
      writeFileSync(
        join(dir, 'syncline.config.json'),
        JSON.stringify({ name: 'k', graphql: { schema: 'schema.graphql', authentication: { type: 'API_KEY' } } }),
      );
      rmSync(join(dir, 'syncline.config.ts'));
      const data = join(dir, 'data');
      // The dev certificate's CA and leaf live in the user's config folder (tls/localCa.ts).
      const config = join(dir, 'config');
      const env = { ...process.env, SYNCLINE_CONFIG_DIR: config };
      // A permissive umask (inherited by the server): the modes must not depend on it.
      const umask = process.umask(0);
      let first: ReturnType<typeof runCli>;
      try {
        first = runCli(['dev', dir, '--port', '0', '--data', data, '--json'], env);
      } finally {
        process.umask(umask);
      }
      const a = JSON.parse(await first.line());
      expect(a.ca).toBe(join(config, 'ca', 'rootCA.pem'));
      expect(modes(data, config)).toEqual(owner);
      first.child.kill();
      await first.exit;

      // Left readable by an older version: tightened when the server opens them, and the same key is kept.
      for (const file of ['api-keys.json', 'local-issuer.json']) chmodSync(join(data, file), 0o644);
      for (const file of ['ca/rootCA-key.pem', 'dev-leaf.pem']) chmodSync(join(config, file), 0o644);
      chmodSync(data, 0o755);
      for (const folder of ['', 'ca']) chmodSync(join(config, folder), 0o755);
      const second = runCli(['dev', dir, '--port', '0', '--data', data, '--json'], env);
      const b = JSON.parse(await second.line());
      expect(b.apiKey).toBe(a.apiKey);
      expect(modes(data, config)).toEqual(owner);
    },
    60_000,
  );
});

describe('syncline start --tls-cert --tls-key', () => {
  it("serves TLS on the same port with the user's own certificate", async () => {
    const dir = copyFixture();
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    writeFileSync(join(dir, 'cert.pem'), pems.cert);
    writeFileSync(join(dir, 'key.pem'), pems.private);
    const p = runCli([
      'start',
      dir,
      '--port',
      '0',
      '--data',
      ':memory:',
      '--json',
      '--tls-cert',
      join(dir, 'cert.pem'),
      '--tls-key',
      join(dir, 'key.pem'),
    ]);
    const { graphql, apiKey } = JSON.parse(await p.line());
    const url = new URL(graphql.replace('http:', 'https:'));
    const body = await new Promise<string>((ok, fail) => {
      const req = httpsRequest(
        url,
        { method: 'POST', ca: pems.cert, headers: { 'content-type': 'application/json', 'x-api-key': apiKey } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => ok(text));
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify({ query: '{ hello }' }));
    });
    expect(JSON.parse(body)).toEqual({ data: { hello: 'Hello, world!' } });
  });

  it('refuses one flag without the other', async () => {
    const p = runCli(['start', fixtureApp('basic'), '--port', '0', '--tls-cert', 'x.pem']);
    expect(await p.exit).toBe(1);
    expect(p.output().err).toContain('--tls-cert and --tls-key go together');
  });
});

describe('syncline dev', () => {
  it('reloads on a schema or code change and keeps serving the last good version when the new one is broken', async () => {
    const dir = copyFixture();
    const p = runCli(['dev', dir, '--port', '0', '--data', ':memory:', '--json']);
    const { graphql, apiKey } = JSON.parse(await p.line());

    writeFileSync(
      join(dir, 'resolvers', 'hello.js'),
      readFileSync(join(dir, 'resolvers', 'hello.js'), 'utf8').replace('Hello, ', 'Howdy, '),
    );
    const changed = await eventually(
      () => query(graphql, apiKey, '{ hello }'),
      (r) => r.data?.hello === 'Howdy, world!',
    );
    expect(changed).toEqual({ data: { hello: 'Howdy, world!' } });

    writeFileSync(join(dir, 'schema.graphql'), 'type Broken {');
    await new Promise((r) => setTimeout(r, 600));
    expect(await query(graphql, apiKey, '{ hello }')).toEqual({ data: { hello: 'Howdy, world!' } });
  });
});
