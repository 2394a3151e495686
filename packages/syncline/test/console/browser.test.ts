// The console in real Chromium (Debian's `chromium`, driven by playwright-core) against a real server running the
// reference app: the explorer runs a query and receives a live subscription, a table item is put, edited and
// deleted (and checked with the real DynamoDB client), a function is invoked, and a request's trace is drawn.
// Screenshots land in packages/console/test-results/.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { startConsoleApp } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APP = fileURLToPath(new URL('../../../../examples/realtime-orders/', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../../console/test-results/', import.meta.url));
const VISIBLE = { state: 'visible', timeout: 15_000 } as const;
/** A page load, GraphiQL and a few round trips on a busy two-core machine. */
const TEST_TIMEOUT = 90_000;

let server: SynclineServer;
let browser: Browser;
let dynamodb: DynamoDBClient;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`);
  }
  if (!existsSync(fileURLToPath(new URL('../../../console/dist/index.html', import.meta.url)))) {
    throw new Error('the console is not built: npm run build -w @syncline/console');
  }
  server = await createServer({ dir: APP, port: 0, data: ':memory:', log: 'silent' });
  dynamodb = new DynamoDBClient({
    endpoint: server.endpoints.dynamodb,
    region: server.app.region,
    credentials: { accessKeyId: 'console-test', secretAccessKey: 'console-test' },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  mkdirSync(RESULTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  dynamodb?.destroy();
  await browser?.close();
  await server?.close();
});

/** The console as the reference app serves it: its own front end is at `/`, so the console is at /_console/. */
async function openConsole(hash: string, url = `${server.endpoints.http}/_console/`): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${url}${hash}`);
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

