// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and the Framework's reference syntax.
// `syncline export serverless`: the reference app as a serverless.yml that Syncline runs again with the same
// behaviour (the round trip), written in the Framework's own shapes.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parse } from 'yaml';
import { exportServerless } from '../../../src/app/export/serverless.js';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { gql } from '../../helpers/server.js';

const example = fileURLToPath(new URL('../../../../../examples/realtime-orders', import.meta.url));
// The built CLI, as users run it (`npm test` builds first).
const cli = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

let dir: string;
let text: string;
let notes: string[];
beforeAll(async () => {
  // Inside the repository: Lambda's runtime provides the AWS SDK the function bundles leave external; here the
  // repository's node_modules do, found upwards from the code folders.
  const root = fileURLToPath(new URL('../../../../../.syncline', import.meta.url));
  mkdirSync(root, { recursive: true });
  dir = mkdtempSync(join(root, 'export-sls-'));
  const app = await loadApp(example, { data: ':memory:' });
  const result = await exportServerless(app, { outputDir: dir, codeDir: join(dir, 'code') });
  text = result.yaml;
  notes = result.notes;
  writeFileSync(join(dir, 'serverless.yml'), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syncline export serverless', () => {
  it("writes the Framework's shapes: intrinsics as tags, appsync variables, explicit timeouts", () => {
    const doc = parse(text, {
      customTags: ['!Ref', '!GetAtt'].map((tag) => ({ tag, resolve: (v: string) => `${tag} ${v}` })),
    });
    expect(doc.frameworkVersion).toBe('4');
    expect(doc.plugins).toEqual(['serverless-appsync-plugin']);
    expect(doc.functions.createOrder.environment.TABLE).toBe('!Ref OrdersTable');
    expect(doc.functions.publishOrder.environment.GRAPHQL_URL).toBe('${appsync:url}');
    expect(doc.functions.publishOrder.events[0].stream.arn).toBe('!GetAtt OrdersTable.StreamArn');
    // The Framework's defaults are 6 s / 1024 MB: the app's Lambda defaults must be written out.
    expect([doc.functions.markStale.timeout, doc.functions.markStale.memorySize]).toEqual([3, 128]);
    expect(doc.functions.createOrder.events).toEqual([{ httpApi: { method: 'POST', path: '/orders' } }]);
    expect(doc.appSync.resolvers['Query.getOrder']).toMatchObject({ kind: 'UNIT', dataSource: 'orders' });
    expect(doc.appSync.resolvers['Query.getOrder'].code).toMatch(/examples\/realtime-orders\/resolvers\/getOrder\.js$/);
    expect(doc.resources.Resources.OrdersTable.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(notes.join('\n')).toContain('web');
  });

  it('loads back into the same app (tables, resolvers, functions, triggers, references)', async () => {
    const original = await loadApp(example, { data: ':memory:' });
    const back = await loadApp(join(dir, 'serverless.yml'), { data: ':memory:' });
    expect(back.format).toBe('serverless');
    const { name, ...table } = back.tables.OrdersTable;
    const { name: _b, ...originalTable } = original.tables.Orders;
    expect(table).toEqual(originalTable);
    expect(name).toBe('realtime-orders-dev-Orders');
    const resolvers = (a: typeof original) =>
      a.graphql?.resolvers.sort((x, y) => `${x.typeName}.${x.fieldName}`.localeCompare(`${y.typeName}.${y.fieldName}`));
    expect(resolvers(back)).toEqual(resolvers(original));
    expect(back.graphql?.schemaFiles).toEqual(original.graphql?.schemaFiles);
    expect(Object.keys(back.graphql?.dataSources ?? {})).toEqual(Object.keys(original.graphql?.dataSources ?? {}));
    expect(back.graphql?.authentication).toEqual(original.graphql?.authentication);
    expect(back.graphql?.additionalAuthentications).toEqual(original.graphql?.additionalAuthentications);
    expect(Object.keys(back.functions)).toEqual(Object.keys(original.functions));
    for (const [fname, a] of Object.entries(original.functions)) {
      const b = back.functions[fname];
      expect([b.timeout, b.memorySize, b.handler.export]).toEqual([a.timeout, a.memorySize, a.handler.export]);
      expect(b.async).toEqual(a.async);
      expect(b.events.map((e) => (e.type === 'stream' ? { ...e, table: 'Orders' } : e))).toEqual(a.events);
    }
    expect(back.functions.createOrder.environment.TABLE).toBe(back.tables.OrdersTable.name);
    expect(back.functions.publishOrder.environment.GRAPHQL_URL).toBe('${graphql.url}');
    expect(back.web?.dir).toBe(original.web?.dir);
  });

  it("keeps the app's own handler files when written in the app folder", async () => {
    const app = await loadApp(example, { data: ':memory:' });
    const { yaml } = await exportServerless(app, { outputDir: example, codeDir: join(dir, 'unused') });
    const doc = parse(yaml, { customTags: ['!Ref', '!GetAtt'].map((tag) => ({ tag, resolve: (v: string) => v })) });
    expect(doc.functions.createOrder.handler).toBe('functions/createOrder.handler');
    expect(doc.appSync.schema).toBe('schema.graphql');
    expect(doc.appSync.resolvers['Mutation.publishOrder'].code).toBe('resolvers/publishOrder.js');
    expect(doc.custom.syncline.web).toEqual({ dir: 'web/dist', build: 'node web/build.mjs' });
  });

  it('written in the app folder, loads back with the handlers run from their own files', async () => {
    const copy = join(dir, 'app');
    cpSync(example, copy, { recursive: true, filter: (src) => !/[\\/](cdk|test|node_modules|dist)$/.test(src) });
    rmSync(join(copy, 'serverless.yml'));
    const original = await loadApp(copy, { data: ':memory:' });
    const { yaml } = await exportServerless(original, { outputDir: copy, codeDir: join(copy, 'syncline-export') });
    rmSync(join(copy, 'syncline.config.ts'));
    writeFileSync(join(copy, 'serverless.yml'), yaml);
    const back = await loadApp(copy, { data: ':memory:' });
    expect(back.format).toBe('serverless');
    expect(back.functions.createOrder.handler).toEqual(original.functions.createOrder.handler);
    expect(back.functions.createOrder.handler.file).toBe(join(copy, 'functions', 'createOrder.ts'));
    expect(back.graphql?.resolvers).toEqual(original.graphql?.resolvers);
    expect(back.web).toEqual(original.web);
    expect(existsSync(join(copy, 'syncline-export'))).toBe(false);
  });

  it('is a CLI command that prints the YAML and exits non-zero on a broken app', async () => {
    const run = promisify(execFile);
    const out = await run(process.execPath, [cli, 'export', 'serverless', example], { cwd: dir });
    expect(out.stdout).toContain('frameworkVersion: "4"');
    expect(out.stdout).toContain('TABLE: !Ref OrdersTable');
    expect(out.stderr).toContain('serverless deploy');
    const written = join(dir, 'cli', 'serverless.yml');
    await run(process.execPath, [cli, 'export', 'serverless', example, '-o', written], { cwd: dir });
    expect(readFileSync(written, 'utf8')).toContain('appSync:');
    const broken = await run(process.execPath, [cli, 'export', 'serverless', join(dir, 'nope')], {
      cwd: dir,
    }).catch((e) => e);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('no such file or folder');
  }, 60_000);
});

describe('the exported serverless.yml running on Syncline', { timeout: 60_000 }, () => {
  let server: SynclineServer;
  beforeAll(async () => {
    server = await createServer({ dir: join(dir, 'serverless.yml'), port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(() => server?.close());

  it('carries an order from the route through the stream function to a subscriber', async () => {
    const client = createClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': server.apiKey! },
      retryAttempts: 0,
    });
    const received: unknown[] = [];
    const before = server.realtime.hub.stats.active;
    const stop = client.subscribe(
      { query: 'subscription { onOrder { id item status } }' },
      { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
    );
    const deadline = Date.now() + 30_000;
    while (server.realtime.hub.stats.active !== before + 1 && Date.now() < deadline)
      await new Promise((ok) => setTimeout(ok, 20));
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'tea', quantity: 1, customer: 'bo' }),
    });
    const order = (await res.json()) as { id: string };
    expect(res.status, JSON.stringify(order)).toBeLessThan(300);
    while (!received.some((r) => JSON.stringify(r).includes(order.id)) && Date.now() < deadline)
      await new Promise((ok) => setTimeout(ok, 20));
    expect(received).toContainEqual({ data: { onOrder: { id: order.id, item: 'tea', status: 'PENDING' } } });
    const got = await gql(server, 'query ($id: ID!) { getOrder(id: $id) { item } }', { id: order.id });
    expect(got.body.data.getOrder).toEqual({ item: 'tea' });
    stop();
    await client.dispose();
  });
});
