// Backups in cluster mode: the same snapshot and restore, with the tables (and backups) in PostgreSQL.
import {
  CreateBackupCommand,
  CreateTableCommand,
  ListBackupsCommand,
  ListTablesCommand,
  PutItemCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../../src/tables/storage/postgres.js';
import { createTestDatabase, type TestDatabase } from '../../cluster/postgresDatabase.js';
import { type Harness, startHarness } from '../harness.js';

describe('backups on PostgreSQL', () => {
  let db: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestDatabase();
    h = await startHarness(':memory:', openPostgresStorage(db.url));
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('a backup round-trips into a restored table', async () => {
    await h.client.send(
      new CreateTableCommand({
        TableName: 'things',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 10; i++) {
      await h.client.send(
        new PutItemCommand({ TableName: 'things', Item: { id: { S: `t${i}` }, n: { N: String(i) } } }),
      );
    }
    const b = await h.client.send(new CreateBackupCommand({ TableName: 'things', BackupName: 'pg-1' }));
    await h.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'after' } } }));
    await h.client.send(
      new RestoreTableFromBackupCommand({ TargetTableName: 'things-restored', BackupArn: b.BackupDetails!.BackupArn }),
    );
    const scan = await h.client.send(new ScanCommand({ TableName: 'things-restored' }));
    expect(scan.Items?.map((i) => i.id.S).sort()).toEqual([...Array(10).keys()].map((i) => `t${i}`).sort());
    expect((await h.client.send(new ListTablesCommand({}))).TableNames).toEqual(['things', 'things-restored']);
    expect((await h.client.send(new ListBackupsCommand({}))).BackupSummaries?.map((s) => s.BackupName)).toEqual([
      'pg-1',
    ]);
  });

  it('point-in-time recovery logs and restores through PostgreSQL too', async () => {
    await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'things',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    await h.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'pitr-1' } } }));
    await new Promise((r) => setTimeout(r, 5));
    const between = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await h.client.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'pitr-2' } } }));
    await h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'things',
        TargetTableName: 'things-then',
        RestoreDateTime: between,
      }),
    );
    const ids = (await h.client.send(new ScanCommand({ TableName: 'things-then' }))).Items?.map((i) => i.id.S);
    expect(ids).toContain('pitr-1');
    expect(ids).not.toContain('pitr-2');
    expect(ids).toHaveLength(12);
  });
});
