// Resolver settings the loaders carry into the app model instead of listing them as AWS-only: Lambda batching
// (maxBatchSize / MaxBatchSize) and the API cache (caching / AWS::AppSync::ApiCache, CachingConfig) from
// serverless.yml and CloudFormation.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/index.js';
import { fixtureApp } from '../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function variant(fixture: string, file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-settings-'));
  dirs.push(dir);
  cpSync(fixtureApp(fixture), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}
const load = (dir: string) => loadApp(dir, { data: ':memory:', env: {} });

describe('maxBatchSize', () => {
  it('serverless.yml: a resolver and a pipeline function keep their maxBatchSize', async () => {
    const dir = variant('serverless-orders', 'serverless.yml', (y) =>
      y
        .replace('      dataSource: echo\n', '      dataSource: echo\n      maxBatchSize: 7\n')
        .replace('      code: resolvers/summarize.js\n', '      code: resolvers/summarize.js\n      maxBatchSize: 3\n'),
    );
    const app = await load(dir);
    const echo = app.graphql!.resolvers.find((r) => r.fieldName === 'echo');
    expect(echo).toMatchObject({ kind: 'UNIT', maxBatchSize: 7 });
    expect(app.graphql!.pipelineFunctions.summarize.maxBatchSize).toBe(3);
    expect((app.notices ?? []).join('\n')).not.toContain('maxBatchSize');
  });

  it('CloudFormation: MaxBatchSize of a resolver and a function configuration', async () => {
    const dir = variant('sam-orders', 'template.yaml', (y) =>
      y
        .replace('      FieldName: publishOrder\n', '      FieldName: publishOrder\n      MaxBatchSize: 5\n')
        .replace('      Name: getOrder\n', '      Name: getOrder\n      MaxBatchSize: 9\n'),
    );
    const app = await load(dir);
    expect(app.graphql!.resolvers.find((r) => r.fieldName === 'publishOrder')).toMatchObject({ maxBatchSize: 5 });
    expect(app.graphql!.pipelineFunctions.GetOrderFunction.maxBatchSize).toBe(9);
    expect((app.notices ?? []).join('\n')).not.toContain('MaxBatchSize');
  });

  it('syncline.config refuses a maxBatchSize past AppSync quota of 2000', async () => {
    const dir = variant('functions-graphql', 'syncline.config.ts', (t) =>
      t.replace('maxBatchSize: 3', 'maxBatchSize: 2001'),
    );
    await expect(load(dir)).rejects.toThrow(/maxBatchSize/);
  });
});

describe('caching', () => {
  it("serverless.yml: appSync.caching and a resolver's caching reach the model; the instance type is AWS-only", async () => {
    const dir = variant('serverless-orders', 'serverless.yml', (y) =>
      y
        .replace(
          '  xrayEnabled: true\n',
          '  xrayEnabled: true\n  caching:\n    behavior: PER_RESOLVER_CACHING\n    type: SMALL\n    ttl: 120\n',
        )
        .replace(
          '      dataSource: echo\n',
          "      dataSource: echo\n      caching:\n        ttl: 30\n        keys:\n          - '$context.arguments.msg'\n",
        ),
    );
    const app = await load(dir);
    expect(app.graphql!.caching).toEqual({ behavior: 'PER_RESOLVER_CACHING', ttl: 120, maxEntries: undefined });
    expect(app.graphql!.resolvers.find((r) => r.fieldName === 'echo')?.caching).toEqual({
      ttl: 30,
      keys: ['$context.arguments.msg'],
    });
    const notices = (app.notices ?? []).join('\n');
    expect(notices).toContain('appSync.caching.type');
    expect(notices).not.toMatch(/appSync\.caching(,|$)/m);
  });

  it("CloudFormation: AWS::AppSync::ApiCache and a resolver's CachingConfig reach the model", async () => {
    const dir = variant('sam-orders', 'template.yaml', (y) =>
      y
        .replace(
          '  OrdersApiKey:\n',
          '  OrdersCache:\n    Type: AWS::AppSync::ApiCache\n    Properties:\n      ApiId: !GetAtt OrdersApi.ApiId\n      ApiCachingBehavior: FULL_REQUEST_CACHING\n      Ttl: 60\n      Type: SMALL\n\n  OrdersApiKey:\n',
        )
        .replace(
          '      FieldName: publishOrder\n',
          '      FieldName: publishOrder\n      CachingConfig:\n        Ttl: 15\n        CachingKeys:\n          - $context.arguments.id\n',
        ),
    );
    const app = await load(dir);
    expect(app.graphql!.caching).toMatchObject({ behavior: 'FULL_REQUEST_CACHING', ttl: 60 });
    expect(app.graphql!.resolvers.find((r) => r.fieldName === 'publishOrder')?.caching).toEqual({
      ttl: 15,
      keys: ['$context.arguments.id'],
    });
    expect((app.notices ?? []).join('\n')).toContain('OrdersCache.Type');
  });
});

describe('OpenSearch and Bedrock data sources', () => {
  it('serverless.yml: an OpenSearch endpoint is kept; domain and role are AWS-only', async () => {
    const dir = variant('serverless-orders', 'serverless.yml', (y) =>
      y.replace(
        '  dataSources:\n',
        "  dataSources:\n    search:\n      type: AMAZON_OPENSEARCH_SERVICE\n      config:\n        endpoint: 'http://127.0.0.1:9200'\n        serviceRoleArn: arn:aws:iam::1:role/x\n",
      ),
    );
    const app = await load(dir);
    expect(app.graphql!.dataSources.search).toEqual({
      name: 'search',
      type: 'AMAZON_OPENSEARCH_SERVICE',
      config: { endpoint: 'http://127.0.0.1:9200' },
    });
  });

  it('serverless.yml: OpenSearch without endpoint and Bedrock are refused at their line', async () => {
    const noEndpoint = variant('serverless-orders', 'serverless.yml', (y) =>
      y.replace(
        '  dataSources:\n',
        '  dataSources:\n    search:\n      type: AMAZON_ELASTICSEARCH\n      config:\n        domain: posts\n',
      ),
    );
    await expect(load(noEndpoint)).rejects.toThrow(
      /appSync\.dataSources\.search\.config\.endpoint: is required locally/,
    );
    const bedrock = variant('serverless-orders', 'serverless.yml', (y) =>
      y.replace('  dataSources:\n', '  dataSources:\n    model:\n      type: AMAZON_BEDROCK_RUNTIME\n'),
    );
    await expect(load(bedrock)).rejects.toThrow(
      /appSync\.dataSources\.model\.type: AMAZON_BEDROCK_RUNTIME calls foundation models/,
    );
  });
});
