import { expect } from 'vitest';
import { conformance } from './runner.js';

const table = (TableName: string, extra: Record<string, unknown> = {}) => ({
  TableName,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  ...extra,
});

conformance('DeleteTable', [
  {
    name: 'the description is the short one DynamoDB gives for a table being deleted',
    before: [
      [
        'CreateTable',
        table('dt_provisioned', { ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }),
      ],
    ],
    input: { TableName: 'dt_provisioned' },
    output: (out) => {
      const d = out.TableDescription;
      expect(d.TableStatus).toBe('DELETING');
      expect(d.TableName).toBe('dt_provisioned');
      expect(d.ProvisionedThroughput).toEqual({
        NumberOfDecreasesToday: 0,
        ReadCapacityUnits: 3,
        WriteCapacityUnits: 4,
      });
      expect(d.ItemCount).toBe(0);
      expect(d.TableSizeBytes).toBe(0);
      expect(d.TableArn).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/dt_provisioned');
      for (const absent of ['KeySchema', 'AttributeDefinitions', 'CreationDateTime', 'GlobalSecondaryIndexes'])
        expect(d[absent]).toBeUndefined();
    },
  },
  {
    name: 'an on-demand table keeps its billing summary',
    before: [['CreateTable', table('dt_ondemand', { BillingMode: 'PAY_PER_REQUEST' })]],
    input: { TableName: 'dt_ondemand' },
    output: (out) => expect(out.TableDescription.BillingModeSummary.BillingMode).toBe('PAY_PER_REQUEST'),
  },
  {
    name: 'an unknown table',
    input: { TableName: 'dt_never' },
    error: 'ResourceNotFoundException',
    message: 'Requested resource not found: Table: dt_never not found',
  },
]);
