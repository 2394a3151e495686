// `start`'s console: off unless enabled; enabled, every /_console request needs HTTP Basic with an operator
// credential, and the operator's IAM policies still decide what its DynamoDB calls may do.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorCredential } from '../../src/auth/operatorCredentials.js';
import type { SynclineServer } from '../../src/index.js';
import { consoleApi, startConsoleApp } from './helpers.js';

const reader: OperatorCredential = {
  name: 'reader',
  accessKeyId: 'AKIACONSOLEREADER001',
  secretAccessKey: 'reader-secret-0123456789abcdef',
  policies: [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:DescribeTable'],
          Resource: 'arn:aws:dynamodb:*:*:table/console-items',
        },
      ],
    },
  ],
};

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

describe('console: operators', () => {
  let server: SynclineServer;
  beforeAll(async () => {
    server = await startConsoleApp({
      console: 'operators',
      mode: 'start',
      credentials: [reader],
      requireSignatures: true,
      localIssuer: false,
    });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
  });

  it('answers 401 with a Basic challenge without a credential, or with a wrong one', async () => {
    for (const headers of [{}, basic(reader.accessKeyId, 'wrong-secret-0123456789abcd'), basic('AKIAUNKNOWN', 'x')]) {
      const res = await consoleApi(server, headers).get('app');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Basic');
      expect(res.body.errors[0].errorType).toBe('UnauthorizedException');
    }
    // The pages too, not only the API.
    expect((await fetch(`${server.endpoints.http}/_console/`)).status).toBe(401);
  });

  it('serves an operator, who sees the server run as start with no token issuer', async () => {
    const api = consoleApi(server, basic(reader.accessKeyId, reader.secretAccessKey));
    const { status, body } = await api.get('app');
    expect(status).toBe(200);
    expect(body.mode).toBe('start');
    expect(body.issuer).toBe(false);
    expect((await api.post('token', { sub: 'alice' })).status).toBe(404);
  });

  it("holds the operator's DynamoDB calls to its policies", async () => {
    const api = consoleApi(server, basic(reader.accessKeyId, reader.secretAccessKey));
    const target = (op: string) => ({ 'x-amz-target': `DynamoDB_20120810.${op}` });
    const put = await api.post(
      'aws/dynamodb',
      { TableName: 'console-items', Item: { id: { S: 'x' } } },
      target('PutItem'),
    );
    expect(put.status).toBe(400);
    expect(put.body.__type).toContain('AccessDeniedException');
    expect(put.body.Message).toContain('user/reader is not authorized to perform: dynamodb:PutItem');
    const get = await api.post(
      'aws/dynamodb',
      { TableName: 'console-items', Key: { id: { S: 'x' } } },
      target('GetItem'),
    );
    expect(get.status).toBe(200);
    expect(get.body).toEqual({});
    const other = await api.post('aws/dynamodb', { TableName: 'other', Key: { id: { S: 'x' } } }, target('GetItem'));
    expect(other.body.__type).toContain('AccessDeniedException');
  });

  it('leaves the signed DynamoDB endpoint as strict as before', async () => {
    // A request with the console's Basic header but no signature, at the server's own DynamoDB endpoint.
    const res = await fetch(`${server.endpoints.dynamodb}/`, {
      method: 'POST',
      headers: {
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'content-type': 'application/x-amz-json-1.0',
        ...basic(reader.accessKeyId, reader.secretAccessKey),
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).__type).toMatch(/IncompleteSignature|MissingAuthenticationToken/);
    const client = new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: reader.accessKeyId, secretAccessKey: reader.secretAccessKey },
    });
    try {
      await expect(
        client.send(new PutItemCommand({ TableName: 'console-items', Item: { id: { S: 'y' } } })),
      ).rejects.toThrow(/not authorized/);
    } finally {
      client.destroy();
    }
  });
});

describe('console: off', () => {
  it('serves nothing at /_console or /', async () => {
    const server = await startConsoleApp({ console: 'off', consoleDist: '/nonexistent' });
    try {
      const api = await consoleApi(server).get('app');
      expect(api.status).toBe(404);
      expect(api.body.errors[0].message).toBe('No route for this path.');
      expect((await fetch(`${server.endpoints.http}/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
