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
]);
