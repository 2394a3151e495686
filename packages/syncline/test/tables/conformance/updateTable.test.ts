import { conformance, invalid } from './runner.js';

const provisioned = {
  TableName: 'ut_provisioned',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
};

conformance('UpdateTable', [
  invalid(
    'the same provisioned throughput again',
    { TableName: 'ut_provisioned', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } },
    'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    { before: [['CreateTable', provisioned]] },
  ),
  invalid(
    'the same throughput with BillingMode PROVISIONED restated',
    {
      TableName: 'ut_provisioned',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    },
    /^The provisioned throughput for the table will not change\./,
  ),
  {
    name: 'a changed throughput is applied',
    input: { TableName: 'ut_provisioned', ProvisionedThroughput: { ReadCapacityUnits: 6, WriteCapacityUnits: 5 } },
  },
  invalid(
    'a two-character table name',
    { TableName: 'ab', BillingMode: 'PAY_PER_REQUEST' },
    "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
  ),
  invalid(
    'disabling a stream the table does not have',
    { TableName: 'ut_provisioned', StreamSpecification: { StreamEnabled: false } },
    'Table has no stream to disable: TableName: ut_provisioned',
  ),
  invalid(
    'enabling a stream without a view type',
    { TableName: 'ut_provisioned', StreamSpecification: { StreamEnabled: true } },
    'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
  ),
  {
    name: 'enabling a stream',
    input: { TableName: 'ut_provisioned', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
  },
  invalid(
    'enabling it again',
    { TableName: 'ut_provisioned', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } },
    'Table already has an enabled stream: TableName: ut_provisioned',
  ),
  invalid(
    'disabling with a view type',
    { TableName: 'ut_provisioned', StreamSpecification: { StreamEnabled: false, StreamViewType: 'KEYS_ONLY' } },
    'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
  ),
  invalid(
    'nothing to update',
    { TableName: 'ut_provisioned' },
    'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required',
  ),
]);