// GraphiQL 4's editors are CodeMirror 5 instances; their text is read and written through the instance, since
// CodeMirror renders only the lines in view.
async function setQuery(page: Page, query: string) {
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor(VISIBLE);
  await page.evaluate((text) => {
    ((globalThis as any).document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue(text);
  }, query);
}

const responseText = (page: Page): Promise<string> =>
  page.evaluate(
    () =>
      ((globalThis as any).document.querySelector('.graphiql-response .CodeMirror') as any)?.CodeMirror.getValue() ??
      '',
  );

async function waitForResponse(page: Page, fragment: string) {
  await page.waitForFunction(
    (text) =>
      (
        ((globalThis as any).document.querySelector('.graphiql-response .CodeMirror') as any)?.CodeMirror.getValue() ??
        ''
      ).includes(text),
    fragment,
    { timeout: 15_000 },
  );
}

it(
  'the explorer runs a query and a live subscription shows each message with the time it arrived',
  async () => {
    const created = await gql('mutation { createOrder(item: "Espresso", quantity: 1, customer: "Linus") { id } }');
    const page = await openConsole('#/explorer');
    expect(await page.locator('select[name=auth-mode]').inputValue()).toBe('API_KEY');
    expect(await page.locator('select[name=api-key]').inputValue()).toBe(server.apiKey);

    await setQuery(page, `query { getOrder(id: "${created.data.createOrder.id}") { id item customer } }`);
    await page.click('.graphiql-execute-button');
    await waitForResponse(page, '"Linus"');
    expect(JSON.parse(await responseText(page))).toEqual({
      data: { getOrder: { id: created.data.createOrder.id, item: 'Espresso', customer: 'Linus' } },
    });

    await setQuery(page, 'subscription { onCreateOrder { id item quantity customer } }');
    await page.click('.graphiql-execute-button');
    await waitForResponse(page, 'start_ack');
    const before = Date.now();
    // As on AppSync, subscribers receive the fields the mutation selected.
    const mutation = await gql(
      'mutation { createOrder(item: "Cortado", quantity: 2, customer: "Grace") { id item quantity customer } }',
    );
    expect(mutation.errors).toBeUndefined();
    await waitForResponse(page, '"Grace"');

    const log = JSON.parse(await responseText(page));
    const [latest] = log.messages;
    expect(latest.type).toBe('data');
    expect(latest.payload.data.onCreateOrder).toEqual({
      id: mutation.data.createOrder.id,
      item: 'Cortado',
      quantity: 2,
      customer: 'Grace',
    });
    expect(latest.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(latest.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(log.messages.map((m: { type: string }) => m.type)).toEqual(['data', 'start_ack', 'connection_ack']);
    await page.screenshot({ path: `${RESULTS}explorer-subscription.png` });

    // The console's own realtime page lists the explorer's connection and its subscription.
    const other = await openConsole('#/realtime');
    await other.locator('[data-testid=realtime] td', { hasText: 'onCreateOrder' }).waitFor(VISIBLE);
    await other.screenshot({ path: `${RESULTS}realtime.png` });
    await other.context().close();

    // Stopping the subscription closes its socket.
    expect(server.realtime.connections().appsync).toBe(1);
    await page.click('.graphiql-execute-button');
    await expect.poll(() => server.realtime.connections().appsync).toBe(0);
    await page.context().close();
    expect(pageErrors).toEqual([]);
  },
  TEST_TIMEOUT,
);

it(
  'the tables page puts, edits, queries by index and deletes an item, and the table holds what the grid shows',
  async () => {
    const table = server.app.tables.Orders!.name;
    const page = await openConsole(`#/tables/${table}`);
    await page.locator('[data-testid=table-view] h2', { hasText: table }).waitFor(VISIBLE);

    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    await page.getByRole('button', { name: 'New item' }).click();
    await page.fill(
      'textarea[name=item-json]',
      JSON.stringify({
        id: 'console-1',
        item: 'Flat white',
        quantity: 2,
        customer: 'Ada',
        status: 'PENDING',
        createdAt: new Date().toISOString(),
        expiresAt,
      }),
    );
    await page.getByRole('button', { name: 'Put item' }).click();
    const row = page.locator('[data-testid=item-grid] tr[data-key="console-1"]');
    await row.waitFor(VISIBLE);
    expect(await row.textContent()).toContain('Flat white');
    // The TTL attribute counts down to the expiry.
    expect(await row.locator('[data-testid=ttl]').textContent()).toMatch(/^in (59m|1h 0m)/);
    let stored = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'console-1' } } }));
    expect(stored.Item).toMatchObject({
      item: { S: 'Flat white' },
      quantity: { N: '2' },
      expiresAt: { N: `${expiresAt}` },
    });

    await row.getByRole('button', { name: 'Edit' }).click();
    const edited = JSON.parse(await page.inputValue('textarea[name=item-json]'));
    expect(edited).toMatchObject({ id: 'console-1', item: 'Flat white', quantity: 2 });
    await page.fill('textarea[name=item-json]', JSON.stringify({ ...edited, quantity: 5, status: 'READY' }));
    await page.getByRole('button', { name: 'Put item' }).click();
    await row.locator('td', { hasText: 'READY' }).waitFor(VISIBLE);
    stored = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'console-1' } } }));
    expect(stored.Item).toMatchObject({ quantity: { N: '5' }, status: { S: 'READY' } });
    await page.screenshot({ path: `${RESULTS}tables.png` });

    // Query the status index: only the READY order, not the PENDING ones the scan showed.
    // A whole order: the app's stream function publishes every insert, and an order it cannot publish would stay at
    // the head of the shard (retried in order, as Lambda does), holding back the orders of the tests after this one.
    const pending = {
      id: { S: 'console-2' },
      item: { S: 'Tea' },
      quantity: { N: '1' },
      customer: { S: 'Grace' },
      status: { S: 'PENDING' },
      createdAt: { S: new Date().toISOString() },
    };
    await dynamodb.send(new PutItemCommand({ TableName: table, Item: pending }));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('[data-testid=item-grid] tr[data-key="console-2"]').waitFor(VISIBLE);
    await page.selectOption('select[name=index]', 'byStatus');
    await page.fill('input[name=partition]', 'READY');
    await page.getByRole('button', { name: 'Query' }).click();
    await page.locator('.pager', { hasText: '(query)' }).waitFor(VISIBLE);
    expect(await page.locator('[data-testid=item-grid] tbody tr').count()).toBe(1);
    await row.waitFor(VISIBLE);
    await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'console-2' } } }));

    await row.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    stored = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'console-1' } } }));
    expect(stored.Item).toBeUndefined();
    await page.context().close();
    expect(pageErrors).toEqual([]);
  },
  TEST_TIMEOUT,
);

it(
  'the functions page invokes a function with a test event and shows its result and log lines',
  async () => {
    const page = await openConsole('#/functions/createOrder');
    await page.locator('[data-testid=function-view] h2', { hasText: 'createOrder' }).waitFor(VISIBLE);
    expect(await page.locator('.triggers').textContent()).toContain('POST /orders');

    await page.fill(
      'textarea[name=event]',
      JSON.stringify({ body: JSON.stringify({ item: 'Scone', quantity: 3, customer: 'Barbara' }) }),
    );
    await page.getByRole('button', { name: 'Invoke' }).click();
    const result = page.locator('[data-testid=invoke-result]');
    await result.waitFor(VISIBLE);
    expect(await result.locator('.tag').first().textContent()).toBe('Succeeded');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('"statusCode": 201');
    const logs = (await result.locator('[data-testid=logs]').textContent()) ?? '';
    const requestId = (await result.locator('.row .mono').first().textContent())!;
    for (const line of [
      `START RequestId: ${requestId}`,
      `END RequestId: ${requestId}`,
      `REPORT RequestId: ${requestId}`,
    ]) {
      expect(logs).toContain(line);
    }
    // The invocation joins the list below, with its request id.
    await page.locator('[data-testid=invocations] td', { hasText: requestId }).waitFor(VISIBLE);
    const id = JSON.parse(JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)).body).id;
    await dynamodb.send(new DeleteItemCommand({ TableName: server.app.tables.Orders!.name, Key: { id: { S: id } } }));
    await page.screenshot({ path: `${RESULTS}functions.png` });
    await page.context().close();
    expect(pageErrors).toEqual([]);
  },
  TEST_TIMEOUT,
);

