// On-demand backups and restores, through the real AWS SDK v3 client against the engine's HTTP front: a backup is
// a consistent snapshot of items, keys, indexes and settings; a restore makes a new table from it.
import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteTableCommand,
  DescribeBackupCommand,
  DescribeTableCommand,
  ListBackupsCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, rawRequest, startHarness } from '../harness.js';

const TABLE_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders';

async function createOrders(h: Harness) {
  await h.client.send(
    new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'total', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byTotal',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'total', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  for (let i = 0; i < 30; i++) {
    await h.client.send(
      new PutItemCommand({
        TableName: 'orders',
        Item: {
          pk: { S: `c${i % 3}` },
          sk: { N: String(i) },
          status: { S: i % 2 ? 'open' : 'done' },
          total: { N: String(100 - i) },
          note: { S: 'x'.repeat(i * 10) },
        },
      }),
    );
  }
}

describe('backups', () => {
  let h: Harness;
  let backupArn: string;
  beforeAll(async () => {
    h = await startHarness();
    await createOrders(h);
  });
  afterAll(() => h.close());

  it('CreateBackup answers DynamoDB BackupDetails with an ARN under the table', async () => {
    const out = await h.client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'nightly' }));
    const d = out.BackupDetails!;
    backupArn = d.BackupArn!;
    expect(backupArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/backup\/\d{14}-[0-9a-f]{8}$/);
    expect(d).toMatchObject({ BackupName: 'nightly', BackupStatus: 'CREATING', BackupType: 'USER' });
    expect(d.BackupCreationDateTime).toBeInstanceOf(Date);
    expect(d.BackupSizeBytes).toBeGreaterThan(0);
  });

  it('a backup is a snapshot: later writes do not reach it', async () => {
    await h.client.send(
      new PutItemCommand({
        TableName: 'orders',
        Item: { pk: { S: 'late' }, sk: { N: '1' }, status: { S: 'open' }, total: { N: '1' } },
      }),
    );
    const out = await h.client.send(new DescribeBackupCommand({ BackupArn: backupArn }));
    const d = out.BackupDescription!;
    expect(d.BackupDetails?.BackupStatus).toBe('AVAILABLE');
    expect(d.SourceTableDetails).toMatchObject({
      TableName: 'orders',
      TableArn: TABLE_ARN,
      ItemCount: 30,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(d.SourceTableFeatureDetails?.GlobalSecondaryIndexes?.[0].IndexName).toBe('byStatus');
    expect(d.SourceTableFeatureDetails?.LocalSecondaryIndexes?.[0].IndexName).toBe('byTotal');
    expect(d.SourceTableFeatureDetails?.StreamDescription).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    });
    expect(d.SourceTableFeatureDetails?.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
  });

  it('backups are not tables: ListTables does not show them', async () => {
    const out = await h.client.send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual(['orders']);
  });

  it('RestoreTableFromBackup creates a new table with the items and working indexes', async () => {
    const out = await h.client.send(
      new RestoreTableFromBackupCommand({ TargetTableName: 'orders-copy', BackupArn: backupArn }),
    );
    const t = out.TableDescription!;
    expect(t.TableName).toBe('orders-copy');
    expect(t.TableStatus).toBe('CREATING');
    expect(t.RestoreSummary).toMatchObject({
      SourceBackupArn: backupArn,
      SourceTableArn: TABLE_ARN,
      RestoreInProgress: true,
    });
    // Streams are not restored (DynamoDB leaves them to be set up again).
    expect(t.StreamSpecification).toBeUndefined();
    const described = (await h.client.send(new DescribeTableCommand({ TableName: 'orders-copy' }))).Table!;
    expect(described.TableStatus).toBe('ACTIVE');
    expect(described.ItemCount).toBe(30);
    expect(described.RestoreSummary?.RestoreInProgress).toBe(false);
    const scan = await h.client.send(new ScanCommand({ TableName: 'orders-copy' }));
    expect(scan.Count).toBe(30);
    expect(scan.Items?.some((i) => i.pk.S === 'late')).toBe(false);
    const open = await h.client.send(
      new QueryCommand({
        TableName: 'orders-copy',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'open' } },
      }),
    );
    expect(open.Count).toBe(15);
    const byTotal = await h.client.send(
      new QueryCommand({
        TableName: 'orders-copy',
        IndexName: 'byTotal',
        KeyConditionExpression: 'pk = :p AND #t < :t',
        ExpressionAttributeNames: { '#t': 'total' },
        ExpressionAttributeValues: { ':p': { S: 'c0' }, ':t': { N: '80' } },
      }),
    );
    expect(byTotal.Items?.map((i) => Number(i.total.N))).toEqual([73, 76, 79]);
  });

  it('a restore can drop indexes and switch billing mode through overrides', async () => {
    const out = await h.client.send(
      new RestoreTableFromBackupCommand({
        TargetTableName: 'orders-lean',
        BackupArn: backupArn,
        GlobalSecondaryIndexOverride: [],
        LocalSecondaryIndexOverride: [],
        BillingModeOverride: 'PROVISIONED',
        ProvisionedThroughputOverride: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      }),
    );
    const t = out.TableDescription!;
    expect(t.GlobalSecondaryIndexes).toBeUndefined();
    expect(t.LocalSecondaryIndexes).toBeUndefined();
    expect(t.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 6 });
    expect(t.AttributeDefinitions?.map((a) => a.AttributeName).sort()).toEqual(['pk', 'sk']);
    expect(t.ItemCount).toBe(30);
  });

  it('restoring onto an existing table is TableAlreadyExistsException', async () => {
    const e = await awsError(() =>
      h.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'orders', BackupArn: backupArn })),
    );
    expect(e).toMatchObject({ name: 'TableAlreadyExistsException', message: 'Table already exists: orders' });
  });

  it('a backup outlives its table, and ListBackups filters, pages and bounds by time', async () => {
    const second = await h.client.send(new CreateBackupCommand({ TableName: 'orders-copy', BackupName: 'copy' }));
    await h.client.send(new DeleteTableCommand({ TableName: 'orders' }));
    const all = await h.client.send(new ListBackupsCommand({}));
    expect(all.BackupSummaries?.map((b) => b.BackupName)).toEqual(['nightly', 'copy']);
    expect(all.BackupSummaries?.[0]).toMatchObject({
      TableName: 'orders',
      BackupStatus: 'AVAILABLE',
      BackupType: 'USER',
    });
    const mine = await h.client.send(new ListBackupsCommand({ TableName: 'orders-copy' }));
    expect(mine.BackupSummaries?.map((b) => b.BackupArn)).toEqual([second.BackupDetails?.BackupArn]);
    const page = await h.client.send(new ListBackupsCommand({ Limit: 1 }));
    expect(page.LastEvaluatedBackupArn).toBe(backupArn);
    const rest = await h.client.send(new ListBackupsCommand({ ExclusiveStartBackupArn: page.LastEvaluatedBackupArn }));
    expect(rest.BackupSummaries?.map((b) => b.BackupName)).toEqual(['copy']);
    const future = await h.client.send(new ListBackupsCommand({ TimeRangeLowerBound: new Date(Date.now() + 60_000) }));
    expect(future.BackupSummaries).toEqual([]);
    const system = await h.client.send(new ListBackupsCommand({ BackupType: 'SYSTEM' }));
    expect(system.BackupSummaries).toEqual([]);
    // The deleted table can be brought back from its backup under its own name.
    await h.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'orders', BackupArn: backupArn }));
    expect((await h.client.send(new ScanCommand({ TableName: 'orders', Select: 'COUNT' }))).Count).toBe(30);
  });

  it('DeleteBackup answers the description as DELETED; the backup is then not found', async () => {
    const out = await h.client.send(new DeleteBackupCommand({ BackupArn: backupArn }));
    expect(out.BackupDescription?.BackupDetails?.BackupStatus).toBe('DELETED');
    for (const send of [
      () => h.client.send(new DescribeBackupCommand({ BackupArn: backupArn })),
      () => h.client.send(new DeleteBackupCommand({ BackupArn: backupArn })),
      () => h.client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'again', BackupArn: backupArn })),
    ]) {
      expect(await awsError(send)).toMatchObject({
        name: 'BackupNotFoundException',
        message: `Backup not found: ${backupArn}`,
      });
    }
  });

  it('CreateBackup of a missing table is TableNotFoundException; bad names are ValidationException', async () => {
    expect(
      await awsError(() => h.client.send(new CreateBackupCommand({ TableName: 'nope', BackupName: 'b01' }))),
    ).toMatchObject({
      name: 'TableNotFoundException',
      message: 'Table not found: nope',
    });
    const bad = await rawRequest(h.endpoint, 'CreateBackup', { TableName: 'orders', BackupName: 'a b' });
    expect(bad.json.message).toMatch(
      /Value 'a b' at 'backupName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const noArn = await rawRequest(h.endpoint, 'DescribeBackup', {});
    expect(noArn.json.message).toBe(
      "1 validation error detected: Value null at 'backupArn' failed to satisfy constraint: Member must not be null",
    );
  });

  it('a forged backup ARN for another table does not find the backup', async () => {
    const b = await h.client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'forge' }));
    const forged = b.BackupDetails!.BackupArn!.replace('table/orders/', 'table/other/');
    expect((await awsError(() => h.client.send(new DescribeBackupCommand({ BackupArn: forged })))).name).toBe(
      'BackupNotFoundException',
    );
  });
});

describe('backup entries are not tables', () => {
  it('the catalog lookup every operation uses never resolves a backup entry, even by its internal name', async () => {
    const h = await startHarness();
    try {
      await createOrders(h);
      const b = await h.client.send(new CreateBackupCommand({ TableName: 'orders', BackupName: 'hidden' }));
      const id = b.BackupDetails!.BackupArn!.split('/backup/')[1];
      const { findSchema } = await import('../../../src/tables/catalog.js');
      const ctx = {
        storage: h.storage,
        region: 'us-east-1',
        accountId: '123456789012',
        schemas: new Map(),
        now: Date.now,
        endpoint: () => 'localhost:8000',
      };
      expect(h.storage.read((tx) => tx.getTable(`backup:${id}`))).toBeDefined();
      expect(h.storage.read((tx) => findSchema(ctx, tx, `backup:${id}`))).toBeUndefined();
      expect(h.storage.read((tx) => findSchema(ctx, tx, 'orders'))?.name).toBe('orders');
    } finally {
      await h.close();
    }
  });
});
