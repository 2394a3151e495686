import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, rawRequest, startHarness } from './harness.js';

const simple = (TableName: string) =>
  new CreateTableCommand({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });

describe('table control plane', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('CreateTable returns an ACTIVE description with ARN, key schema and billing mode', async () => {
    const out = await h.client.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'status', AttributeType: 'S' },
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
            ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
          },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const t = out.TableDescription!;
    expect(t.TableStatus).toBe('ACTIVE');
    expect(t.TableArn).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/orders');
    expect(t.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(t.CreationDateTime).toBeInstanceOf(Date);
    expect(t.ProvisionedThroughput?.ReadCapacityUnits).toBe(5);
    expect(t.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byStatus', IndexStatus: 'ACTIVE', ItemCount: 0 });
    expect(t.LatestStreamArn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/orders\/stream\/\d{4}-/);
    expect(t.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('CreateTable of an existing table is ResourceInUseException', async () => {
    await h.client.send(simple('dupe'));
    const e = await awsError(() => h.client.send(simple('dupe')));
    expect(e.name).toBe('ResourceInUseException');
    expect(e.message).toBe('Table already exists: dupe');
  });

  it('CreateTable checks the definition with DynamoDB messages', async () => {
    const bad = async (input: Record<string, unknown>) => (await rawRequest(h.endpoint, 'CreateTable', input)).json;
    expect(await bad({})).toEqual({
      __type: 'com.amazon.coral.validate#ValidationException',
      message: "The parameter 'TableName' is required but was not present in the request",
    });
    expect((await bad({ TableName: 'ab' })).message).toBe(
      "3 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
    expect((await bad({ TableName: 'abc' })).message).toBe(
      "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
    );
    expect(
      (
        await bad({
          TableName: 'abc',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        })
      ).message,
    ).toBe(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
    expect(
      (
        await bad({
          TableName: 'abc',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }],
        })
      ).message,
    ).toBe(
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [id]',
    );
    expect(
      (
        await bad({
          TableName: 'abc',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'x', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        })
      ).message,
    ).toBe(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
    expect(
      (
        await bad({
          TableName: 'abc',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'X' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        })
      ).message,
    ).toBe(
      "1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    );
  });

  it('DescribeTable of a missing table names it', async () => {
    const e = await awsError(() => h.client.send(new DescribeTableCommand({ TableName: 'nope' })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toBe('Requested resource not found: Table: nope not found');
  });

  it('DescribeTable counts items and bytes', async () => {
    await h.client.send(simple('counted'));
    for (let i = 0; i < 3; i++) {
      await h.client.send(new PutItemCommand({ TableName: 'counted', Item: { id: { S: `k${i}` } } }));
    }
    const t = (await h.client.send(new DescribeTableCommand({ TableName: 'counted' }))).Table!;
    expect(t.ItemCount).toBe(3);
    expect(t.TableSizeBytes).toBeGreaterThan(0);
    expect(t.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('ListTables pages with Limit and ExclusiveStartTableName', async () => {
    const local = await startHarness();
    try {
      for (const n of ['t-c', 't-a', 't-b', 't-d']) await local.client.send(simple(n));
      const first = await local.client.send(new ListTablesCommand({ Limit: 3 }));
      expect(first.TableNames).toEqual(['t-a', 't-b', 't-c']);
      expect(first.LastEvaluatedTableName).toBe('t-c');
      const second = await local.client.send(
        new ListTablesCommand({ Limit: 3, ExclusiveStartTableName: first.LastEvaluatedTableName }),
      );
      expect(second.TableNames).toEqual(['t-d']);
      expect(second.LastEvaluatedTableName).toBeUndefined();
      const e = await awsError(() => local.client.send(new ListTablesCommand({ Limit: 101 })));
      expect(e.message).toBe(
        "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
      );
    } finally {
      await local.close();
    }
  });

  it('DeleteTable removes the table and its items; a later CreateTable starts empty', async () => {
    await h.client.send(simple('gone'));
    await h.client.send(new PutItemCommand({ TableName: 'gone', Item: { id: { S: 'x' } } }));
    const out = await h.client.send(new DeleteTableCommand({ TableName: 'gone' }));
    expect(out.TableDescription?.TableStatus).toBe('DELETING');
    const e = await awsError(() => h.client.send(new PutItemCommand({ TableName: 'gone', Item: { id: { S: 'x' } } })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toBe('Requested resource not found');
    await h.client.send(simple('gone'));
    const t = (await h.client.send(new DescribeTableCommand({ TableName: 'gone' }))).Table!;
    expect(t.ItemCount).toBe(0);
    const missing = await awsError(() => h.client.send(new DeleteTableCommand({ TableName: 'never' })));
    expect(missing.message).toBe('Requested resource not found: Table: never not found');
  });

  it('UpdateTable adds a GSI backfilled from existing items and can drop it', async () => {
    await h.client.send(
      new CreateTableCommand({
        TableName: 'people',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const [id, city] of [
      ['1', 'Oslo'],
      ['2', 'Lima'],
      ['3', 'Oslo'],
    ]) {
      await h.client.send(new PutItemCommand({ TableName: 'people', Item: { id: { S: id }, city: { S: city } } }));
    }
    await h.client.send(new PutItemCommand({ TableName: 'people', Item: { id: { S: '4' } } }));
    const updated = await h.client.send(
      new UpdateTableCommand({
        TableName: 'people',
        AttributeDefinitions: [{ AttributeName: 'city', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byCity',
              KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    expect(updated.TableDescription?.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byCity', ItemCount: 3 });
    const q = await h.client.send(
      new QueryCommand({
        TableName: 'people',
        IndexName: 'byCity',
        KeyConditionExpression: 'city = :c',
        ExpressionAttributeValues: { ':c': { S: 'Oslo' } },
      }),
    );
    expect(q.Items?.map((i) => i.id.S).sort()).toEqual(['1', '3']);
    await h.client.send(
      new UpdateTableCommand({
        TableName: 'people',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byCity' } }],
      }),
    );
    const t = (await h.client.send(new DescribeTableCommand({ TableName: 'people' }))).Table!;
    expect(t.GlobalSecondaryIndexes).toBeUndefined();
    expect(t.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
    const e = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'people',
          IndexName: 'byCity',
          KeyConditionExpression: 'city = :c',
          ExpressionAttributeValues: { ':c': { S: 'Oslo' } },
        }),
      ),
    );
    expect(e.message).toBe('The table does not have the specified index: byCity');
  });

  it('UpdateTable switches billing mode, enables streams and refuses empty updates', async () => {
    await h.client.send(simple('billing'));
    const prov = await h.client.send(
      new UpdateTableCommand({
        TableName: 'billing',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      }),
    );
    expect(prov.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
    expect(prov.TableDescription?.BillingModeSummary).toBeUndefined();
    const stream = await h.client.send(
      new UpdateTableCommand({
        TableName: 'billing',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    expect(stream.TableDescription?.LatestStreamArn).toContain('/stream/');
    const again = await awsError(() =>
      h.client.send(
        new UpdateTableCommand({
          TableName: 'billing',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
    );
    expect(again.message).toMatch(/^Table already has an enabled stream/);
    const empty = await awsError(() => h.client.send(new UpdateTableCommand({ TableName: 'billing' })));
    expect(empty.message).toBe(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required',
    );
  });

  it('UpdateTimeToLive and DescribeTimeToLive round-trip', async () => {
    await h.client.send(simple('ttl'));
    expect((await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl' }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'DISABLED',
    });
    const out = await h.client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'ttl',
        TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
      }),
    );
    expect(out.TimeToLiveSpecification).toEqual({ AttributeName: 'expires', Enabled: true });
    expect((await h.client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl' }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expires',
    });
    const e = await awsError(() =>
      h.client.send(
        new UpdateTimeToLiveCommand({
          TableName: 'ttl',
          TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
        }),
      ),
    );
    expect(e.message).toBe('TimeToLive is already enabled');
  });

  it('tags a table by ARN, lists and removes tags', async () => {
    const arn = (await h.client.send(simple('tagged'))).TableDescription!.TableArn!;
    await h.client.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'b' }] }));
    expect((await h.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'dev' },
    ]);
    await h.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    expect((await h.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
    ]);
    const missing = 'arn:aws:dynamodb:us-east-1:123456789012:table/missing';
    const e = await awsError(() => h.client.send(new ListTagsOfResourceCommand({ ResourceArn: missing })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toBe(`Requested resource not found: ResourcArn: ${missing} not found`);
    const bad = await awsError(() => h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [] })));
    expect(bad.message).toBe('Atleast one Tag needs to be provided as Input.');
  });
});
