// PartiQL writes are ordinary table writes: each lands in the table's stream with its images, through the real
// server and the real DynamoDB Streams client.
import {
  DescribeTableCommand,
  DynamoDBClient,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../../src/index.js';
import { startFixture } from '../../helpers/server.js';

describe('PartiQL writes in the stream', () => {
  let server: SynclineServer;
  const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
  beforeAll(async () => {
    server = await startFixture('streams');
  });
  afterAll(() => server.close());

  it('INSERT, UPDATE and DELETE record INSERT, MODIFY and REMOVE with their images', async () => {
    const db = new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    const streams = new DynamoDBStreamsClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Orders" VALUE {'id': 'pq1', 'n': 1}` }));
    await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "Orders" SET n = n + 1 WHERE id = 'pq1'` }));
    await db.send(
      new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `DELETE FROM "Orders" WHERE id = 'pq1'` }] }),
    );
    const table = await db.send(new DescribeTableCommand({ TableName: 'Orders' }));
    const StreamArn = table.Table!.LatestStreamArn!;
    const shards = (await streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!.Shards!;
    const records = [];
    for (const shard of shards) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const out = await streams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(out.Records ?? []).filter((r) => r.dynamodb?.Keys?.id?.S === 'pq1'));
    }
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records[1].dynamodb?.OldImage?.n).toEqual({ N: '1' });
    expect(records[1].dynamodb?.NewImage?.n).toEqual({ N: '2' });
    db.destroy();
    streams.destroy();
  });
});
