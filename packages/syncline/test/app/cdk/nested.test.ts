// A hand-written cloud assembly shaped as `cdk synth` writes one for an app with a NestedStack and a stack that
// imports another stack's export: `App` (the API) nests `Resolvers` (a NodejsFunction and its resolver) and
// imports the table of `Shared`. Run as `syncline dev --stack App`, both stacks run, as `cdk deploy App` deploys
// the stacks App depends on.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigError } from '../../../src/app/errors.js';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';

const assembly = join(fixtureApp('cdk-nested'), 'cdk.out');
const EXPORT = 'Shared:ExportsOutputRefItemsTable5AB1C2D3E4F5A6B7';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({ dir: assembly, port: 0, data: ':memory:', log: 'silent', load: { stack: 'App' } });
});
afterAll(() => server?.close());

/** Loads a copy of the assembly with App's template rewritten; the error it fails with. */
async function withAppTemplate(edit: (text: string) => string, stack = 'App'): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-cdk-nested-'));
  try {
    cpSync(assembly, dir, { recursive: true });
    const file = join(dir, 'App.template.json');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return await loadApp(dir, { data: ':memory:', stack }).then(
      () => undefined,
      (e) => e,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a cloud assembly with a nested stack and a cross-stack import', { timeout: 60_000 }, () => {
  it('resolves Fn::ImportValue to the exporting stack’s real table, which runs in the same app', async () => {
    expect(server.app.format).toBe('cdk');
    expect(Object.values(server.app.tables).map((t) => t.name)).toEqual(['Shared-ItemsTable5AB1C2D3']);
    const put = await gql(server, 'mutation { putItem(id: "i1", name: "kettle") { id name } }');
    expect(put.body).toEqual({ data: { putItem: { id: 'i1', name: 'kettle' } } });
    const got = await gql(server, '{ item(id: "i1") { id name } }');
    expect(got.body).toEqual({ data: { item: { id: 'i1', name: 'kettle' } } });
  });

  it('runs the nested stack’s bundled function through the parent’s Outputs reference and its own resolver', async () => {
    const hello = await gql(server, '{ hello(name: "Ada") }');
    expect(hello.body).toEqual({ data: { hello: 'hello Ada from Shared-ItemsTable5AB1C2D3' } });
    const who = await gql(server, '{ who }');
    expect(who.body).toEqual({ data: { who: 'helloFnC4D5E6F7 in Shared-ItemsTable5AB1C2D3' } });
    expect(server.app.functions.helloFnC4D5E6F7.codeRoot).toMatch(/cdk\.out\/asset\.(a1){32}$/);
  });

  it('names the nested template in its notice, and loads a stack without dependencies alone', async () => {
    expect(
      server.app.notices?.some((n) =>
        /AppResolversNestedStack8F3E2C1A\.nested\.template\.json: .*AWS::IAM::Role/.test(n),
      ),
    ).toBe(true);
    const shared = await loadApp(assembly, { data: ':memory:', stack: 'Shared' });
    expect(Object.keys(shared.tables)).toEqual(['ItemsTable5AB1C2D3']);
    expect(shared.graphql).toBeUndefined();
  });

  it('refuses an import no loaded stack exports, naming the export and the stack that has it', async () => {
    const unknown = await withAppTemplate((t) => t.replaceAll(EXPORT, 'Shared:Nope'));
    expect(unknown).toBeInstanceOf(AppConfigError);
    expect(String((unknown as Error).message)).toMatch(
      /App\.template\.json:\d+: Resources\.ItemsApiitemsDataSourceC1D2E3F4\.Properties\.DynamoDBConfig\.TableName\["Fn::ImportValue"\]: Fn::ImportValue Shared:Nope: no stack loaded with this one exports it/,
    );
    const elsewhere = await withAppTemplate((t) => t.replaceAll(EXPORT, 'Extra:ExportsOutputRefTopic12345678ABCDEF01'));
    expect(String((elsewhere as Error).message)).toContain(
      'Fn::ImportValue Extra:ExportsOutputRefTopic12345678ABCDEF01: exported by stack Extra, which App does not depend on',
    );
  });

  it('still asks for --stack when the assembly has several, naming them', async () => {
    const error = await loadApp(assembly, { data: ':memory:' }).catch((e) => e);
    expect(error).toBeInstanceOf(AppConfigError);
    expect(error.message).toContain('Shared, App, Extra');
  });
});
