import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the basic fixture with some files replaced. */
function app(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-app-'));
  dirs.push(dir);
  cpSync(fixtureApp('basic'), dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const start = (dir: string) => createServer({ dir, port: 0, data: ':memory:', log: 'silent' });

const minimal = (graphql: string, extra = '') => `
import { defineApp } from 'syncline';
export default defineApp({
  name: 'x',
  ${extra}
  graphql: { schema: 'schema.graphql', authentication: { type: 'API_KEY' }, ${graphql} },
});`;

describe('the app definition', () => {
  it('names the file and the key of an unknown key', async () => {
    const dir = app({ 'syncline.config.ts': minimal('dataSorces: {}') });
    await expect(start(dir)).rejects.toThrow(/syncline\.config\.ts: graphql\.dataSorces: unknown key/);
  });

  it('names the key of a wrong value', async () => {
    const dir = app({ 'syncline.config.ts': minimal("dataSources: { d: { type: 'MYSQL' } }") });
    await expect(start(dir)).rejects.toThrow(/graphql\.dataSources\.d\.type/);
  });

  it('refuses a resolver on an unknown data source', async () => {
    const dir = app({
      'syncline.config.ts': minimal("resolvers: { 'Query.hello': { dataSource: 'nope', code: 'resolvers/hello.js' } }"),
    });
    await expect(start(dir)).rejects.toThrow(
      /graphql\.resolvers\["Query\.hello"\]\.dataSource: unknown data source "nope"/,
    );
  });

  it('refuses an AWS_LAMBDA data source without a function of the app', async () => {
    const missing = app({ 'syncline.config.ts': minimal("dataSources: { l: { type: 'AWS_LAMBDA' } }") });
    await expect(start(missing)).rejects.toThrow(/graphql\.dataSources\.l\.config\.functionName: is required/);
    const unknown = app({
      'syncline.config.ts': minimal("dataSources: { l: { type: 'AWS_LAMBDA', config: { functionName: 'nope' } } }"),
    });
    await expect(start(unknown)).rejects.toThrow(/graphql\.dataSources\.l\.config\.functionName: no function "nope"/);
  });

  it('reads a JSON app definition', async () => {
    const dir = app({});
    rmSync(join(dir, 'syncline.config.ts'));
    writeFileSync(
      join(dir, 'syncline.config.json'),
      JSON.stringify({ name: 'json', graphql: { schema: 'schema.graphql', authentication: { type: 'API_KEY' } } }),
    );
    const server = await start(dir);
    expect(server.app.name).toBe('json');
    expect(server.apiKey).toMatch(/^da2-[0-9a-f]{26}$/);
    await server.close();
  });
});

describe('the schema', () => {
  it('requires a Query type with AppSync wording', async () => {
    const dir = app({ 'syncline.config.ts': minimal(''), 'schema.graphql': 'type Mutation { a: String }' });
    await expect(start(dir)).rejects.toThrow('There is no top level schema object defined.');
    const explicit = app({
      'syncline.config.ts': minimal(''),
      'schema.graphql': 'schema { mutation: Mutation }\ntype Mutation { a: String }',
    });
    await expect(start(explicit)).rejects.toThrow("A schema MUST have a 'query' operation defined.");
  });

  it('refuses type names starting with AWS and custom scalars', async () => {
    const dir = app({
      'syncline.config.ts': minimal(''),
      'schema.graphql': 'type Query { a: AWSThing }\ntype AWSThing { b: Int }',
    });
    await expect(start(dir)).rejects.toThrow(/AWSThing.*AWS/);
    const scalar = app({
      'syncline.config.ts': minimal(''),
      'schema.graphql': 'scalar Money\ntype Query { a: Money }',
    });
    await expect(start(scalar)).rejects.toThrow(/Custom scalars/);
  });

  it('refuses @aws_subscribe naming a mutation that does not exist', async () => {
    const dir = app({
      'syncline.config.ts': minimal(''),
      'schema.graphql':
        'type Query { a: String }\ntype Mutation { m: String }\ntype Subscription { s: String @aws_subscribe(mutations: ["nope"]) }',
    });
    await expect(start(dir)).rejects.toThrow(/lists mutation "nope"/);
  });
});

describe('resolver code', () => {
  it('refuses what APPSYNC_JS refuses, with file:line:column', async () => {
    const dir = app({
      'resolvers/hello.js':
        'export function request(ctx) {\n  let i = 0;\n  while (i < 3) { i = i + 1; }\n  return { payload: i };\n}\nexport function response(ctx) { return ctx.result; }\n',
    });
    await expect(start(dir)).rejects.toThrow(/hello\.js:3:3: .*while/);
  });

  it('reports a syntax error in resolver code with its position', async () => {
    const dir = app({ 'resolvers/hello.js': 'export function request(ctx) {\n  return { payload: \n}\n' });
    await expect(start(dir)).rejects.toThrow(/hello\.js:\d+:\d+/);
  });
});
