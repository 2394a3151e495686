// Nested stacks in a plain template: the child template (a local TemplateURL) is read with the Parameters its
// parent passes, its Outputs answer the parent's Fn::GetAtt, and the whole runs as one app with real clients.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigError } from '../../../src/app/errors.js';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({ dir: fixtureApp('cfn-nested'), port: 0, data: ':memory:', log: 'silent' });
});
afterAll(() => server?.close());

/** A copy of the fixture with one file rewritten, loaded; the error it fails with. */
async function failureWith(file: string, edit: (text: string) => string): Promise<AppConfigError> {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-nested-'));
  try {
    cpSync(fixtureApp('cfn-nested'), dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
    const error = await loadApp(dir, { data: ':memory:' }).then(
      () => undefined,
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppConfigError);
    return error as AppConfigError;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a template with a nested stack', { timeout: 60_000 }, () => {
  it('runs the nested stack’s function with the table and URL its parent passes down', async () => {
    const res = await fetch(`${server.endpoints.http}/notes`, {
      method: 'POST',
      body: JSON.stringify({ id: 'n1', text: 'buy tea' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: 'n1', table: 'notes-dev' });
    const where = await gql(server, '{ where }');
    expect(JSON.parse(where.body.data.where)).toEqual({
      table: 'notes-dev',
      url: server.endpoints.graphql,
      stack: 'syncline-Functions',
    });
  });

  it('resolves the parent’s Fn::GetAtt Child.Outputs.X to the nested function', async () => {
    const got = await gql(server, '{ note(id: "n1") { id text } }');
    expect(got.body).toEqual({ data: { note: { id: 'n1', text: 'buy tea' } } });
    expect(server.app.graphql?.dataSources.notesLambda).toMatchObject({ config: { functionName: 'NotesTableWriter' } });
  });

  it('keeps a nested logical ID that the parent also uses apart, and names each template in its notice', () => {
    expect(server.app.tables.NotesTable.name).toBe('notes-dev');
    // CloudFormation names a nested stack's table after the nested stack, `<parent>-<logical id>-…`.
    expect(server.app.tables.FunctionsNotesTable.name).toBe('syncline-Functions-NotesTable');
    const notices = server.app.notices ?? [];
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/cfn-nested\/template\.yaml: .*Functions\.TimeoutInMinutes/);
    expect(notices[1]).toMatch(/cfn-nested\/stacks\/functions\.yaml: .*NotesTable\.BillingMode/);
  });

  it('reads SAM’s AWS::Serverless::Application with a local Location the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-nested-app-'));
    try {
      cpSync(fixtureApp('cfn-nested'), dir, { recursive: true });
      const file = join(dir, 'template.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .replace('Type: AWS::CloudFormation::Stack', 'Type: AWS::Serverless::Application')
          .replace('TemplateURL: stacks/functions.yaml', 'Location: stacks/functions.yaml'),
      );
      const app = await loadApp(dir, { data: ':memory:' });
      expect(app.graphql?.dataSources.notesLambda).toMatchObject({ config: { functionName: 'NotesTableWriter' } });
      expect(app.functions.NotesTableWriter.environment).toMatchObject({ TABLE_NAME: 'notes-dev' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the nested template, line and key when it is wrong', async () => {
    const missing = await failureWith('template.yaml', (t) => t.replace('stacks/functions.yaml', 'stacks/nope.yaml'));
    expect(missing.message).toMatch(
      /template\.yaml:\d+: Resources\.Functions\.Properties\.TemplateURL: file not found/,
    );

    const remote = await failureWith('template.yaml', (t) =>
      t.replace('TemplateURL: stacks/functions.yaml', 'TemplateURL: https://s3.amazonaws.com/b/functions.yaml'),
    );
    expect(remote.message).toContain('TemplateURL: a local template file is needed');

    const unpassed = await failureWith('template.yaml', (t) => t.replace('        Stage: !Ref Stage\n', ''));
    expect(unpassed.file).toMatch(/stacks\/functions\.yaml$/);
    expect(unpassed.message).toMatch(/functions\.yaml:\d+: Parameters\.Stage: has no Default and the parent/);

    const badValue = await failureWith('template.yaml', (t) => t.replace('Default: dev', 'Default: qa'));
    expect(badValue.message).toMatch(/functions\.yaml:\d+: Parameters\.Stage: qa is not one of AllowedValues/);

    const noOutput = await failureWith('template.yaml', (t) =>
      t.replace('!GetAtt Functions.Outputs.NotesFunctionArn\n\n', '!GetAtt Functions.Outputs.Nope\n\n'),
    );
    expect(noOutput.message).toMatch(/template\.yaml:\d+: .*has no output Nope/);

    const itself = await failureWith('stacks/functions.yaml', (t) =>
      t.replace(
        'Resources:\n',
        'Resources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: functions.yaml\n',
      ),
    );
    expect(itself.message).toContain('functions.yaml nests itself');
  });
});
