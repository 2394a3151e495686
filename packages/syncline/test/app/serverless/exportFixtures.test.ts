// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and the Framework's reference syntax.
// `syncline export serverless` over the fixture apps that use what the reference app does not (VTL, pipelines,
// direct Lambda resolvers, batching, caching, authorizers, CORS, schedules, EventBridge rules, async
// destinations): each exported file loads back into the same model.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exportServerless } from '../../../src/app/export/serverless.js';
import { loadApp } from '../../../src/app/index.js';
import type { AppModel } from '../../../src/app/model.js';

const fixtures = fileURLToPath(new URL('../../fixtures/apps', import.meta.url));
const root = fileURLToPath(new URL('../../../../../.syncline', import.meta.url));
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(join(root, 'export-sls-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The Framework resolves `${env:…}` when it reads the file (Syncline's own config, when the function starts).
vi.stubEnv('SYNCLINE_TEST_GREETING', 'hi');

/** What must survive the trip, with the names that legitimately change (table names, template paths) taken out. */
function comparable(app: AppModel, tableKey: (key: string) => string) {
  const g = app.graphql;
  const templates = (t?: { request?: string; response?: string }) => t && { request: t.request, response: t.response };
  const tableName = (name: unknown) => {
    const key = Object.keys(app.tables).find((k) => k === name || app.tables[k].name === name);
    return key ? tableKey(key) : name;
  };
  return {
    tables: Object.fromEntries(Object.entries(app.tables).map(([k, { name: _, ...t }]) => [tableKey(k), t])),
    httpCors: app.httpCors,
    functions: Object.fromEntries(
      Object.entries(app.functions).map(([name, f]) => [
        name,
        {
          timeout: f.timeout,
          memorySize: f.memorySize,
          export: f.handler.export,
          reservedConcurrency: f.reservedConcurrency,
          async: f.async,
          events: f.events.map((e) => (e.type === 'stream' ? { ...e, table: tableKey(e.table) } : e)),
        },
      ]),
    ),
    graphql: g && {
      authentication: g.authentication,
      additionalAuthentications: g.additionalAuthentications,
      apiKeys: g.apiKeys.map((k) => k.name),
      environment: g.environment,
      limits: g.limits,
      caching: g.caching && { behavior: g.caching.behavior, ttl: g.caching.ttl },
      dataSources: Object.fromEntries(
        Object.entries(g.dataSources).map(([k, ds]) => [
          k,
          ds.type === 'AMAZON_DYNAMODB'
            ? { ...ds, config: { ...ds.config, tableName: tableName(ds.config.tableName) } }
            : ds,
        ]),
      ),
      pipelineFunctions: Object.fromEntries(
        Object.entries(g.pipelineFunctions).map(([k, f]) => [k, { ...f, templates: templates(f.templates) }]),
      ),
      resolvers: g.resolvers.map((r) => ({ ...r, templates: templates(r.templates) })),
    },
  };
}

describe('syncline export serverless, fixture apps', () => {
  for (const name of [
    'vtl',
    'functions-graphql',
    'functions-async',
    'functions-schedule',
    'functions-cors',
    'eventbridge',
    'api-cache',
    'auth-lambda',
    'basic',
    'realtime',
    'orders-ddb',
    'streams',
    'functions',
    'http-ds',
  ]) {
    it(`${name} loads back into the same app`, async () => {
      const original = await loadApp(join(fixtures, name), { data: ':memory:' });
      const out = join(dir, name);
      mkdirSync(out, { recursive: true });
      const { yaml } = await exportServerless(original, { outputDir: out, codeDir: join(out, 'code') });
      writeFileSync(join(out, 'serverless.yml'), yaml);
      const back = await loadApp(join(out, 'serverless.yml'), { data: ':memory:' });
      expect(comparable(back, (k) => k)).toEqual(comparable(original, (k) => `${k.replace(/[^A-Za-z0-9]/g, '')}Table`));
      if (name === 'functions') {
        // Mixed text becomes Fn::Sub; the HTTP API's endpoint is the Framework's HttpApi resource.
        expect(back.functions.counter.environment).toMatchObject({ GREETING: 'hello hi', API: '${http.url}/x' });
      }
    });
  }

  it("leaves Syncline's local IAM credentials out: IAM decides on AWS, and secrets stay out of the file", async () => {
    const original = await loadApp(join(fixtures, 'auth-iam'), { data: ':memory:' });
    const { yaml, notes } = await exportServerless(original, { outputDir: dir, codeDir: join(dir, 'auth-iam') });
    expect(yaml).not.toContain('AKIAAUTHFIXTURE00001');
    expect(yaml).not.toContain('fixture-secret-one');
    expect(yaml).toMatch(/authentication:\n {4}type: AWS_IAM\n/);
    expect(notes.join('\n')).toContain('local credentials');
  });

  it("leaves a stream mapping's onFailure table out, with a note (the Framework's form is an SQS/SNS ARN)", async () => {
    const original = await loadApp(join(fixtures, 'streams-functions'), { data: ':memory:' });
    const out = join(dir, 'streams-functions');
    mkdirSync(out, { recursive: true });
    const { yaml, notes } = await exportServerless(original, { outputDir: out, codeDir: join(out, 'code') });
    expect(notes.join('\n')).toMatch(/onFailure .*"table":"Failures".* left out/);
    writeFileSync(join(out, 'serverless.yml'), yaml);
    const back = await loadApp(join(out, 'serverless.yml'), { data: ':memory:' });
    for (const f of Object.values(original.functions)) {
      for (const e of f.events) if (e.type === 'stream') e.onFailure = undefined;
    }
    expect(comparable(back, (k) => k)).toEqual(comparable(original, (k) => `${k.replace(/[^A-Za-z0-9]/g, '')}Table`));
  });
});

describe('syncline export serverless, layers', () => {
  it("declares each function's layer folders once under layers: and loads them back in order", async () => {
    const app = await loadApp(join(fixtures, 'functions'), { data: ':memory:' });
    const shared = join(dir, 'layers', 'common-deps');
    const other = join(dir, 'layers', 'tools');
    for (const f of [shared, other]) mkdirSync(join(f, 'nodejs', 'node_modules'), { recursive: true });
    const [first, second] = Object.keys(app.functions);
    app.functions[first].layers = [shared, other];
    app.functions[second].layers = [shared];
    const out = join(dir, 'with-layers');
    mkdirSync(out, { recursive: true });
    const { yaml } = await exportServerless(app, { outputDir: out, codeDir: join(out, 'code') });
    expect(yaml).toContain('- !Ref CommonDashdepsLambdaLayer');
    expect(yaml.match(/path: \.\.\/layers\/common-deps/g)).toHaveLength(1);
    writeFileSync(join(out, 'serverless.yml'), yaml);
    const back = await loadApp(join(out, 'serverless.yml'), { data: ':memory:' });
    expect(back.functions[first].layers).toEqual([shared, other]);
    expect(back.functions[second].layers).toEqual([shared]);
  });
});

describe('syncline export serverless, references', () => {
  it('writes text mixed with references as one !Sub that loads back to the same references', async () => {
    const example = fileURLToPath(new URL('../../../../../examples/realtime-orders', import.meta.url));
    const app = await loadApp(example, { data: ':memory:' });
    app.functions.publishOrder.environment = {
      MIXED: 'table=${tables.Orders.name};arn=${tables.Orders.arn};url=${graphql.url}',
      STREAM: '${tables.Orders.streamArn}',
      KEY: '${graphql.apiKey}',
      WS: '${graphql.realtimeUrl}',
    };
    const out = join(dir, 'references');
    mkdirSync(out, { recursive: true });
    const { yaml } = await exportServerless(app, { outputDir: out, codeDir: join(out, 'code') });
    expect(yaml).toContain('MIXED: !Sub table=${OrdersTable};arn=${OrdersTable.Arn};url=${GraphQlApi.GraphQLUrl}');
    expect(yaml).toContain('KEY: ${appsync:apiKey.default}');
    writeFileSync(join(out, 'serverless.yml'), yaml);
    const back = await loadApp(join(out, 'serverless.yml'), { data: ':memory:' });
    const name = back.tables.OrdersTable.name;
    expect(back.functions.publishOrder.environment).toEqual({
      MIXED: `table=${name};arn=arn:aws:dynamodb:us-east-1:000000000000:table/${name};url=\${graphql.url}`,
      STREAM: '${tables.OrdersTable.streamArn}',
      KEY: '${graphql.apiKey}',
      WS: '${graphql.realtimeUrl}',
    });
    app.functions.publishOrder.environment = { BAD: '${self:service}' };
    await expect(exportServerless(app, { outputDir: out, codeDir: join(out, 'code') })).rejects.toThrow(
      /functions\.publishOrder\.environment\.BAD: \$\{self:service\} has no serverless\.yml equivalent/,
    );
  });
});

describe('syncline export serverless, hostile values', () => {
  it('writes any environment text so that it loads back as the same text (YAML quoting, look-alike tags)', async () => {
    const { default: fc } = await import('fast-check');
    const base = await loadApp(join(fixtures, 'basic'), { data: ':memory:' });
    const out = join(dir, 'fuzz');
    mkdirSync(out, { recursive: true });
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '!Ref X',
        '!GetAtt A.B',
        '*anchor',
        '&a',
        ': ',
        ' #',
        "'",
        '"',
        '\n',
        'null',
        'true',
        '0x1F',
        '~',
        '- x',
      ),
    );
    // `$` starts a reference in both formats; the rest is text.
    const value = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join('').replace(/\$/g, ''));
    await fc.assert(
      fc.asyncProperty(value, async (text) => {
        const app = structuredClone(base);
        app.functions = {
          probe: {
            name: 'probe',
            handler: { file: join(fixtures, 'functions', 'handlers', 'echo.js'), export: 'handler' },
            timeout: 3,
            memorySize: 128,
            environment: { VALUE: text },
            async: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 },
            events: [],
          },
        };
        const { yaml } = await exportServerless(app, { outputDir: out, codeDir: join(out, 'code') });
        writeFileSync(join(out, 'serverless.yml'), yaml);
        const back = await loadApp(join(out, 'serverless.yml'), { data: ':memory:' });
        expect(back.functions.probe.environment.VALUE).toBe(text);
      }),
      { numRuns: 25 },
    );
  });
});
