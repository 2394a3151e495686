// One backup round trip with the AWS CLI against a real Syncline server: what an operator would type.
// Skipped where the `aws` command is not installed.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';

const run = promisify(execFile);

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasAwsCli())('AWS CLI backup round trip', () => {
  let server: SynclineServer;
  const aws = async (...args: string[]) => {
    const { stdout } = await run(
      'aws',
      ['dynamodb', ...args, '--endpoint-url', server.endpoints.dynamodb!, '--output', 'json'],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_PAGER: '',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    return stdout.trim() ? JSON.parse(stdout) : {};
  };
  beforeAll(async () => {
    server = await createServer({ dir: fixtureApp('orders-ddb'), port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(() => server?.close());

  it('create-backup, list-backups, restore-table-from-backup, describe-backup, delete-backup', async () => {
    await aws(
      'create-table',
      '--table-name',
      'cli-src',
      '--attribute-definitions',
      'AttributeName=id,AttributeType=S',
      '--key-schema',
      'AttributeName=id,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    await aws('put-item', '--table-name', 'cli-src', '--item', '{"id":{"S":"one"},"n":{"N":"1"}}');
    const created = await aws('create-backup', '--table-name', 'cli-src', '--backup-name', 'cli-backup');
    const arn = created.BackupDetails.BackupArn as string;
    expect(arn).toMatch(/table\/cli-src\/backup\//);
    const listed = await aws('list-backups', '--table-name', 'cli-src');
    expect(listed.BackupSummaries.map((b: { BackupArn: string }) => b.BackupArn)).toEqual([arn]);
    await aws('restore-table-from-backup', '--target-table-name', 'cli-copy', '--backup-arn', arn);
    const item = await aws('get-item', '--table-name', 'cli-copy', '--key', '{"id":{"S":"one"}}');
    expect(item.Item).toEqual({ id: { S: 'one' }, n: { N: '1' } });
    const described = await aws('describe-backup', '--backup-arn', arn);
    expect(described.BackupDescription.BackupDetails.BackupStatus).toBe('AVAILABLE');
    const deleted = await aws('delete-backup', '--backup-arn', arn);
    expect(deleted.BackupDescription.BackupDetails.BackupStatus).toBe('DELETED');
  }, 60_000);
});
