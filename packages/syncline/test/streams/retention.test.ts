import { describe, expect, it } from 'vitest';
import { createTableEngine, type DynamoDBError, openSqliteStorage } from '../../src/tables/index.js';
import { createStreamRecorder, createStreamsApi, trimStreams } from '../../src/tables/streams/index.js';

const HOUR = 3600_000;

function setup() {
  let clock = Date.now() - 30 * HOUR;
  const now = () => clock;
  const storage = openSqliteStorage(':memory:');
  const recorder = createStreamRecorder({ now });
  const engine = createTableEngine({ storage, onChange: recorder.onChange, now });
  const api = createStreamsApi({ storage, now });
  engine.createTable({
    TableName: 'Tbl',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  });
  const arn = (engine.describeTable({ TableName: 'Tbl' }).Table as { LatestStreamArn: string }).LatestStreamArn;
  return { storage, engine, api, arn, advance: (ms: number) => (clock += ms), now };
}

const shardsOf = (api: ReturnType<typeof createStreamsApi>, arn: string) =>
  (api.execute('DescribeStream', { StreamArn: arn }).StreamDescription as { Shards: Array<Record<string, any>> })
    .Shards;

function thrown(fn: () => unknown): DynamoDBError {
  try {
    fn();
  } catch (e) {
    return e as DynamoDBError;
  }
  throw new Error('expected an error');
}

describe('24 hour retention', () => {
  it('trims records older than 24 hours; positions behind the trim get TrimmedDataAccessException', () => {
    const { storage, engine, api, arn, advance, now } = setup();
    engine.putItem({ TableName: 'Tbl', Item: { id: { S: 'a' }, v: { N: '1' } } });
    const shard = shardsOf(api, arn).find((s) => {
      const it = api.execute('GetShardIterator', {
        StreamArn: arn,
        ShardId: s.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
      return (api.execute('GetRecords', it).Records as unknown[]).length > 0;
    })!;
    const oldIterator = api.execute('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    const first = (
      api.execute('GetRecords', oldIterator).Records as Array<{ dynamodb: { SequenceNumber: string } }>
    )[0];
    advance(25 * HOUR);
    // Iterators live 15 minutes: these are taken just before the trim.
    const afterFirst = api.execute('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'LATEST',
    });
    const pinned = api.execute('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      SequenceNumber: first.dynamodb.SequenceNumber,
    });
    engine.putItem({ TableName: 'Tbl', Item: { id: { S: 'a' }, v: { N: '2' } } });
    expect(trimStreams(storage, now())).toBe(1);

    const at = thrown(() =>
      api.execute('GetShardIterator', {
        StreamArn: arn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: first.dynamodb.SequenceNumber,
      }),
    );
    expect(at.type).toBe('TrimmedDataAccessException');
    // An iterator still pointing at the trimmed record fails; one past it still reads.
    expect(thrown(() => api.execute('GetRecords', pinned)).type).toBe('TrimmedDataAccessException');
    expect(
      (api.execute('GetRecords', afterFirst).Records as Array<{ dynamodb: { NewImage: { v: { N: string } } } }>).map(
        (r) => r.dynamodb.NewImage.v.N,
      ),
    ).toEqual(['2']);
    // TRIM_HORIZON follows the horizon.
    const horizon = api.execute('GetShardIterator', {
      StreamArn: arn,
      ShardId: shard.ShardId,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    expect((api.execute('GetRecords', horizon).Records as unknown[]).length).toBe(1);
    expect(shard.SequenceNumberRange.StartingSequenceNumber).toBe(first.dynamodb.SequenceNumber);
    const described = shardsOf(api, arn).find((s) => s.ShardId === shard.ShardId)!;
    expect(BigInt(described.SequenceNumberRange.StartingSequenceNumber) > BigInt(first.dynamodb.SequenceNumber)).toBe(
      true,
    );
  });

  it('disabling the stream closes its shards, which stay readable to the end', () => {
    const { engine, api, arn } = setup();
    engine.putItem({ TableName: 'Tbl', Item: { id: { S: 'a' } } });
    engine.updateTable({ TableName: 'Tbl', StreamSpecification: { StreamEnabled: false } });
    const d = api.execute('DescribeStream', { StreamArn: arn }).StreamDescription as Record<string, any>;
    expect(d.StreamStatus).toBe('DISABLED');
    let read = 0;
    for (const shard of d.Shards) {
      expect(shard.SequenceNumberRange.EndingSequenceNumber).toMatch(/^\d{21}$/);
      let iterator: unknown = api.execute('GetShardIterator', {
        StreamArn: arn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }).ShardIterator;
      for (let guard = 0; iterator && guard < 5; guard++) {
        const page = api.execute('GetRecords', { ShardIterator: iterator });
        read += (page.Records as unknown[]).length;
        iterator = page.NextShardIterator;
      }
      expect(iterator).toBeUndefined();
    }
    expect(read).toBe(1);
    engine.putItem({ TableName: 'Tbl', Item: { id: { S: 'b' } } });
    expect(api.execute('ListStreams', {}).Streams).toEqual([
      { StreamArn: arn, TableName: 'Tbl', StreamLabel: arn.split('/stream/')[1] },
    ]);
  });
});
