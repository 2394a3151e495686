// Regression: the DynamoDB Streams API ignored the signature requirement the DynamoDB API honoured, so an
// unsigned GetRecords returned a table's items. Every AWS API now passes the same door.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('streams-functions'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    // The option's former name, which the door keeps meaning.
    verifyDynamoDBSignatures: true,
  });
});
afterAll(() => server?.close());

const unsigned = (target: string, body: unknown) =>
  fetch(server.endpoints.dynamodb!, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify(body),
  });

describe('the DynamoDB Streams API behind the door', () => {
  it('refuses unsigned ListStreams, DescribeStream, GetShardIterator and GetRecords', async () => {
    // A function's own credentials write an item, so the stream holds a record to steal.
    const fn = server.functions.credentials()[0];
    const db = new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: server.app.region,
      credentials: fn,
      maxAttempts: 1,
    });
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'secret' } } }));

    const arn = `arn:aws:dynamodb:${server.app.region}:000000000000:table/Orders/stream/any`;
    for (const [operation, body] of [
      ['ListStreams', {}],
      ['DescribeStream', { StreamArn: arn }],
      ['GetShardIterator', { StreamArn: arn, ShardId: 'shardId-1', ShardIteratorType: 'TRIM_HORIZON' }],
      ['GetRecords', { ShardIterator: 'anything' }],
    ] as const) {
      const res = await unsigned(`DynamoDBStreams_20120810.${operation}`, body);
      expect({ operation, status: res.status, body: await res.json() }).toEqual({
        operation,
        status: 400,
        body: {
          __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
          message: 'Request is missing Authentication Token',
        },
      });
    }
  });
});
