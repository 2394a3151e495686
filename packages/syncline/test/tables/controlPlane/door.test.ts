// The AWS API door on the new control-plane actions, with signed requests from the real SDK: a credential allowed
// backups of one table only can back it up and restore into a name it is allowed, and nothing else.
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  DescribeLimitsCommand,
  DynamoDBClient,
  ListBackupsCommand,
  RestoreTableFromBackupCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorCredential } from '../../../src/auth/operatorCredentials.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';

const table = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;

const BACKUPS_OF_ORDERS: OperatorCredential = {
  name: 'backup-operator',
  accessKeyId: 'AKIABACKUPOPERATOR01',
  secretAccessKey: 'backup-operator-secret',
  policies: [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:CreateBackup', 'dynamodb:DescribeBackup', 'dynamodb:RestoreTableFromBackup'],
          Resource: [table('Orders'), `${table('Orders')}/backup/*`, table('OrdersRestored')],
        },
        { Effect: 'Allow', Action: ['dynamodb:ListBackups', 'dynamodb:DescribeLimits'], Resource: '*' },
      ],
    },
  ],
};

describe('the AWS API door on control-plane actions', () => {
  let server: SynclineServer;
  let client: DynamoDBClient;
  beforeAll(async () => {
    server = await createServer({
      dir: fixtureApp('streams-functions'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      requireSignatures: true,
      credentials: [BACKUPS_OF_ORDERS],
    });
    client = new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: BACKUPS_OF_ORDERS,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  });

  const denied = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (e) {
      return (e as Error).name;
    }
    return 'allowed';
  };

  it('allows what the policy names, on the resources it names', async () => {
    expect((await client.send(new DescribeLimitsCommand({}))).TableMaxReadCapacityUnits).toBe(40000);
    const b = await client.send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'door' }));
    const arn = b.BackupDetails!.BackupArn!;
    expect((await client.send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription).toBeDefined();
    expect((await client.send(new ListBackupsCommand({}))).BackupSummaries).toHaveLength(1);
    const restored = await client.send(
      new RestoreTableFromBackupCommand({ TargetTableName: 'OrdersRestored', BackupArn: arn }),
    );
    expect(restored.TableDescription?.TableName).toBe('OrdersRestored');
    // Restoring into a table name the policy does not name is refused before anything happens.
    expect(
      await denied(client.send(new RestoreTableFromBackupCommand({ TargetTableName: 'Elsewhere', BackupArn: arn }))),
    ).toBe('AccessDeniedException');
  });

  it('refuses other tables and other actions', async () => {
    expect(await denied(client.send(new CreateBackupCommand({ TableName: 'Audit', BackupName: 'nope' })))).toBe(
      'AccessDeniedException',
    );
    expect(
      await denied(
        client.send(
          new UpdateContinuousBackupsCommand({
            TableName: 'Orders',
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ),
      ),
    ).toBe('AccessDeniedException');
  });
});
