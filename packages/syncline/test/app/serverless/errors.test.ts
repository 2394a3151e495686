// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is the Framework's variable syntax.
// What a serverless.yml asks for that Syncline does not run is refused with the file, the line and the key.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../../src/app/index.js';
import { fixtureApp } from '../../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The serverless-orders fixture with its serverless.yml edited. */
function variant(edit: (yml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-sls-'));
  dirs.push(dir);
  cpSync(fixtureApp('serverless-orders'), dir, { recursive: true });
  const file = join(dir, 'serverless.yml');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return dir;
}

const load = (dir: string, extra: Partial<Parameters<typeof loadApp>[1]> = {}) =>
  loadApp(dir, { data: ':memory:', env: {}, ...extra });

/** The 1-based line of the first occurrence of `text` in the app's serverless.yml. */
function lineOf(dir: string, text: string): number {
  const lines = readFileSync(join(dir, 'serverless.yml'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  expect(i).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('serverless.yml errors', () => {
  it('refuses the v1 plugin block custom.appSync, naming the v2 key', async () => {
    const dir = variant((y) =>
      y
        .replace('appSync:\n  name: orders-api', 'custom2: {}\ncustomAppSync:\n  name: orders-api')
        .replace(/^custom:\n/m, 'custom:\n  appSync:\n    name: old\n'),
    );
    const error = load(dir);
    await expect(error).rejects.toThrow(
      new RegExp(`serverless\\.yml:${lineOf(dir, '  appSync:')}: custom\\.appSync: .*top-level \`appSync:\``),
    );
  });

  it('loads VTL request/response templates, and names a missing template file with its line', async () => {
    const vtl = (y: string) =>
      y.replace(
        '      code: resolvers/getOrder.js\n    createOrder:',
        '      request: getOrder.request.vtl\n      response: getOrder.response.vtl\n    createOrder:',
      );
    const dir = variant(vtl);
    writeFileSync(join(dir, 'getOrder.request.vtl'), '{"version": "2018-05-29", "payload": $util.toJson($ctx.args)}');
    writeFileSync(join(dir, 'getOrder.response.vtl'), '$util.toJson($ctx.result)');
    const app = await load(dir);
    const resolver = app.graphql?.resolvers.find((r) => r.fieldName === 'getOrder');
    expect(resolver?.code).toBeUndefined();
    expect(resolver?.templates).toMatchObject({
      request: '{"version": "2018-05-29", "payload": $util.toJson($ctx.args)}',
      response: '$util.toJson($ctx.result)',
    });

    const missing = variant(vtl);
    await expect(load(missing)).rejects.toThrow(
      new RegExp(
        `serverless\\.yml:${lineOf(missing, 'request: getOrder')}: appSync\\.resolvers\\["Query\\.getOrder"\\]\\.request: file not found`,
      ),
    );
  });

  it('loads VTL pipeline functions, inline in a pipeline or named, next to APPSYNC_JS ones', async () => {
    const dir = variant((y) =>
      y
        .replace(
          '        type: NONE\n      code: resolvers/summarize.js',
          '        type: NONE\n      request: fn.request.vtl\n      response: false',
        )
        .replace(
          '        - dataSource: orders\n          code: resolvers/getOrder.js',
          '        - dataSource: orders\n          request: fn.request.vtl\n          response: fn.response.vtl',
        ),
    );
    writeFileSync(join(dir, 'fn.request.vtl'), '{"payload": {}}');
    writeFileSync(join(dir, 'fn.response.vtl'), '$util.toJson($ctx.result)');
    const app = await load(dir);
    const fns = app.graphql?.pipelineFunctions ?? {};
    expect(fns.summarize).toMatchObject({ code: undefined, templates: { request: '{"payload": {}}' } });
    expect(fns.summarize.templates?.response).toBeUndefined();
    const inline = Object.values(fns).find((f) => f.name !== 'summarize');
    expect(inline?.templates).toMatchObject({ request: '{"payload": {}}', response: '$util.toJson($ctx.result)' });
  });

  it('refuses ${ssm:} with how to give the value, and uses a fallback when there is one', async () => {
    const refused = variant((y) =>
      y.replace("GREETING: ${env:ORDERS_GREETING, 'hello'}", 'GREETING: ${ssm:/orders/greeting}'),
    );
    await expect(load(refused)).rejects.toThrow(
      new RegExp(
        `serverless\\.yml:${lineOf(refused, 'GREETING')}: provider\\.environment\\.GREETING: .*ssm lookups need AWS.*--param`,
      ),
    );
    const fallback = variant((y) =>
      y.replace("GREETING: ${env:ORDERS_GREETING, 'hello'}", "GREETING: ${ssm:/orders/greeting, env:G, 'fallback'}"),
    );
    expect((await load(fallback)).functions.echo.environment.GREETING).toBe('fallback');
    expect((await load(fallback, { env: { G: 'from-env' } })).functions.echo.environment.GREETING).toBe('from-env');
  });

  it('refuses an event Syncline does not run, saying which it runs', async () => {
    const dir = variant((y) =>
      y.replace('      - httpApi: POST /orders', '      - sqs: arn:aws:sqs:eu-west-1:000000000000:orders'),
    );
    await expect(load(dir)).rejects.toThrow(
      new RegExp(
        `serverless\\.yml:${lineOf(dir, '- sqs:')}: functions\\.createOrder\\.events\\[0\\]\\.sqs: the sqs event is not run by Syncline yet; it runs httpApi, http, stream`,
      ),
    );
  });

  it('refuses a data source type Syncline does not run, saying why and what works instead', async () => {
    const dir = variant((y) => y.replace('      type: AWS_LAMBDA\n', '      type: AMAZON_BEDROCK_RUNTIME\n'));
    await expect(load(dir)).rejects.toThrow(
      /appSync\.dataSources\.echo\.type: AMAZON_BEDROCK_RUNTIME calls foundation models that run only on AWS.*AWS_LAMBDA data source instead/,
    );
  });

  it('points the shared checks back at the serverless.yml key: an unknown data source', async () => {
    const dir = variant((y) =>
      y.replace(
        '      dataSource: orders\n      code: resolvers/getOrder.js\n    createOrder:',
        '      dataSource: ordres\n      code: resolvers/getOrder.js\n    createOrder:',
      ),
    );
    await expect(load(dir)).rejects.toThrow(
      new RegExp(
        `serverless\\.yml:${lineOf(dir, 'dataSource: ordres')}: appSync\\.resolvers\\["Query\\.getOrder"\\]\\.dataSource: unknown data source "ordres"`,
      ),
    );
  });

  it('names a Ref to a resource that does not exist', async () => {
    const dir = variant((y) => y.replace('TABLE_NAME: !Ref OrdersTable', 'TABLE_NAME: !Ref OrderTable'));
    await expect(load(dir)).rejects.toThrow(
      /provider\.environment\.TABLE_NAME\.Ref: Ref OrderTable: no resource OrderTable/,
    );
  });

  it('names a Ref to a resource Syncline does not run, and how to give its value', async () => {
    const dir = variant((y) => y.replace('TABLE_NAME: !Ref OrdersTable', 'TABLE_NAME: !Ref UploadsBucket'));
    await expect(load(dir)).rejects.toThrow(
      /Ref UploadsBucket: AWS::S3::Bucket is not run by Syncline; give the value with --param/,
    );
  });

  it('names a self reference that has no value', async () => {
    const dir = variant((y) => y.replace('${self:custom.settings.owner}', '${self:custom.settings.team}'));
    await expect(load(dir)).rejects.toThrow(
      /functions\.echo\.environment\.JOINED.*\$\{self:custom\.settings\.team\}: no value/,
    );
  });

  it('refuses a stream on a table without StreamSpecification', async () => {
    const dir = variant((y) => y.replace(/ {8}StreamSpecification:\n {10}StreamViewType: NEW_AND_OLD_IMAGES\n/, ''));
    await expect(load(dir)).rejects.toThrow(/table OrdersTable has no stream: add StreamSpecification to it/);
  });

  it('refuses an unknown function property without calling a real AWS key a typo', async () => {
    const dir = variant((y) =>
      y.replace('    memorySize: 256\n', '    memorySize: 256\n    tracing: Active\n    handlr: x\n'),
    );
    await expect(load(dir)).rejects.toThrow(/functions\.echo\.handlr: not a Serverless Framework function property/);
  });

  it('reports invalid YAML with its line', async () => {
    const dir = variant((y) => y.replace('service: orders', 'service: orders\n  bad: [unclosed'));
    await expect(load(dir)).rejects.toThrow(/serverless\.yml:\d+: invalid YAML/);
  });
});

describe('serverless.yml API limits', () => {
  it('reads introspection, queryDepthLimit and resolverCountLimit into the limits Syncline enforces', async () => {
    const dir = variant((y) =>
      y.replace(
        'appSync:\n  name: orders-api\n',
        'appSync:\n  name: orders-api\n  introspection: false\n  queryDepthLimit: 4\n  resolverCountLimit: 20\n',
      ),
    );
    const app = await load(dir);
    expect(app.graphql?.limits).toEqual({ queryDepthLimit: 4, resolverCountLimit: 20, introspection: false });
  });

  it('refuses a queryDepthLimit AppSync would refuse, naming the line', async () => {
    const dir = variant((y) =>
      y.replace('appSync:\n  name: orders-api\n', 'appSync:\n  name: orders-api\n  queryDepthLimit: 76\n'),
    );
    await expect(load(dir)).rejects.toThrow(/queryDepthLimit/);
  });
});
