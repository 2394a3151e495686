// After `syncline trust`, real Chromium (Debian's, via playwright-core) opens the dev server's https:// URL with
// no certificate error and no --ignore-certificate-errors flag: it reads the CA from ~/.pki/nssdb of its HOME.
// A second Chromium, whose HOME never got the CA, is refused, so the test fails if trust did nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));

let root: string;
let server: SynclineServer;
const browsers: Browser[] = [];
let configBefore: string | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  }
  root = mkdtempSync(join(tmpdir(), 'syncline-trust-browser-'));
  configBefore = process.env.SYNCLINE_CONFIG_DIR;
  process.env.SYNCLINE_CONFIG_DIR = join(root, 'config');
  server = await createServer({ dir: fixtureApp('basic'), port: 0, data: ':memory:', log: 'silent' });
}, 60_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await server?.close();
  if (configBefore === undefined) delete process.env.SYNCLINE_CONFIG_DIR;
  else process.env.SYNCLINE_CONFIG_DIR = configBefore;
  rmSync(root, { recursive: true, force: true });
});

async function launch(home: string): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, HOME: home },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  browsers.push(browser);
  return browser;
}

it('Chromium trusts the dev server after `syncline trust`, and not before', async () => {
  const trusted = join(root, 'trusted-home');
  const untrusted = join(root, 'untrusted-home');
  mkdirSync(trusted);
  mkdirSync(untrusted);
  mkdirSync(join(root, 'system'));
  const r = spawnSync(process.execPath, [BIN, 'trust'], {
    env: { ...process.env, HOME: trusted, SYNCLINE_SYSTEM_CA_DIR: join(root, 'system') },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('added the CA');

  const port = new URL(server.endpoints.graphql).port;
  for (const host of ['localhost', '127.0.0.1']) {
    const page = await (await launch(trusted)).newPage();
    const response = await page.goto(`https://${host}:${port}/graphql`);
    expect(response?.url()).toBe(`https://${host}:${port}/graphql`);
    expect(response?.status()).toBeLessThan(500);
  }

  const page = await (await launch(untrusted)).newPage();
  await expect(page.goto(`https://localhost:${port}/graphql`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
}, 90_000);
