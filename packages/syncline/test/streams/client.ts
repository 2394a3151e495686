// Real AWS SDK clients against a test server, and a helper that reads a whole stream through the Streams API.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { SynclineServer } from '../../src/index.js';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

export function clients(server: SynclineServer) {
  const endpoint = server.endpoints.http;
  return {
    db: new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
    streams: new DynamoDBStreamsClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
  };
}

/** Every record of the stream, shard by shard from TRIM_HORIZON, in each shard's order. */
export async function readStream(streams: DynamoDBStreamsClient, streamArn: string): Promise<_Record[][]> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const out: _Record[][] = [];
  for (const shard of StreamDescription!.Shards!) {
    const records: _Record[] = [];
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (;;) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      records.push(...(page.Records ?? []));
      if (!page.Records?.length || !page.NextShardIterator) break;
      iterator = page.NextShardIterator;
    }
    out.push(records);
  }
  return out;
}
