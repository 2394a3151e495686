// `syncline logs` and `syncline tables` against a running `syncline dev`, as a user runs them (the built CLI:
// `npm run build -w syncline` first); and the console's place in `dev` and `start`.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupCli, eventually, runCli } from '../helpers/cli.js';
import { fixtureApp } from '../helpers/server.js';
import { freePort } from './helpers.js';

let http: string;
let dev: ReturnType<typeof runCli>;

beforeAll(async () => {
  dev = runCli(['dev', fixtureApp('console'), '--port', '0', '--data', ':memory:', '--json']);
  const ready = JSON.parse(await dev.line());
  http = ready.http;
  expect(ready.console).toBe(`${http}/`);
  const client = new DynamoDBClient({
    endpoint: ready.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    for (const id of ['a', 'b', 'c']) {
      await client.send(
        new PutItemCommand({ TableName: 'console-items', Item: { id: { S: id }, n: { N: String(id.charCodeAt(0)) } } }),
      );
    }
  } finally {
    client.destroy();
  }
}, 60_000);

afterAll(() => {
  dev?.child.kill('SIGKILL');
});

const invoke = (name: string) =>
  fetch(`${http}/_console/api/functions/${name}/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cli' }),
  }).then((r) => r.json() as Promise<any>);

describe('syncline tables', { timeout: 60_000 }, () => {
  it('lists the tables with their keys, indexes, stream and TTL', async () => {
    const p = runCli(['tables', 'list', '--endpoint', http]);
    expect(await p.exit).toBe(0);
    const { out } = p.output();
    expect(out).toContain('console-items (Items)  key id (partition)');
    expect(out).toContain('indexes byKind');
    expect(out).toContain('stream NEW_AND_OLD_IMAGES');
    expect(out).toContain('TTL expiresAt');
  });

  it("prints a table's items as JSON lines, by its key under tables or its name", async () => {
    const p = runCli(['tables', 'scan', 'Items', '--endpoint', http]);
    expect(await p.exit).toBe(0);
    const items = p
      .output()
      .out.trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(items.map((i) => i.id).sort()).toEqual(['a', 'b', 'c']);
    expect(items.find((i) => i.id === 'a')).toEqual({ id: 'a', n: 97 });
    const limited = runCli(['tables', 'scan', 'console-items', '--limit', '2', '--typed', '--endpoint', http]);
    expect(await limited.exit).toBe(0);
    const typed = limited.output().out.trim().split('\n');
    expect(typed).toHaveLength(2);
    expect(JSON.parse(typed[0]).id).toHaveProperty('S');
  });

  it('names a table that does not exist', async () => {
    const p = runCli(['tables', 'scan', 'Nope', '--endpoint', http]);
    expect(await p.exit).toBe(1);
    expect(p.output().err).toContain('no table Nope');
  });
});

describe('syncline logs', { timeout: 60_000 }, () => {
  it("prints a function's lines in Lambda's format", async () => {
    const { requestId } = await invoke('hello');
    const p = runCli(['logs', 'hello', '--endpoint', http]);
    expect(await p.exit).toBe(0);
    const { out } = p.output();
    expect(out).toContain(`START RequestId: ${requestId}`);
    expect(out).toMatch(new RegExp(`\\t${requestId}\\tINFO\\thello from hello`));
    expect(out).toContain(`REPORT RequestId: ${requestId}`);
  });

  it('follows new lines until interrupted', async () => {
    const p = runCli(['logs', 'hello', '--follow', '--limit', '1', '--endpoint', http]);
    await eventually(
      () => p.output().out,
      (out) => out.length > 0,
    );
    const { requestId } = await invoke('hello');
    const out = await eventually(
      () => p.output().out,
      (text) => text.includes(`REPORT RequestId: ${requestId}`),
      15_000,
    );
    expect(out).toContain(`START RequestId: ${requestId}`);
    // Each line once, though the polls overlap in time.
    expect(out.split(`START RequestId: ${requestId}`)).toHaveLength(2);
    p.child.kill('SIGINT');
  });

  it('names an unknown function', async () => {
    const p = runCli(['logs', 'nope', '--endpoint', http]);
    expect(await p.exit).toBe(1);
    expect(p.output().err).toContain('Function not found: nope');
  });
});

describe('an unreachable server', { timeout: 60_000 }, () => {
  it('exits non-zero saying where it looked', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    for (const args of [['tables'], ['logs', 'hello']]) {
      const p = runCli([...args, '--endpoint', nobody]);
      expect(await p.exit).toBe(1);
      expect(p.output().err).toContain(`syncline: cannot reach the server at ${nobody} (ECONNREFUSED)`);
    }
  });
});

describe('the console in start', { timeout: 60_000 }, () => {
  afterEach(cleanupCli);

  it('is off by default, and for operators only with --console', async () => {
    const off = runCli(['start', fixtureApp('console'), '--port', '0', '--data', ':memory:', '--json']);
    const offReady = JSON.parse(await off.line());
    expect(offReady.console).toBeNull();
    expect((await fetch(`${offReady.http}/_console/api/app`)).status).toBe(404);

    const env = {
      ...process.env,
      SYNCLINE_ACCESS_KEY_ID: 'AKIACONSOLECLITEST01',
      SYNCLINE_SECRET_ACCESS_KEY: 'console-cli-secret-0123456789',
    };
    const on = runCli(
      ['start', fixtureApp('console'), '--port', '0', '--data', ':memory:', '--json', '--console'],
      env,
    );
    const onReady = JSON.parse(await on.line());
    expect(onReady.console).toBe(`${onReady.http}/`);
    expect((await fetch(`${onReady.http}/_console/api/app`)).status).toBe(401);
    // The CLI sends the operator's key from the same variables `start` read it from.
    const list = runCli(['tables', '--endpoint', onReady.http], env);
    expect(await list.exit).toBe(0);
    expect(list.output().out).toContain('console-items');
    const refused = runCli(['tables', '--endpoint', onReady.http]);
    expect(await refused.exit).toBe(1);
    expect(refused.output().err).toContain('needs an operator credential');
  }, 60_000);
});
