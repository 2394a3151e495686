// The board in real Chromium (Debian's `chromium`, driven by playwright-core), with the real Amplify v6 client
// bundled into the page: two pages, an order placed on one appears on the other, a status change reaches both.
// Screenshots land in examples/realtime-orders/test-results/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../../packages/syncline/src/index.js';
import { trustCa } from '../../../packages/syncline/src/tls/trustStores.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const VISIBLE = { state: 'visible', timeout: 10_000 } as const;

let server: SynclineServer;
let browser: Browser;
const pageErrors: string[] = [];
/** A fresh local CA, and two browser homes: one where `syncline trust` installed it, one untouched. */
const root = mkdtempSync(join(tmpdir(), 'syncline-orders-browser-'));
const trustedHome = join(root, 'trusted-home');
const untrustedHome = join(root, 'untrusted-home');
let configBefore: string | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  }
  configBefore = process.env.SYNCLINE_CONFIG_DIR;
  process.env.SYNCLINE_CONFIG_DIR = join(root, 'config');
  server = await createServer({
    dir: fileURLToPath(new URL('..', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
  // Amplify opens wss:// on the server's port. Trust the local CA as a developer does, with `syncline trust`:
  // it creates the browser home's ~/.pki/nssdb and adds the CA, which Chromium reads. No certificate flag.
  for (const dir of [trustedHome, untrustedHome, join(root, 'system')]) mkdirSync(dir);
  const results = trustCa(server.devCertificate!.path, {
    ...process.env,
    HOME: trustedHome,
    SYNCLINE_SYSTEM_CA_DIR: join(root, 'system'),
  });
  expect(results.filter((r) => r.error)).toEqual([]);
  browser = await launch(trustedHome);
  mkdirSync(RESULTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (configBefore === undefined) delete process.env.SYNCLINE_CONFIG_DIR;
  else process.env.SYNCLINE_CONFIG_DIR = configBefore;
  rmSync(root, { recursive: true, force: true });
});

/** Chromium with `home` as HOME: on Linux it reads trust anchors from `home`/.pki/nssdb. */
function launch(home: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, HOME: home },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

async function openBoard(name: string, on = browser): Promise<Page> {
  // A context each: two browser profiles, like two people at two screens.
  const context = await on.newContext({ viewport: { width: 1360, height: 720 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${name}: ${error.message}`));
  await page.goto(`${server.endpoints.http}/`);
  if (on === browser) await page.locator('#connection[data-state="Connected"]').waitFor(VISIBLE);
  return page;
}

async function gql(query: string): Promise<any> {
  const response = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

const card = (page: Page, status: string, text: string) =>
  page.locator(`[data-column="${status}"] .card`, { hasText: text });

it('places an order on one page, shows it live on another, and moves it through its statuses on both', async () => {
  // A few orders already on the board, in different states, so the screenshots show a working day.
  for (const [item, quantity, customer, status] of [
    ['Croissant', 2, 'Grace', 'PREPARING'],
    ['Espresso', 1, 'Linus', 'READY'],
    ['Chai latte', 1, 'Margaret', 'DELIVERED'],
  ] as const) {
    const created = await gql(
      `mutation { createOrder(item: "${item}", quantity: ${quantity}, customer: "${customer}") { id } }`,
    );
    await gql(`mutation { setOrderStatus(id: "${created.data.createOrder.id}", status: "${status}") { id } }`);
  }

  const [alice, bob] = await Promise.all([openBoard('alice'), openBoard('bob')]);
  await card(bob, 'READY', 'Espresso').waitFor(VISIBLE);

  await alice.fill('input[name=item]', 'Flat white');
  await alice.fill('input[name=quantity]', '2');
  await alice.fill('input[name=customer]', 'Ada');
  await alice.click('button[type=submit]');

  await card(bob, 'PENDING', 'Flat white').waitFor(VISIBLE);
  const latency = card(alice, 'PENDING', 'Flat white').locator('.latency');
  await latency.waitFor(VISIBLE);
  expect(await latency.textContent()).toMatch(/^\d+ ms$/);
  // Only the page that placed the order measured it.
  expect(await card(bob, 'PENDING', 'Flat white').locator('.latency').count()).toBe(0);
  expect(await card(bob, 'PENDING', 'Flat white').textContent()).toContain('Ada');

  await card(bob, 'PENDING', 'Flat white').getByRole('button', { name: 'Start preparing' }).click();
  await Promise.all([
    card(alice, 'PREPARING', 'Flat white').waitFor(VISIBLE),
    card(bob, 'PREPARING', 'Flat white').waitFor(VISIBLE),
  ]);
  expect(await card(alice, 'PENDING', 'Flat white').count()).toBe(0);

  await alice.screenshot({ path: `${RESULTS}board-alice.png`, fullPage: true });
  await bob.screenshot({ path: `${RESULTS}board-bob.png`, fullPage: true });
  expect(pageErrors).toEqual([]);
});

it('shows each field error for a bad order and places nothing', async () => {
  const page = await openBoard('carol');
  const cards = await page.locator('.card').count();

  await page.fill('input[name=item]', '');
  await page.fill('input[name=quantity]', '0');
  await page.fill('input[name=customer]', ' ');
  await page.click('button[type=submit]');

  expect(await page.locator('.field-error[data-for=item]').textContent()).toBe('Enter an item.');
  expect(await page.locator('.field-error[data-for=quantity]').textContent()).toBe('A whole number from 1 to 99.');
  expect(await page.locator('.field-error[data-for=customer]').textContent()).toBe('Enter a name.');
  expect(await page.locator('input[aria-invalid=true]').count()).toBe(3);
  await page.screenshot({ path: `${RESULTS}form-errors.png`, fullPage: true });

  // Fixing the fields clears their errors, and the order goes through.
  await page.fill('input[name=item]', 'Scone');
  await page.fill('input[name=quantity]', '3');
  await page.fill('input[name=customer]', 'Barbara');
  await page.click('button[type=submit]');
  await card(page, 'PENDING', 'Scone').waitFor(VISIBLE);
  expect(await page.locator('input[aria-invalid=true]').count()).toBe(0);
  expect(await page.locator('.card').count()).toBe(cards + 1);
  expect(pageErrors).toEqual([]);
});

it('an order whose TTL expires disappears from every board', async () => {
  const [erin, frank] = await Promise.all([openBoard('erin'), openBoard('frank')]);
  const res = await fetch(`${server.endpoints.http}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: 'Macaron', quantity: 6, customer: 'Hedy', ttlSeconds: 1 }),
  });
  expect(res.status).toBe(201);
  await Promise.all([
    card(erin, 'PENDING', 'Macaron').waitFor(VISIBLE),
    card(frank, 'PENDING', 'Macaron').waitFor(VISIBLE),
  ]);
  // DynamoDB deletes expired items in the background; Syncline's sweeper runs every few seconds, and the test
  // sweeps by hand once the item has expired instead of waiting for it.
  await new Promise((r) => setTimeout(r, 1100));
  await server.sweepTtl();
  const gone = { state: 'detached', timeout: 10_000 } as const;
  await Promise.all([card(erin, 'PENDING', 'Macaron').waitFor(gone), card(frank, 'PENDING', 'Macaron').waitFor(gone)]);
  expect(pageErrors).toEqual([]);
});

it('explains how to trust the dev certificate when the browser refuses it', async () => {
  const untrusting = await launch(untrustedHome);
  try {
    const page = await openBoard('dave', untrusting);
    const notice = page.locator('#notice');
    await notice.waitFor(VISIBLE);
    expect(await notice.textContent()).toContain('could not be opened');
    expect(await notice.locator('a').getAttribute('href')).toBe(`https://${new URL(server.endpoints.http).host}/`);
    // The page itself and its listing work over plain HTTP; only live updates wait for the certificate.
    await card(page, 'PENDING', 'Scone').waitFor(VISIBLE);
    await page.screenshot({ path: `${RESULTS}certificate-notice.png` });
  } finally {
    await untrusting.close();
  }
});
