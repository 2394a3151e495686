// The app's AWS_IAM credentials (AppSync callers) at the AWS APIs' door, driven by the AWS SDK's own client: known
// to the door, so errors about the signature are precise, but granted no DynamoDB access.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { ALICE } from '../auth/helpers.js';
import { fixtureApp } from '../helpers/server.js';

let verified: SynclineServer;
let open: SynclineServer;
beforeAll(async () => {
  verified = await createServer({
    dir: fixtureApp('auth-iam'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    requireSignatures: true,
  });
  open = await createServer({ dir: fixtureApp('auth-iam'), port: 0, data: ':memory:', log: 'silent' });
});
afterAll(async () => {
  await verified.close();
  await open.close();
});

const client = (
  server: SynclineServer,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region = 'eu-west-1',
) => new DynamoDBClient({ endpoint: server.endpoints.dynamodb, region, credentials, maxAttempts: 1 });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the request to fail');
}

describe("the app's AWS_IAM credentials at the door", () => {
  it('are recognized but refused DynamoDB: an AppSync caller is not a table client', async () => {
    const denied = await failure(client(verified, ALICE).send(new ListTablesCommand({})));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(denied.message).toBe(
      'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action',
    );
  });

  it('answers DynamoDB errors for unknown keys, wrong secrets, other regions and unsigned requests', async () => {
    const unknown = await failure(
      client(verified, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' }).send(new ListTablesCommand({})),
    );
    expect(unknown.name).toBe('UnrecognizedClientException');
    expect(unknown.$metadata.httpStatusCode).toBe(400);
    const wrong = await failure(
      client(verified, { ...ALICE, secretAccessKey: 'nope' }).send(new ListTablesCommand({})),
    );
    expect(wrong.name).toBe('InvalidSignatureException');
    const region = await failure(client(verified, ALICE, 'us-west-2').send(new ListTablesCommand({})));
    expect(region.name).toBe('InvalidSignatureException');

    const res = await fetch(verified.endpoints.dynamodb!, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  });

  it('is off by default, like DynamoDB Local', async () => {
    const out = await client(open, { accessKeyId: 'AKIAANYTHING00000000', secretAccessKey: 'x' }).send(
      new ListTablesCommand({}),
    );
    expect(out.TableNames).toEqual([]);
  });
});
