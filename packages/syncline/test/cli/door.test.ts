// The AWS APIs' door as the command line sets it: `syncline start` requires signatures (operator credentials from
// --credentials or SYNCLINE_ACCESS_KEY_ID), `syncline dev` is open and its banner says so.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureApp } from '../helpers/server.js';

const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Starts the CLI and resolves with its stdout once `until` matches it. */
function run(args: string[], until: RegExp, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SYNCLINE_ACCESS_KEY_ID: '', SYNCLINE_SECRET_ACCESS_KEY: '', ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  return new Promise<string>((ok, fail) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (until.test(out)) ok(out);
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => fail(new Error(`exited with ${code} before printing: ${out}${err}`)));
  });
}

const endpointOf = (out: string) => /DynamoDB +(http:\/\/\S+)/.exec(out)![1];

const unsignedListTables = (endpoint: string) =>
  fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
    body: '{}',
  });

describe('syncline start', () => {
  it('refuses unsigned AWS API calls and admits the operator credential from the environment', async () => {
    const admin = { accessKeyId: 'AKIACLIADMIN00000001', secretAccessKey: 'cli-admin-secret' };
    const out = await run(
      ['start', fixtureApp('streams-functions'), '--port', '0', '--data', ':memory:'],
      /DynamoDB.*\n/,
      {
        SYNCLINE_ACCESS_KEY_ID: admin.accessKeyId,
        SYNCLINE_SECRET_ACCESS_KEY: admin.secretAccessKey,
      },
    );
    expect(out).toMatch(/DynamoDB +http:\S+ \(SigV4 required; 1 operator credential and the functions'\)/);
    const endpoint = endpointOf(out);
    const res = await unsignedListTables(endpoint);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#MissingAuthenticationTokenException',
    );
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: admin, maxAttempts: 1 });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['Audit', 'Failures', 'Orders']);
  });

  it('reads scoped credentials from --credentials and refuses a malformed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-door-'));
    dirs.push(dir);
    const file = join(dir, 'credentials.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          name: 'lister',
          accessKeyId: 'AKIACLILISTER0000001',
          secretAccessKey: 'cli-lister-secret',
          policies: [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] }],
        },
      ]),
      // A secret file readable by others is refused.
      { mode: 0o600 },
    );
    const args = ['start', fixtureApp('streams-functions'), '--port', '0', '--data', ':memory:'];
    const out = await run([...args, '--credentials', file], /DynamoDB.*\n/);
    const client = new DynamoDBClient({
      endpoint: endpointOf(out),
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIACLILISTER0000001', secretAccessKey: 'cli-lister-secret' },
      maxAttempts: 1,
    });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toContain('Orders');

    writeFileSync(file, '{ not json', { mode: 0o600 });
    await expect(run([...args, '--credentials', file], /DynamoDB/)).rejects.toThrow(/exited with 1/);
  });
});

describe('syncline dev', () => {
  it('stays open like DynamoDB Local and says so in its banner', async () => {
    const out = await run(
      ['dev', fixtureApp('streams-functions'), '--port', '0', '--data', ':memory:'],
      /DynamoDB.*\n/,
    );
    expect(out).toMatch(/DynamoDB +http:\S+ \(open: no signature required, like DynamoDB Local\)/);
    const res = await unsignedListTables(endpointOf(out));
    expect(res.status).toBe(200);
  });
});
