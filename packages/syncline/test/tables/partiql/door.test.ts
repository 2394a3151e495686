// PartiQL at the AWS APIs' door of a real Syncline server: IAM scopes per statement verb (dynamodb:PartiQLSelect,
// PartiQLInsert, PartiQLUpdate, PartiQLDelete on the table or index), and the AWS CLI's `execute-statement`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, ExecuteStatementCommand, ExecuteTransactionCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorCredential } from '../../../src/auth/operatorCredentials.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';
import { awsError } from '../harness.js';

const run = promisify(execFile);
const REGION = 'us-east-1';
const ordersArn = `arn:aws:dynamodb:${REGION}:000000000000:table/Orders`;

/** May read and insert into Orders (and read its indexes) with PartiQL; nothing else. */
const READ_INSERT: OperatorCredential = {
  name: 'partiql-reader',
  accessKeyId: 'AKIAPARTIQLREADER001',
  secretAccessKey: 'partiql-reader-secret',
  policies: [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:PartiQLSelect', 'dynamodb:PartiQLInsert'],
          Resource: [ordersArn, `${ordersArn}/index/*`],
        },
      ],
    },
  ],
};

async function hasAwsCli(): Promise<boolean> {
  try {
    await run('aws', ['--version'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

describe('PartiQL through the door', () => {
  let server: SynclineServer;
  let open: SynclineServer;
  let cli = false;
  beforeAll(async () => {
    const base = { dir: fixtureApp('orders-ddb'), port: 0, data: ':memory:', log: 'silent' as const };
    server = await createServer({ ...base, requireSignatures: true, credentials: [READ_INSERT] });
    open = await createServer(base);
    cli = await hasAwsCli();
  });
  afterAll(async () => {
    await server?.close();
    await open?.close();
  });

  const client = () =>
    new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: REGION,
      credentials: READ_INSERT,
      maxAttempts: 1,
    });

  it('allows the verbs a policy grants on the table and its indexes, and refuses the others', async () => {
    const db = client();
    await db.send(
      new ExecuteStatementCommand({
        Statement: `INSERT INTO "Orders" VALUE {'id': 'o1', 'customer': 'c1', 'createdAt': 5}`,
      }),
    );
    const byIndex = await db.send(
      new ExecuteStatementCommand({ Statement: `SELECT id FROM "Orders"."byCustomer" WHERE customer = 'c1'` }),
    );
    expect(byIndex.Items).toEqual([{ id: { S: 'o1' } }]);
    const update = await awsError(() =>
      db.send(new ExecuteStatementCommand({ Statement: `UPDATE "Orders" SET n = 1 WHERE id = 'o1'` })),
    );
    expect(update.name).toBe('AccessDeniedException');
    expect(update.message).toContain(`dynamodb:PartiQLUpdate on resource: ${ordersArn}`);
    const tx = await awsError(() =>
      db.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM "Orders" WHERE id = 'o1')` },
            { Statement: `DELETE FROM "Orders" WHERE id = 'o1'` },
          ],
        }),
      ),
    );
    expect(tx.name).toBe('AccessDeniedException');
    expect(tx.message).toContain('dynamodb:PartiQLDelete');
    await db.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `EXISTS(SELECT * FROM "Orders" WHERE id = 'o1')` },
          { Statement: `INSERT INTO "Orders" VALUE {'id': 'o2'}` },
        ],
      }),
    );
    db.destroy();
  });

  it('answers `aws dynamodb execute-statement` (skipped without the AWS CLI)', async (t) => {
    if (!cli) t.skip();
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIAANYTHING00000000',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const cliRun = (...args: string[]) =>
      run('aws', ['dynamodb', ...args, '--endpoint-url', open.endpoints.dynamodb!, '--output', 'json'], {
        env,
        timeout: 60_000,
      });
    await cliRun('execute-statement', '--statement', `INSERT INTO "Orders" VALUE {'id': 'cli1', 'total': 12}`);
    const { stdout } = await cliRun(
      'execute-statement',
      '--statement',
      'SELECT total FROM "Orders" WHERE id = ?',
      '--parameters',
      '[{"S": "cli1"}]',
    );
    expect(JSON.parse(stdout)).toEqual({ Items: [{ total: { N: '12' } }] });
    const dup = await cliRun('execute-statement', '--statement', `INSERT INTO "Orders" VALUE {'id': 'cli1'}`).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    expect(dup).toContain('DuplicateItemException');
    expect(dup).toContain('Duplicate primary key exists in table');
  }, 120_000);
});
