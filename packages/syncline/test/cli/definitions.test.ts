// `syncline start <path>` with a serverless.yml: a folder or the file itself, --stage and repeatable --param.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function run(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const until = (pattern: RegExp) =>
    new Promise<string>((ok, fail) => {
      const check = () => {
        const m = pattern.exec(out);
        if (m) ok(m[0]);
      };
      child.stdout!.on('data', check);
      child.on('exit', () => fail(new Error(`exited before printing ${pattern}: ${err}`)));
      check();
    });
  return { child, exit, until, output: () => ({ out, err }) };
}

const gql = async (url: string, apiKey: string, query: string) =>
  (
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query }),
    })
  ).json() as Promise<any>;

describe('syncline start with a serverless.yml', { timeout: 60_000 }, () => {
  it('takes the file itself, --stage and repeatable --param', async () => {
    const file = join(fixtureApp('serverless-orders'), 'serverless.yml');
    const p = run([
      'start',
      file,
      '--port',
      '0',
      '--data',
      ':memory:',
      '--json',
      '--stage',
      'prod',
      '--param',
      'ttlSeconds=42',
      '--param',
      'unused=x',
    ]);
    const ready = JSON.parse(await p.until(/^\{.*\}\n/));
    const echo = await gql(ready.graphql, ready.apiKey, '{ echo }');
    expect(JSON.parse(echo.data.echo)).toMatchObject({
      table: 'orders-orders-prod',
      stage: 'prod',
      which: 'production',
    });
    const res = await fetch(`${ready.http}/orders`, {
      method: 'POST',
      body: JSON.stringify({ id: 'cli-1', item: 'x' }),
    });
    const body = (await res.json()) as { expiresAt: number };
    const ttl = body.expiresAt - Math.floor(Date.now() / 1000);
    expect(ttl).toBeGreaterThan(30);
    expect(ttl).toBeLessThanOrEqual(42);
  });

  it('finds serverless.yml in the folder and prints once what only AWS runs', async () => {
    const p = run(['start', fixtureApp('serverless-orders'), '--port', '0', '--data', ':memory:']);
    const notice = await p.until(/accepted but not run locally \(AWS only\): [^\n]*/);
    expect(notice).toContain('appSync.xrayEnabled');
    expect(p.output().out).toContain('Syncline is running orders-api');
  });

  it('refuses a malformed --param', async () => {
    const p = run(['start', fixtureApp('serverless-orders'), '--param', 'novalue']);
    expect(await p.exit).not.toBe(0);
    expect(p.output().err).toContain('a parameter is Name=value');
  });
});
