// Backups and the point-in-time log live in the data folder's SQLite file: both survive a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBackupCommand,
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  ListBackupsCommand,
  PutItemCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness } from '../harness.js';

describe('backups and point-in-time recovery across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-backups-'));
  const file = join(dir, 'tables.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a backup and the recovery window taken before a restart restore after it', async () => {
    let clock = 1_700_000_000_000;
    const first = await startHarness(file, undefined, { now: () => clock });
    await first.client.send(
      new CreateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await first.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'kept',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    clock += 1000;
    await first.client.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'before' } } }));
    const backup = await first.client.send(new CreateBackupCommand({ TableName: 'kept', BackupName: 'pre-restart' }));
    clock += 1000;
    const between = clock;
    clock += 1000;
    await first.client.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'after' } } }));
    await first.close();

    clock += 1000;
    const second = await startHarness(file, undefined, { now: () => clock });
    try {
      expect((await second.client.send(new ListBackupsCommand({}))).BackupSummaries?.map((b) => b.BackupName)).toEqual([
        'pre-restart',
      ]);
      const pitr = await second.client.send(new DescribeContinuousBackupsCommand({ TableName: 'kept' }));
      expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe(
        'ENABLED',
      );
      await second.client.send(
        new RestoreTableFromBackupCommand({
          TargetTableName: 'from-backup',
          BackupArn: backup.BackupDetails!.BackupArn,
        }),
      );
      await second.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'kept',
          TargetTableName: 'from-log',
          RestoreDateTime: new Date(between),
        }),
      );
      for (const table of ['from-backup', 'from-log']) {
        const ids = (await second.client.send(new ScanCommand({ TableName: table }))).Items?.map((i) => i.id.S);
        expect(ids).toEqual(['before']);
      }
    } finally {
      await second.close();
    }
  });
});
