// The reference app as a CDK app: its cdk.out (synthesized with the real aws-cdk-lib from cdk/app.mjs) runs as it
// is — NodejsFunction bundles, resolver assets, API Gateway v2 routes, a DynamoEventSource and an Events schedule —
// and is spoken to with real clients.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigError } from '../../../src/app/errors.js';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { gql } from '../../helpers/server.js';
import { subscribe } from '../../helpers/subscribe.js';

const example = fileURLToPath(new URL('../../../../../examples/realtime-orders', import.meta.url));
const assembly = join(example, 'cdk', 'cdk.out');

describe('examples/realtime-orders as a CDK cloud assembly', () => {
  it('is found from the CDK app folder and from cdk.out, and describes the same app as syncline.config.ts', async () => {
    const config = await loadApp(example, { data: ':memory:' });
    const cdk = await loadApp(join(example, 'cdk'), { data: ':memory:' });
    const direct = await loadApp(assembly, { data: ':memory:' });
    expect(cdk.format).toBe('cdk');
    expect(direct.tables).toEqual(cdk.tables);
    expect(cdk.name).toBe(config.name);
    const [tableId] = Object.keys(cdk.tables);
    // A table without TableName is named after the stack, as CloudFormation names it.
    expect(cdk.tables[tableId].name).toBe(`RealtimeOrders-${tableId}`);
    const { name: _a, ...cdkTable } = cdk.tables[tableId];
    const { name: _b, ...configTable } = config.tables.Orders;
    expect(cdkTable).toEqual(configTable);
    // Functions are CDK's logical ids; match them by their construct name.
    for (const name of Object.keys(config.functions)) {
      const id = Object.keys(cdk.functions).find((f) => f.startsWith(name));
      expect(id, name).toBeDefined();
      const a = config.functions[name];
      const b = cdk.functions[id as string];
      expect(b.codeRoot).toMatch(/cdk\.out\/asset\.[0-9a-f]{64}$/);
      expect([b.timeout, b.memorySize]).toEqual([a.timeout, a.memorySize]);
      expect(b.events.map((e) => (e.type === 'stream' ? { ...e, table: 'Orders' } : e))).toEqual(a.events);
    }
    const strip = (g: typeof config.graphql) => ({
      schema: g?.schemaFiles.map((f) => readFileSync(f, 'utf8')),
      resolvers: g?.resolvers.map((r) => `${r.typeName}.${r.fieldName}`).sort(),
      auth: [g?.authentication, g?.additionalAuthentications],
      dataSources: Object.values(g?.dataSources ?? {})
        .map((v) => v.type)
        .sort(),
    });
    expect(strip(cdk.graphql)).toEqual(strip(config.graphql));
  });

  it('names what only AWS runs in one notice, without the CDK metadata resource', async () => {
    const cdk = await loadApp(assembly, { data: ':memory:' });
    expect(cdk.notices).toHaveLength(1);
    expect(cdk.notices?.[0]).toContain('AWS::IAM::Role');
    expect(cdk.notices?.[0]).toContain('AWS::Lambda::Permission');
    expect(cdk.notices?.[0]).not.toContain('CDK::Metadata');
    expect(cdk.notices?.[0]).not.toContain('AWS::ApiGatewayV2::Route');
  });

  it('refuses an assembly with several stacks unless --stack picks one, and names them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-cdk-'));
    try {
      cpSync(assembly, dir, { recursive: true });
      const manifestFile = join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      manifest.artifacts.Other = { ...manifest.artifacts.RealtimeOrders, displayName: 'Other' };
      writeFileSync(manifestFile, JSON.stringify(manifest));
      const error = await loadApp(dir, { data: ':memory:' }).catch((e) => e);
      expect(error).toBeInstanceOf(AppConfigError);
      expect(String(error.message)).toContain('RealtimeOrders, Other');
      expect(String(error.message)).toContain('--stack');
      const picked = await loadApp(dir, { data: ':memory:', stack: 'RealtimeOrders' });
      expect(picked.format).toBe('cdk');
      const missing = await loadApp(dir, { data: ':memory:', stack: 'Nope' }).catch((e) => e);
      expect(String(missing.message)).toContain('no stack Nope');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the CDK app running', { timeout: 60_000 }, () => {
  let server: SynclineServer;
  beforeAll(async () => {
    server = await createServer({ dir: join(example, 'cdk'), port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(() => server.close());

  it('carries an order from the API Gateway route through the stream function to a subscriber', async () => {
    const subscriber = await subscribe(server, 'subscription { onOrder { id item status } }');
    // createOrder is CDK's esbuild output: CommonJS in a folder without package.json, as Lambda runs it.
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'tea', quantity: 2, customer: 'ann' }),
    });
    const order = (await res.json()) as { id: string; status: string };
    expect(res.status, JSON.stringify(order)).toBeLessThan(300);
    expect(order.status).toBe('PENDING');
    // publishOrder (a DynamoEventSource) signs the publish mutation with its credentials, GRAPHQL_URL from GetAtt.
    await subscriber.waitFor(order.id);
    expect(subscriber.received).toContainEqual({ data: { onOrder: { id: order.id, item: 'tea', status: 'PENDING' } } });
    const got = await gql(server, 'query ($id: ID!) { getOrder(id: $id) { id item } }', { id: order.id });
    expect(got.body.data.getOrder).toEqual({ id: order.id, item: 'tea' });
    await subscriber.close();
  });
});
