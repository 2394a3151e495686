// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's reference syntax.
// `syncline export cloudformation`: the reference app as a template that passes CloudFormation's resource
// specification, and that Syncline itself runs again with the same behaviour (the round trip).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCloudFormation } from '../../../src/app/export/cloudformation.js';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { validateTemplate } from '../../helpers/cfnSpec.js';
import { gql } from '../../helpers/server.js';
import { subscribe } from '../../helpers/subscribe.js';

const example = fileURLToPath(new URL('../../../../../examples/realtime-orders', import.meta.url));
// The built CLI, as users run it (`npm test` builds first).
const cli = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

let dir: string;
let template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
let notes: string[];
beforeAll(async () => {
  // Inside the repository: Lambda's runtime provides the AWS SDK the bundles leave external; here the repository's
  // node_modules do, found upwards from the code folders.
  const root = fileURLToPath(new URL('../../../../../.syncline', import.meta.url));
  mkdirSync(root, { recursive: true });
  dir = mkdtempSync(join(root, 'export-'));
  const app = await loadApp(example, { data: ':memory:' });
  const result = await exportCloudFormation(app, { templateDir: dir, codeDir: join(dir, 'code') });
  template = result.template as typeof template;
  notes = result.notes;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'template.json'), JSON.stringify(template, null, 2));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('syncline export cloudformation', () => {
  it('writes resources that all pass the CloudFormation resource specification', () => {
    expect(validateTemplate(template)).toEqual([]);
    const types = Object.values(template.Resources).map((r) => r.Type);
    for (const t of [
      'AWS::AppSync::GraphQLApi',
      'AWS::AppSync::GraphQLSchema',
      'AWS::AppSync::Resolver',
      'AWS::DynamoDB::Table',
      'AWS::Lambda::Function',
      'AWS::Lambda::EventSourceMapping',
      'AWS::ApiGatewayV2::Route',
      'AWS::Events::Rule',
      'AWS::IAM::Role',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('the validator itself refuses what CloudFormation would', () => {
    const broken = structuredClone(template);
    const table = Object.values(broken.Resources).find((r) => r.Type === 'AWS::DynamoDB::Table');
    (table as { Properties: Record<string, unknown> }).Properties.TableTTL = 5;
    delete (table as { Properties: Record<string, unknown> }).Properties.KeySchema;
    expect(validateTemplate(broken)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('TableTTL: not a property'),
        expect.stringContaining('KeySchema: required'),
      ]),
    );
  });

  it('scopes each role to what the app says the code uses', () => {
    const roles = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
    const policy = (id: string) => JSON.stringify(template.Resources[id].Properties.Policies ?? []);
    // createOrder gets the table its environment names and nothing of the API; publishOrder the API and the stream.
    expect(policy('createOrderRole')).toContain('dynamodb:PutItem');
    expect(policy('createOrderRole')).not.toContain('appsync:GraphQL');
    expect(policy('publishOrderRole')).toContain('appsync:GraphQL');
    expect(policy('publishOrderRole')).toContain('dynamodb:GetRecords');
    expect(policy('publishOrderRole')).not.toContain('dynamodb:PutItem');
    expect(roles.every(([, r]) => !JSON.stringify(r).includes('"*"'))).toBe(true);
    expect(notes.join('\n')).toContain('web');
  });

  it('loads back into the same app (tables, resolvers, functions, triggers, references)', async () => {
    const original = await loadApp(example, { data: ':memory:' });
    const back = await loadApp(join(dir, 'template.json'), { data: ':memory:' });
    expect(back.format).toBe('cloudformation');
    const { name: _a, ...table } = back.tables.OrdersTable;
    const { name: _b, ...originalTable } = original.tables.Orders;
    expect(table).toEqual(originalTable);
    const fields = (a: typeof original) => a.graphql?.resolvers.map((r) => `${r.typeName}.${r.fieldName}`).sort();
    expect(fields(back)).toEqual(fields(original));
    for (const name of Object.keys(original.functions)) {
      const a = original.functions[name];
      const b = back.functions[`${name}Function`];
      expect([b.timeout, b.memorySize]).toEqual([a.timeout, a.memorySize]);
      expect(b.events.map((e) => (e.type === 'stream' ? { ...e, table: 'Orders' } : e))).toEqual(a.events);
    }
    expect(back.functions.createOrderFunction.environment.TABLE).toBe(back.tables.OrdersTable.name);
    expect(back.functions.publishOrderFunction.environment.GRAPHQL_URL).toBe('${graphql.url}');
  });

  it('is a CLI command that prints the template and exits non-zero on a broken app', async () => {
    const run = promisify(execFile);
    const out = await run(process.execPath, [cli, 'export', 'cloudformation', example, '--code-dir', 'cli-code'], {
      cwd: dir,
    });
    expect(JSON.parse(out.stdout).AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(out.stderr).toContain('aws cloudformation package');
    expect(readFileSync(join(dir, 'cli-code', 'createOrder', 'index.mjs'), 'utf8').length).toBeGreaterThan(0);
    const broken = await run(process.execPath, [cli, 'export', 'cloudformation', join(dir, 'nope')], {
      cwd: dir,
    }).catch((e) => e);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('no such file or folder');
  }, 60_000);
});

describe('the exported template running on Syncline', { timeout: 60_000 }, () => {
  let server: SynclineServer;
  beforeAll(async () => {
    server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(() => server?.close());

  it('carries an order from the route through the bundled stream function to a subscriber', async () => {
    const subscriber = await subscribe(server, 'subscription { onOrder { id item status } }');
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: 'tea', quantity: 1, customer: 'bo' }),
    });
    const order = (await res.json()) as { id: string };
    expect(res.status, JSON.stringify(order)).toBeLessThan(300);
    await subscriber.waitFor(order.id);
    expect(subscriber.received).toContainEqual({ data: { onOrder: { id: order.id, item: 'tea', status: 'PENDING' } } });
    const got = await gql(server, 'query ($id: ID!) { getOrder(id: $id) { item } }', { id: order.id });
    expect(got.body.data.getOrder).toEqual({ item: 'tea' });
    await subscriber.close();
    expect(readFileSync(join(dir, 'code', 'createOrder', 'index.mjs'), 'utf8')).not.toContain(
      '@aws-sdk/client-dynamodb/dist',
    );
  });
});
