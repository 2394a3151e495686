// The IAM scopes of the control-plane actions added for backups, restores, exports, imports and Contributor
// Insights: what the AWS API door checks before the engine runs them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dynamodbRequestScope, type RequestScope } from '../../../src/auth/awsRequestScope.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const arn = (table: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
const scope = (operation: string, body: unknown) => dynamodbRequestScope(operation, body, REGION, ACCOUNT);
const one = (action: string, ...resources: string[]): RequestScope[] => [{ action, resources }];
const backup = `${arn('Orders')}/backup/01700000000000-a1b2c3d4`;

describe('control-plane IAM scopes', () => {
  it.each([
    'CreateBackup',
    'DescribeContinuousBackups',
    'UpdateContinuousBackups',
    'DescribeKinesisStreamingDestination',
  ])('%s is checked on the table it names', (operation) => {
    expect(scope(operation, { TableName: 'Orders' })).toEqual(one(`dynamodb:${operation}`, arn('Orders')));
  });

  it.each(['DescribeContributorInsights', 'UpdateContributorInsights'])(
    '%s is checked on the table, or on the index it names',
    (operation) => {
      expect(scope(operation, { TableName: 'Orders' })).toEqual(one(`dynamodb:${operation}`, arn('Orders')));
      expect(scope(operation, { TableName: 'Orders', IndexName: 'byDate' })).toEqual(
        one(`dynamodb:${operation}`, `${arn('Orders')}/index/byDate`),
      );
    },
  );

  it.each([
    'DescribeLimits',
    'DescribeEndpoints',
    'ListBackups',
    'ListContributorInsights',
    'ListExports',
    'ListImports',
  ])('%s has no resource type: *', (operation) => {
    expect(scope(operation, { TableName: 'Orders' })).toEqual(one(`dynamodb:${operation}`, '*'));
  });

  it.each(['DescribeBackup', 'DeleteBackup'])('%s is checked on the backup ARN', (operation) => {
    expect(scope(operation, { BackupArn: backup })).toEqual(one(`dynamodb:${operation}`, backup));
    expect(scope(operation, { BackupArn: `${arn('Orders')}/backup/../../x` })).toEqual(
      one(`dynamodb:${operation}`, '*'),
    );
  });

  it('RestoreTableFromBackup is checked on the backup and on the table it creates', () => {
    expect(scope('RestoreTableFromBackup', { BackupArn: backup, TargetTableName: 'Copy' })).toEqual(
      one('dynamodb:RestoreTableFromBackup', backup, arn('Copy')),
    );
  });

  it('RestoreTableToPointInTime is checked on the source (name or ARN) and the target', () => {
    expect(scope('RestoreTableToPointInTime', { SourceTableName: 'Orders', TargetTableName: 'Copy' })).toEqual(
      one('dynamodb:RestoreTableToPointInTime', arn('Orders'), arn('Copy')),
    );
    expect(scope('RestoreTableToPointInTime', { SourceTableArn: arn('Orders'), TargetTableName: 'Copy' })).toEqual(
      one('dynamodb:RestoreTableToPointInTime', arn('Orders'), arn('Copy')),
    );
  });

  it('exports are checked on the table ARN, imports on the table they would create', () => {
    expect(scope('ExportTableToPointInTime', { TableArn: arn('Orders'), S3Bucket: 'b' })).toEqual(
      one('dynamodb:ExportTableToPointInTime', arn('Orders')),
    );
    expect(scope('ImportTable', { TableCreationParameters: { TableName: 'New' } })).toEqual(
      one('dynamodb:ImportTable', arn('New')),
    );
    const exportArn = `${arn('Orders')}/export/01700000000000-a1b2c3d4`;
    expect(scope('DescribeExport', { ExportArn: exportArn })).toEqual(one('dynamodb:DescribeExport', exportArn));
  });

  it('global tables are checked on their global-table ARN; resource policies on ResourceArn', () => {
    expect(scope('DescribeGlobalTable', { GlobalTableName: 'Orders' })).toEqual(
      one('dynamodb:DescribeGlobalTable', `arn:aws:dynamodb::${ACCOUNT}:global-table/Orders`),
    );
    expect(scope('CreateGlobalTable', { GlobalTableName: '../x' })).toEqual(one('dynamodb:CreateGlobalTable', '*'));
    expect(scope('GetResourcePolicy', { ResourceArn: arn('Orders') })).toEqual(
      one('dynamodb:GetResourcePolicy', arn('Orders')),
    );
    expect(scope('DescribeTableReplicaAutoScaling', { TableName: 'Orders' })).toEqual(
      one('dynamodb:DescribeTableReplicaAutoScaling', arn('Orders')),
    );
  });

  it('never throws and never comes back empty on hostile bodies', () => {
    const ops = [
      'DescribeBackup',
      'DeleteBackup',
      'RestoreTableFromBackup',
      'RestoreTableToPointInTime',
      'ExportTableToPointInTime',
      'DescribeExport',
      'DescribeImport',
      'ImportTable',
      'UpdateContributorInsights',
      'CreateGlobalTable',
      'DescribeGlobalTable',
      'PutResourcePolicy',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.anything(), (op, body) => {
        const out = scope(op, body);
        expect(out.length).toBeGreaterThan(0);
        for (const s of out) expect(s.resources.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
