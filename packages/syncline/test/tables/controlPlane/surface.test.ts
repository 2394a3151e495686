// The control-plane actions tools call besides tables and items: endpoints, limits, Kinesis destinations,
// Contributor Insights, and the S3 exports and imports Syncline refuses — spoken to with the real AWS SDK v3 client.
import {
  CreateGlobalTableCommand,
  CreateTableCommand,
  DescribeBulkOperationCommand,
  DescribeContributorInsightsCommand,
  DescribeEndpointsCommand,
  DescribeExportCommand,
  DescribeGlobalTableCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeLimitsCommand,
  DescribeTableReplicaAutoScalingCommand,
  DynamoDBClient,
  EnableKinesisStreamingDestinationCommand,
  ExportTableToPointInTimeCommand,
  GetResourcePolicyCommand,
  ImportTableCommand,
  ListBulkOperationsCommand,
  ListContributorInsightsCommand,
  ListExportsCommand,
  ListGlobalTablesCommand,
  ListImportsCommand,
  PutResourcePolicyCommand,
  SearchVectorsCommand,
  StartBulkPutItemsCommand,
  UpdateContinuousBackupsCommand,
  UpdateContributorInsightsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';
import { awsError, type Harness, rawRequest, startHarness } from '../harness.js';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table';

describe('control-plane surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'events',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byKind',
            KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => h.close());

  it('DescribeLimits answers DynamoDB default account and table quotas', async () => {
    const out = await h.client.send(new DescribeLimitsCommand({}));
    expect(out).toMatchObject({
      AccountMaxReadCapacityUnits: 80000,
      AccountMaxWriteCapacityUnits: 80000,
      TableMaxReadCapacityUnits: 40000,
      TableMaxWriteCapacityUnits: 40000,
    });
  });

  it('DescribeKinesisStreamingDestination lists no destination, and names a missing table', async () => {
    const out = await h.client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'events' }));
    expect(out.TableName).toBe('events');
    expect(out.KinesisDataStreamDestinations).toEqual([]);
    const missing = await awsError(() =>
      h.client.send(new DescribeKinesisStreamingDestinationCommand({ TableName: 'nope' })),
    );
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: nope not found',
    });
  });

  it('EnableKinesisStreamingDestination is refused with a ValidationException naming DynamoDB streams', async () => {
    const e = await awsError(() =>
      h.client.send(
        new EnableKinesisStreamingDestinationCommand({
          TableName: 'events',
          StreamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
        }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/EnableKinesisStreamingDestination is not available.*DynamoDB stream/);
  });

  it('Contributor Insights: disabled by default, ENABLING then ENABLED with rule names, DISABLING then DISABLED', async () => {
    const before = await h.client.send(new DescribeContributorInsightsCommand({ TableName: 'events' }));
    expect(before.ContributorInsightsStatus).toBe('DISABLED');
    expect(before.ContributorInsightsRuleList).toBeUndefined();

    const on = await h.client.send(
      new UpdateContributorInsightsCommand({ TableName: 'events', ContributorInsightsAction: 'ENABLE' }),
    );
    expect(on).toMatchObject({ TableName: 'events', ContributorInsightsStatus: 'ENABLING' });
    const enabled = await h.client.send(new DescribeContributorInsightsCommand({ TableName: 'events' }));
    expect(enabled.ContributorInsightsStatus).toBe('ENABLED');
    expect(enabled.ContributorInsightsMode).toBe('ACCESSED_AND_THROTTLED_KEYS');
    expect(enabled.LastUpdateDateTime).toBeInstanceOf(Date);
    // A composite key: partition and sort key rules, each accessed (C) and throttled (T).
    expect(enabled.ContributorInsightsRuleList?.map((r) => r.replace(/-\d+$/, ''))).toEqual([
      'DynamoDBContributorInsights-PKC-events',
      'DynamoDBContributorInsights-PKT-events',
      'DynamoDBContributorInsights-SKC-events',
      'DynamoDBContributorInsights-SKT-events',
    ]);

    const index = await h.client.send(
      new UpdateContributorInsightsCommand({
        TableName: 'events',
        IndexName: 'byKind',
        ContributorInsightsAction: 'ENABLE',
        ContributorInsightsMode: 'THROTTLED_KEYS',
      }),
    );
    expect(index).toMatchObject({ IndexName: 'byKind', ContributorInsightsStatus: 'ENABLING' });
    const list = await h.client.send(new ListContributorInsightsCommand({}));
    expect(list.ContributorInsightsSummaries).toEqual([
      {
        TableName: 'events',
        ContributorInsightsStatus: 'ENABLED',
        ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS',
      },
      {
        TableName: 'events',
        IndexName: 'byKind',
        ContributorInsightsStatus: 'ENABLED',
        ContributorInsightsMode: 'THROTTLED_KEYS',
      },
    ]);
    const paged = await h.client.send(new ListContributorInsightsCommand({ TableName: 'events', MaxResults: 1 }));
    expect(paged.ContributorInsightsSummaries).toHaveLength(1);
    const next = await h.client.send(
      new ListContributorInsightsCommand({ TableName: 'events', MaxResults: 1, NextToken: paged.NextToken }),
    );
    expect(next.ContributorInsightsSummaries?.[0].IndexName).toBe('byKind');
    expect(next.NextToken).toBeUndefined();

    const off = await h.client.send(
      new UpdateContributorInsightsCommand({ TableName: 'events', ContributorInsightsAction: 'DISABLE' }),
    );
    expect(off.ContributorInsightsStatus).toBe('DISABLING');
    const after = await h.client.send(new DescribeContributorInsightsCommand({ TableName: 'events' }));
    expect(after.ContributorInsightsStatus).toBe('DISABLED');
  });

  it('Contributor Insights refuses an unknown index and a bad action', async () => {
    const e = await awsError(() =>
      h.client.send(new DescribeContributorInsightsCommand({ TableName: 'events', IndexName: 'nope' })),
    );
    expect(e).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Index: nope not found',
    });
    const bad = await rawRequest(h.endpoint, 'UpdateContributorInsights', {
      TableName: 'events',
      ContributorInsightsAction: 'TOGGLE',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/Value 'TOGGLE' at 'contributorInsightsAction' failed to satisfy constraint/);
  });

  it('ExportTableToPointInTime checks the table and its recovery, then refuses: exports need S3', async () => {
    const missing = await awsError(() =>
      h.client.send(new ExportTableToPointInTimeCommand({ TableArn: `${ARN}/nope`, S3Bucket: 'b' })),
    );
    expect(missing.name).toBe('TableNotFoundException');
    await h.client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'events',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    const e = await awsError(() =>
      h.client.send(new ExportTableToPointInTimeCommand({ TableArn: `${ARN}/events`, S3Bucket: 'b' })),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/ExportTableToPointInTime is not available: .*Amazon S3/);
    const noBucket = await rawRequest(h.endpoint, 'ExportTableToPointInTime', { TableArn: `${ARN}/events` });
    expect(noBucket.json.message).toBe(
      "1 validation error detected: Value null at 's3Bucket' failed to satisfy constraint: Member must not be null",
    );
  });

  it('bulk operations need S3: StartBulkPutItems is refused, none exist', async () => {
    const e = await awsError(() =>
      h.client.send(
        new StartBulkPutItemsCommand({
          TableName: 'events',
          InputS3Configuration: { S3Bucket: 'b', InputFormat: 'DYNAMODB_JSON' } as never,
          OutputS3Configuration: { S3Bucket: 'b' } as never,
        }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/StartBulkPutItems is not available/);
    expect((await h.client.send(new ListBulkOperationsCommand({}))).BulkOperationsSummaryList).toEqual([]);
    const arn = `${ARN}/events/bulk-operation/x`;
    expect(
      (await awsError(() => h.client.send(new DescribeBulkOperationCommand({ BulkOperationArn: arn })))).name,
    ).toBe('ResourceNotFoundException');
  });

  it('SearchVectors: an unknown index as Query says, a GSI is not a vector index', async () => {
    const search = (IndexName: string) =>
      awsError(() =>
        h.client.send(
          new SearchVectorsCommand({ TableName: 'events', IndexName, SearchVector: [{ N: '1' }], TopK: 3 }),
        ),
      );
    expect((await search('nope')).message).toBe('The table does not have the specified index: nope');
    expect((await search('byKind')).message).toMatch(/byKind is not a vector index/);
  });

  it('ImportTable is refused (imports need S3); exports and imports list empty and describe as not found', async () => {
    const e = await awsError(() =>
      h.client.send(
        new ImportTableCommand({
          S3BucketSource: { S3Bucket: 'b' },
          InputFormat: 'DYNAMODB_JSON',
          TableCreationParameters: {
            TableName: 'imported',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          },
        }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/ImportTable is not available/);
    expect((await h.client.send(new ListExportsCommand({}))).ExportSummaries).toEqual([]);
    expect((await h.client.send(new ListImportsCommand({}))).ImportSummaryList).toEqual([]);
    const arn = `${ARN}/events/export/01234567890123-abcdefgh`;
    const d = await awsError(() => h.client.send(new DescribeExportCommand({ ExportArn: arn })));
    expect(d).toMatchObject({ name: 'ExportNotFoundException', message: `Export not found: ${arn}` });
  });
});

describe('global tables, replica auto scaling and resource policies (one region, no resource policies)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'solo',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => h.close());

  it('ListGlobalTables is empty; DescribeGlobalTable finds none; CreateGlobalTable is refused', async () => {
    expect((await h.client.send(new ListGlobalTablesCommand({}))).GlobalTables).toEqual([]);
    expect(
      await awsError(() => h.client.send(new DescribeGlobalTableCommand({ GlobalTableName: 'solo' }))),
    ).toMatchObject({
      name: 'GlobalTableNotFoundException',
      message: 'Global table not found: solo',
    });
    const create = await awsError(() =>
      h.client.send(
        new CreateGlobalTableCommand({ GlobalTableName: 'solo', ReplicationGroup: [{ RegionName: 'eu-west-1' }] }),
      ),
    );
    expect(create.name).toBe('ValidationException');
    expect(create.message).toMatch(/CreateGlobalTable is not available: .*single region/);
  });

  it('DescribeTableReplicaAutoScaling describes no replicas', async () => {
    const out = await h.client.send(new DescribeTableReplicaAutoScalingCommand({ TableName: 'solo' }));
    expect(out.TableAutoScalingDescription).toEqual({ TableName: 'solo', TableStatus: 'ACTIVE', Replicas: [] });
  });

  it('no table has a resource policy, and PutResourcePolicy is refused (it would not be enforced)', async () => {
    const resource = `${ARN}/solo`;
    expect(await awsError(() => h.client.send(new GetResourcePolicyCommand({ ResourceArn: resource })))).toMatchObject({
      name: 'PolicyNotFoundException',
      message: `Resource-based policy not found for the provided ResourceArn: ${resource}`,
    });
    const put = await awsError(() =>
      h.client.send(
        new PutResourcePolicyCommand({ ResourceArn: resource, Policy: '{"Version":"2012-10-17","Statement":[]}' }),
      ),
    );
    expect(put.name).toBe('ValidationException');
    expect(put.message).toMatch(/does not enforce resource-based policies/);
    expect(
      (await awsError(() => h.client.send(new GetResourcePolicyCommand({ ResourceArn: `${ARN}/gone` })))).name,
    ).toBe('ResourceNotFoundException');
  });
});

describe('DescribeEndpoints on a real server', () => {
  let server: SynclineServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = await createServer({ dir: fixtureApp('orders-ddb'), port: 0, data: ':memory:', log: 'silent' });
    client = new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('names localhost when the server listens on every interface', async () => {
    const wide = await createServer({
      dir: fixtureApp('orders-ddb'),
      port: 0,
      host: '0.0.0.0',
      data: ':memory:',
      log: 'silent',
    });
    const c = new DynamoDBClient({
      endpoint: wide.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      const out = await c.send(new DescribeEndpointsCommand({}));
      expect(out.Endpoints?.[0].Address).toBe(`localhost:${new URL(wide.endpoints.dynamodb!).port}`);
    } finally {
      c.destroy();
      await wide.close();
    }
  });

  it('answers the host:port the server listens on, cached a day', async () => {
    const out = await client.send(new DescribeEndpointsCommand({}));
    expect(out.Endpoints).toEqual([{ Address: new URL(server.endpoints.dynamodb!).host, CachePeriodInMinutes: 1440 }]);
  });
});