it(
  'a traced request is drawn as a waterfall from the HTTP route to the subscribers it reached',
  async () => {
    // A subscriber, so the path ends in a delivery.
    const explorer = await openConsole('#/explorer');
    await setQuery(explorer, 'subscription { onOrder { id item status } }');
    await explorer.click('.graphiql-execute-button');
    await waitForResponse(explorer, 'start_ack');

    const response = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'Macaron', quantity: 6, customer: 'Hedy' }),
    });
    expect(response.status).toBe(201);
    await waitForResponse(explorer, '"Macaron"');

    const page = await openConsole('#/traces');
    await page.locator('[data-testid=trace-list] a', { hasText: 'POST /orders' }).first().click();
    const waterfall = page.locator('[data-testid=waterfall]');
    await waterfall.waitFor(VISIBLE);
    // The whole path, as the seed architecture runs it: every kind of hop appears once the deliveries are in.
    for (const kind of ['http-route', 'function', 'table-write', 'stream-batch', 'mutation', 'delivery']) {
      await waterfall.locator(`tr[data-kind="${kind}"]`).first().waitFor(VISIBLE);
    }
    expect(await waterfall.locator('tr[data-kind="function"]').count()).toBeGreaterThanOrEqual(2);
    // Sized for the README (docs/images/console-trace.png is this screenshot).
    await page.setViewportSize({ width: 1280, height: 400 });
    await page.screenshot({ path: `${RESULTS}trace-waterfall.png` });

    // The stream page shows the order's record and its delivery to publishOrder.
    const streams = await openConsole(`#/streams/${server.app.tables.Orders!.name}`);
    const record = streams.locator('[data-testid=stream-records] .card', { hasText: 'Macaron' });
    await record.waitFor(VISIBLE);
    expect(await record.locator('.tag').first().textContent()).toBe('INSERT');
    await record.locator('tr', { hasText: 'publishOrder' }).locator('td.ok').waitFor(VISIBLE);
    await streams.screenshot({ path: `${RESULTS}streams.png` });
    await streams.context().close();
    await explorer.context().close();
    await page.context().close();
    expect(pageErrors).toEqual([]);
  },
  TEST_TIMEOUT,
);

it(
  'at / for an app without a web front end, the explorer acts as a chosen user and subscribes with IAM',
  async () => {
    const app = await startConsoleApp();
    try {
      const page = await openConsole('#/explorer', `${app.endpoints.http}/`);
      // The user pool is the app's default mode; the console's local issuer mints the token for the chosen user.
      expect(await page.locator('select[name=auth-mode]').inputValue()).toBe('AMAZON_COGNITO_USER_POOLS');
      await page.fill('input[name=user]', 'ada');
      await page.fill('input[name=groups]', 'admins, cooks');
      await setQuery(page, 'query { whoami { mode identity } }');
      await page.click('.graphiql-execute-button');
      await waitForResponse(page, '"mode"');
      const whoami = JSON.parse(await responseText(page)).data.whoami;
      expect(whoami.mode).toBe('User Pool Authorization');
      expect(JSON.parse(whoami.identity)).toMatchObject({ sub: 'ada', username: 'ada', groups: ['admins', 'cooks'] });

      // IAM: the console signs the handshake (POST /graphql/connect) and the start (POST /graphql with its data).
      await page.selectOption('select[name=auth-mode]', 'AWS_IAM');
      await setQuery(page, 'subscription { onMessage(room: "kitchen") { room text } }');
      await page.click('.graphiql-execute-button');
      await waitForResponse(page, 'start_ack');
      const send = (room: string, text: string) =>
        fetch(app.endpoints.graphql, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': app.apiKey! },
          body: JSON.stringify({ query: `mutation { send(room: "${room}", text: "${text}") { room text } }` }),
        }).then((r) => r.json() as Promise<any>);
      expect((await send('hall', 'not for the kitchen')).errors).toBeUndefined();
      expect((await send('kitchen', 'order up')).errors).toBeUndefined();
      await waitForResponse(page, '"order up"');
      const log = JSON.parse(await responseText(page));
      expect(log.messages.filter((m: { type: string }) => m.type === 'data').map((m: any) => m.payload.data)).toEqual([
        { onMessage: { room: 'kitchen', text: 'order up' } },
      ]);
      await page.screenshot({ path: `${RESULTS}explorer-iam-at-root.png` });
      await page.context().close();
    } finally {
      await app.close();
    }
    expect(pageErrors).toEqual([]);
  },
  TEST_TIMEOUT,
);
