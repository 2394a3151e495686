// The door of the AWS APIs (auth/awsApiDoor.ts, server/awsJsonApi.ts), spoken to with the real AWS SDK v3 clients:
// signatures required, credentials identified, their IAM policies enforced per request.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorCredential } from '../../src/auth/operatorCredentials.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const ordersArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Orders`;

const ADMIN: OperatorCredential = {
  name: 'ops',
  accessKeyId: 'AKIADOORADMIN0000001',
  secretAccessKey: 'door-admin-secret',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
};
/** May read and write Orders and read its stream; nothing else. */
const ORDERS_ONLY: OperatorCredential = {
  name: 'orders-service',
  accessKeyId: 'AKIADOORSCOPED000002',
  secretAccessKey: 'door-scoped-secret',
  policies: [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
          Resource: [ordersArn, `${ordersArn}/index/*`],
        },
        { Effect: 'Allow', Action: ['dynamodb:DescribeStream'], Resource: `${ordersArn}/stream/*` },
      ],
    },
  ],
};
/** Allowed everything, then denied DeleteTable: an explicit deny wins. */
const NO_DELETE: OperatorCredential = {
  name: 'careful',
  accessKeyId: 'AKIADOORNODELETE0003',
  secretAccessKey: 'door-careful-secret',
  policies: [
    {
      Statement: [
        { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
        { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
      ],
    },
  ],
};

let server: SynclineServer;
let open: SynclineServer;
beforeAll(async () => {
  const base = { dir: fixtureApp('streams-functions'), port: 0, data: ':memory:', log: 'silent' as const };
  server = await createServer({ ...base, requireSignatures: true, credentials: [ADMIN, ORDERS_ONLY, NO_DELETE] });
  open = await createServer(base);
});
afterAll(async () => {
  await server?.close();
  await open?.close();
});

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const db = (credentials: Creds, on = server) =>
  new DynamoDBClient({ endpoint: on.endpoints.dynamodb, region: REGION, credentials, maxAttempts: 1 });
const streams = (credentials: Creds) =>
  new DynamoDBStreamsClient({ endpoint: server.endpoints.dynamodb, region: REGION, credentials, maxAttempts: 1 });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the request to fail');
}

describe('requireSignatures', () => {
  it('refuses unsigned requests on DynamoDB and DynamoDB Streams', async () => {
    for (const target of ['DynamoDB_20120810.ListTables', 'DynamoDBStreams_20120810.ListStreams']) {
      const res = await fetch(server.endpoints.dynamodb!, {
        method: 'POST',
        headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
        message: 'Request is missing Authentication Token',
      });
    }
  });

  it('refuses an unknown key and a wrong secret, on both APIs', async () => {
    const unknown = { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' };
    const wrong = { ...ADMIN, secretAccessKey: 'not-the-secret' };
    const a = await failure(db(unknown).send(new ListTablesCommand({})));
    expect([a.name, a.$metadata.httpStatusCode]).toEqual(['UnrecognizedClientException', 400]);
    const b = await failure(db(wrong).send(new ListTablesCommand({})));
    expect([b.name, b.$metadata.httpStatusCode]).toEqual(['InvalidSignatureException', 400]);
    const c = await failure(streams(wrong).send(new ListStreamsCommand({})));
    expect(c.name).toBe('InvalidSignatureException');
    const d = await failure(streams(unknown).send(new ListStreamsCommand({})));
    expect(d.name).toBe('UnrecognizedClientException');
  });

  it('lets an administrator credential do anything', async () => {
    const admin = db(ADMIN);
    expect((await admin.send(new ListTablesCommand({}))).TableNames).toEqual(['Audit', 'Failures', 'Orders']);
    await admin.send(
      new CreateTableCommand({
        TableName: 'Scratch',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await admin.send(new DeleteTableCommand({ TableName: 'Scratch' }));
    expect((await streams(ADMIN).send(new ListStreamsCommand({}))).Streams?.map((s) => s.TableName)).toEqual([
      'Orders',
    ]);
  });

  it('allows a scoped credential on its table and refuses it elsewhere, with AWS words', async () => {
    const scoped = db(ORDERS_ONLY);
    await scoped.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o-1' } } }));
    const got = await scoped.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'o-1' } } }));
    expect(got.Item).toEqual({ id: { S: 'o-1' } });

    const other = await failure(scoped.send(new GetItemCommand({ TableName: 'Audit', Key: { id: { S: 'x' } } })));
    expect([other.name, other.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(other.message).toBe(
      `User: arn:aws:iam::${ACCOUNT}:user/orders-service is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Audit because no identity-based policy allows the dynamodb:GetItem action`,
    );
    const drop = await failure(scoped.send(new DeleteTableCommand({ TableName: 'Orders' })));
    expect(drop.name).toBe('AccessDeniedException');
    expect(drop.message).toContain(`dynamodb:DeleteTable on resource: ${ordersArn}`);
    const scan = await failure(scoped.send(new ScanCommand({ TableName: 'Orders' })));
    expect(scan.name).toBe('AccessDeniedException');
    const list = await failure(scoped.send(new ListTablesCommand({})));
    expect(list.message).toContain('dynamodb:ListTables on resource: *');
    // The table is still there: the refused DeleteTable did nothing.
    expect((await db(ADMIN).send(new ListTablesCommand({}))).TableNames).toContain('Orders');

    const { StreamArn } = (await streams(ADMIN).send(new ListStreamsCommand({}))).Streams![0];
    const described = await streams(ORDERS_ONLY).send(new DescribeStreamCommand({ StreamArn }));
    expect(described.StreamDescription?.TableName).toBe('Orders');
    const listStreams = await failure(streams(ORDERS_ONLY).send(new ListStreamsCommand({})));
    expect(listStreams.name).toBe('AccessDeniedException');
  });

  it('lets an explicit Deny win over an Allow', async () => {
    const careful = db(NO_DELETE);
    expect((await careful.send(new ListTablesCommand({}))).TableNames).toContain('Orders');
    const drop = await failure(careful.send(new DeleteTableCommand({ TableName: 'Failures' })));
    expect(drop.name).toBe('AccessDeniedException');
    expect(drop.message).toContain('with an explicit deny');
  });

  it("scopes the functions' injected credentials to the app's own tables and streams", async () => {
    const fn = server.functions.credentials().find((c) => c.functionName === 'audit')!;
    const asFunction = db(fn);
    await asFunction.send(new PutItemCommand({ TableName: 'Failures', Item: { id: { S: 'f-1' } } }));
    expect((await asFunction.send(new ListTablesCommand({}))).TableNames).toContain('Orders');
    const drop = await failure(asFunction.send(new DeleteTableCommand({ TableName: 'Orders' })));
    expect(drop.name).toBe('AccessDeniedException');
    expect(drop.message).toContain(`User: ${fn.assumedRoleArn} is not authorized to perform: dynamodb:DeleteTable`);
    const create = await failure(
      asFunction.send(
        new CreateTableCommand({
          TableName: 'Elsewhere',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
    );
    expect(create.name).toBe('AccessDeniedException');
    // A session token that is not the function's is not the function.
    const forged = await failure(db({ ...fn, sessionToken: 'forged' }).send(new ListTablesCommand({})));
    expect(forged.name).toBe('UnrecognizedClientException');
  });

  it('lets a stream-triggered function write with its own credentials, through the door', async () => {
    await db(ADMIN).send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'through-the-door' } } }));
    let audited: unknown[] = [];
    for (let i = 0; i < 200 && audited.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const items = (await db(ADMIN).send(new ScanCommand({ TableName: 'Audit' }))).Items ?? [];
      audited = items.filter((item) => item.id.S?.startsWith('through-the-door#'));
    }
    expect(audited).toHaveLength(1);
  });
});

describe('without requireSignatures (syncline dev)', () => {
  it('stays open, like DynamoDB Local: any credentials, any table', async () => {
    const anyone = db({ accessKeyId: 'AKIAANYTHING00000000', secretAccessKey: 'x' }, open);
    expect((await anyone.send(new ListTablesCommand({}))).TableNames).toEqual(['Audit', 'Failures', 'Orders']);
    const res = await fetch(open.endpoints.dynamodb!, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDBStreams_20120810.ListStreams', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });
});
