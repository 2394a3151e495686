// Resolver settings the loaders carry into the app model instead of listing them as AWS-only: Lambda batching
// (maxBatchSize / MaxBatchSize) from serverless.yml and CloudFormation.
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
