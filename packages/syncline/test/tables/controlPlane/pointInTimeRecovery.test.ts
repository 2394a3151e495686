// Point-in-time recovery through the real AWS SDK v3 client: the window DescribeContinuousBackups reports, and
// RestoreTableToPointInTime bringing back the items as they were at any moment of it (the engine's clock is pinned).
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeContinuousBackupsCommand,
  ExportTableToPointInTimeCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, rawRequest, startHarness } from '../harness.js';

const T0 = 1_700_000_000_000;

describe('point-in-time recovery', () => {
  let h: Harness;
  let clock = T0;
  const at = (seconds: number) => {
    clock = T0 + seconds * 1000;
  };
  const restore = (target: string, seconds?: number) =>
    h.client.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'ledger',
        TargetTableName: target,
        ...(seconds === undefined
          ? { UseLatestRestorableTime: true }
          : { RestoreDateTime: new Date(T0 + seconds * 1000) }),
      }),
    );
  const contents = async (table: string) => {
    const out = await h.client.send(new ScanCommand({ TableName: table }));
    return Object.fromEntries((out.Items ?? []).map((i) => [i.id.S!, i.v?.N ?? i.v?.S])).valueOf();
  };

  beforeAll(async () => {
    h = await startHarness(':memory:', undefined, { now: () => clock });
    await h.client.send(
      new CreateTableCommand({
        TableName: 'ledger',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // Written before recovery is enabled: part of every restore.
    await h.client.send(
      new PutItemCommand({ TableName: 'ledger', Item: { id: { S: 'x' }, v: { N: '0' }, g: { S: 'G' } } }),
    );
  });
  afterAll(() => h.close());

  it('is DISABLED at first, and a restore is refused as DynamoDB does', async () => {
    const out = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'ledger' }));
    expect(out.ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    });
    expect(await awsError(() => restore('nope'))).toMatchObject({
      name: 'PointInTimeRecoveryUnavailableException',
      message: "Point in time recovery is not enabled for table 'ledger'",
    });
    expect(
      (
        await awsError(() =>
          h.client.send(
            new ExportTableToPointInTimeCommand({
              TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/ledger',
              S3Bucket: 'b',
            }),
          ),
        )
      ).name,
    ).toBe('PointInTimeRecoveryUnavailableException');
  });

  it('UpdateContinuousBackups enables it; the window runs from then to now', async () => {
    at(10);
    const out = await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'ledger',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      }),
    );
    const d = out.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(d.PointInTimeRecoveryStatus).toBe('ENABLED');
    expect(d.RecoveryPeriodInDays).toBe(7);
    expect(d.EarliestRestorableDateTime?.getTime()).toBe(T0 + 10_000);
    at(20);
    const later = await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'ledger' }));
    const w = later.ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(w.EarliestRestorableDateTime?.getTime()).toBe(T0 + 10_000);
    expect(w.LatestRestorableDateTime?.getTime()).toBe(T0 + 20_000);
  });

  it('restores the items as they were at each moment, indexes included', async () => {
    at(21);
    await h.client.send(
      new PutItemCommand({ TableName: 'ledger', Item: { id: { S: 'a' }, v: { N: '1' }, g: { S: 'G' } } }),
    );
    at(22);
    await h.client.send(new PutItemCommand({ TableName: 'ledger', Item: { id: { S: 'b' }, v: { N: '1' } } }));
    at(23);
    await h.client.send(
      new UpdateItemCommand({
        TableName: 'ledger',
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET v = :v REMOVE g',
        ExpressionAttributeValues: { ':v': { N: '2' } },
      }),
    );
    at(24);
    await h.client.send(new DeleteItemCommand({ TableName: 'ledger', Key: { id: { S: 'b' } } }));
    at(25);
    await h.client.send(
      new PutItemCommand({ TableName: 'ledger', Item: { id: { S: 'x' }, v: { N: '9' }, g: { S: 'G' } } }),
    );
    at(30);

    await restore('r-20', 20);
    expect(await contents('r-20')).toEqual({ x: '0' });
    const r22 = await restore('r-22', 22.5);
    expect(r22.TableDescription?.RestoreSummary?.RestoreDateTime?.getTime()).toBe(T0 + 22_500);
    expect(await contents('r-22')).toEqual({ x: '0', a: '1', b: '1' });
    // The index is rebuilt for the restored items: `a` still had its g then.
    const byG = await h.client.send(
      new QueryCommand({
        TableName: 'r-22',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'G' } },
      }),
    );
    expect(byG.Items?.map((i) => i.id.S).sort()).toEqual(['a', 'x']);
    await restore('r-23', 23);
    expect(await contents('r-23')).toEqual({ x: '0', a: '2', b: '1' });
    await restore('r-latest');
    expect(await contents('r-latest')).toEqual({ x: '9', a: '2' });
  });

  it('refuses a time outside the window, a missing time and an existing target', async () => {
    const early = await awsError(() => restore('r-early', 5));
    expect(early.name).toBe('InvalidRestoreTimeException');
    expect(early.message).toMatch(/outside the restorable window of table 'ledger'/);
    expect((await awsError(() => restore('r-future', 60))).name).toBe('InvalidRestoreTimeException');
    const neither = await rawRequest(h.endpoint, 'RestoreTableToPointInTime', {
      SourceTableName: 'ledger',
      TargetTableName: 'r-none',
    });
    expect(neither.json.message).toBe('Either RestoreDateTime or UseLatestRestorableTime must be specified');
    expect(await awsError(() => restore('r-20'))).toMatchObject({ name: 'TableAlreadyExistsException' });
    const missing = await awsError(() =>
      h.client.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'gone',
          TargetTableName: 'x22',
          UseLatestRestorableTime: true,
        }),
      ),
    );
    expect(missing).toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: gone' });
  });

  it('disabling ends the window; enabling again starts a new one', async () => {
    at(40);
    await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'ledger',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );
    expect((await awsError(() => restore('r-off'))).name).toBe('PointInTimeRecoveryUnavailableException');
    at(50);
    await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'ledger',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    const d = (await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'ledger' })))
      .ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(d.EarliestRestorableDateTime?.getTime()).toBe(T0 + 50_000);
    expect(d.RecoveryPeriodInDays).toBe(35);
    expect((await awsError(() => restore('r-old', 30))).name).toBe('InvalidRestoreTimeException');
  });

  it('the window reaches back at most 24 hours (the change log shares stream retention)', async () => {
    at(50 + 2 * 86_400);
    const d = (await h.client.send(new DescribeContinuousBackupsCommand({ TableName: 'ledger' })))
      .ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    expect(d.EarliestRestorableDateTime?.getTime()).toBe(clock - 86_400_000);
  });
});
