// Hostile bodies for every control-plane action added here: each answers 200 or an AWS-shaped 400, never a 500,
// and the server keeps serving.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness } from '../harness.js';

const ACTIONS = [
  'DescribeEndpoints',
  'DescribeLimits',
  'DescribeKinesisStreamingDestination',
  'EnableKinesisStreamingDestination',
  'DescribeContributorInsights',
  'UpdateContributorInsights',
  'ListContributorInsights',
  'ExportTableToPointInTime',
  'DescribeExport',
  'ListExports',
  'ImportTable',
  'DescribeImport',
  'ListImports',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'RestoreTableToPointInTime',
  'CreateBackup',
  'DescribeBackup',
  'ListBackups',
  'DeleteBackup',
  'RestoreTableFromBackup',
  'ListGlobalTables',
  'CreateGlobalTable',
  'DescribeGlobalTable',
  'DescribeGlobalTableSettings',
  'UpdateGlobalTable',
  'DescribeTableReplicaAutoScaling',
  'UpdateTableReplicaAutoScaling',
  'GetResourcePolicy',
  'PutResourcePolicy',
  'DeleteResourcePolicy',
  'StartBulkPutItems',
  'DescribeBulkOperation',
  'ListBulkOperations',
  'SearchVectors',
];

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/hostile';
const value = fc.oneof(
  fc.constantFrom('hostile', 'nope', ARN, `${ARN}/backup/01700000000000-0a1b2c3d`, '', 'a', '__proto__'),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
const field = fc.constantFrom(
  'TableName',
  'IndexName',
  'BackupArn',
  'BackupName',
  'TargetTableName',
  'SourceTableName',
  'SourceTableArn',
  'RestoreDateTime',
  'UseLatestRestorableTime',
  'TableArn',
  'S3Bucket',
  'ExportArn',
  'ContributorInsightsAction',
  'PointInTimeRecoverySpecification',
  'GlobalSecondaryIndexOverride',
  'TimeRangeLowerBound',
  'ExclusiveStartBackupArn',
  'NextToken',
  'MaxResults',
  'Limit',
  'StreamArn',
  'GlobalTableName',
  'ResourceArn',
  'Policy',
  'SearchVector',
  'BulkOperationArn',
  'InputS3Configuration',
);

describe('hostile control-plane requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await rawRequest(h.endpoint, 'CreateTable', {
      TableName: 'hostile',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await rawRequest(h.endpoint, 'UpdateContinuousBackups', {
      TableName: 'hostile',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
  afterAll(() => h.close());

  it('answer 200 or an AWS-shaped 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTIONS),
        fc.oneof(fc.dictionary(field, value, { maxKeys: 5 }), fc.jsonValue()),
        async (action, body) => {
          const res = await rawRequest(h.endpoint, action, body);
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) {
            expect(String(res.json.__type)).toMatch(/#[A-Za-z]+Exception$/);
            expect(typeof res.json.message).toBe('string');
          }
        },
      ),
      { numRuns: 400 },
    );
    const alive = await rawRequest(h.endpoint, 'DescribeLimits', {});
    expect(alive.status).toBe(200);
  }, 60_000);
});
