// The DynamoDB Streams API (DescribeStream, GetShardIterator, ListStreams) through the real streams client,
// against a full server (the tables harness serves DynamoDB only).
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as streams from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';

let server: SynclineServer;
let db: DynamoDBClient;
let client: streams.DynamoDBStreamsClient;
let orders: string;

const send = (action: string, input: Record<string, unknown>): Promise<any> => {
  const Command = (streams as unknown as Record<string, new (i: unknown) => any>)[`${action}Command`];
  return client.send(new Command(input));
};
const failure = async (action: string, input: Record<string, unknown>) => {
  try {
    await send(action, input);
  } catch (e: any) {
    return { name: e.name as string, message: e.message as string };
  }
  throw new Error('expected the call to fail');
};

beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('streams'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    ttlSweepIntervalMs: 0,
  });
  const options = {
    endpoint: server.endpoints.http,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  };
  db = new DynamoDBClient(options);
  client = new streams.DynamoDBStreamsClient(options);
  orders = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table!.LatestStreamArn!;
});
afterAll(async () => {
  db.destroy();
  client.destroy();
  await server.close();
});

const unknownArn = () => orders.replace('table/Orders/', 'table/Nowhere/');

describe('DynamoDB Streams conformance', () => {
  it('DescribeStream lists shards in lexical shard-id order', async () => {
    const { StreamDescription } = await send('DescribeStream', { StreamArn: orders });
    const ids = StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids).toEqual([...ids].sort());
  });

  it('DescribeStream pages with Limit and ExclusiveStartShardId in that order', async () => {
    const all = (await send('DescribeStream', { StreamArn: orders })).StreamDescription.Shards.map(
      (s: any) => s.ShardId,
    );
    const first = (await send('DescribeStream', { StreamArn: orders, Limit: 1 })).StreamDescription;
    expect(first.Shards.map((s: any) => s.ShardId)).toEqual([all[0]]);
    expect(first.LastEvaluatedShardId).toBe(all[0]);
    const rest = (await send('DescribeStream', { StreamArn: orders, ExclusiveStartShardId: all[0] })).StreamDescription;
    expect(rest.Shards.map((s: any) => s.ShardId)).toEqual(all.slice(1));
  });

  for (const [action, extra] of [
    ['DescribeStream', {}],
    ['GetShardIterator', { ShardId: `shardId-${'0'.repeat(20)}-00000000`, ShardIteratorType: 'LATEST' }],
  ] as const) {
    it(`${action} with a malformed stream ARN is "Invalid StreamArn"`, async () => {
      expect(await failure(action, { StreamArn: 'fake-stream', ...extra })).toEqual({
        name: 'ValidationException',
        message: 'Invalid StreamArn',
      });
      expect(
        await failure(action, { StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/index/x', ...extra }),
      ).toEqual({ name: 'ValidationException', message: 'Invalid StreamArn' });
    });

    it(`${action} with a well-formed unknown stream ARN is ResourceNotFoundException`, async () => {
      expect(await failure(action, { StreamArn: unknownArn(), ...extra })).toEqual({
        name: 'ResourceNotFoundException',
        message: `Requested resource not found: Stream: ${unknownArn()} not found`,
      });
    });
  }

  it('GetShardIterator without ShardIteratorType names the member', async () => {
    const { ShardId } = (await send('DescribeStream', { StreamArn: orders })).StreamDescription.Shards[0];
    expect(await failure('GetShardIterator', { StreamArn: orders, ShardId })).toEqual({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null",
    });
  });

  it('GetShardIterator on an unknown shard', async () => {
    expect(
      await failure('GetShardIterator', {
        StreamArn: orders,
        ShardId: `shardId-${'0'.repeat(20)}-00000000`,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    ).toEqual({ name: 'ResourceNotFoundException', message: 'Requested resource not found: Shard does not exist' });
  });

  it('ListStreams pages in stream-ARN order and continues after an unknown ExclusiveStartStreamArn', async () => {
    const all = (await send('ListStreams', {})).Streams.map((s: { StreamArn: string }) => s.StreamArn);
    expect(all).toEqual([...all].sort());
    const page = await send('ListStreams', { Limit: 2 });
    expect(page.Streams.map((s: any) => s.StreamArn)).toEqual(all.slice(0, 2));
    expect(page.LastEvaluatedStreamArn).toBe(all[1]);
    // An ARN between the first and second (the first's table with a later label) continues at the second.
    const between = `${all[0]}0`;
    const after = await send('ListStreams', { ExclusiveStartStreamArn: between });
    expect(after.Streams.map((s: any) => s.StreamArn)).toEqual(all.filter((a: string) => a > between));
    expect(after.Streams.map((s: any) => s.StreamArn)).toEqual(all.slice(1));
  });

  it('ListStreams with a malformed ExclusiveStartStreamArn', async () => {
    expect(
      await failure('ListStreams', { ExclusiveStartStreamArn: 'not-an-arn-but-long-enough-to-pass-length' }),
    ).toEqual({
      name: 'ValidationException',
      message: 'Invalid StreamArn',
    });
  });
});
