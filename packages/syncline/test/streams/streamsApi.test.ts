import {
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { encodeIterator } from '../../src/tables/streams/iterators.js';
import { fixtureApp } from '../helpers/server.js';
import { clients, readStream } from './client.js';

let server: SynclineServer;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('streams'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    ttlSweepIntervalMs: 0,
  });
  c = clients(server);
});
afterAll(async () => {
  c.db.destroy();
  c.streams.destroy();
  await server.close();
});

const arnOf = async (table: string) =>
  (await c.db.send(new DescribeTableCommand({ TableName: table }))).Table!.LatestStreamArn!;

const flat = async (table: string) => (await readStream(c.streams, await arnOf(table))).flat();

describe('stream ARNs and discovery', () => {
  it('DescribeTable reports the stream ARN, label and specification; ListStreams lists every stream', async () => {
    const { Table } = await c.db.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(Table!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table!.LatestStreamLabel).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    expect(Table!.LatestStreamArn).toBe(
      `arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/${Table!.LatestStreamLabel}`,
    );
    const plain = await c.db.send(new DescribeTableCommand({ TableName: 'Plain' }));
    expect(plain.Table!.LatestStreamArn).toBeUndefined();

    const all = await c.streams.send(new ListStreamsCommand({}));
    expect(all.Streams!.map((s) => s.TableName).sort()).toEqual(['KeysOnly', 'NewOnly', 'OldOnly', 'Orders']);
    const one = await c.streams.send(new ListStreamsCommand({ TableName: 'Orders' }));
    expect(one.Streams).toEqual([
      { StreamArn: Table!.LatestStreamArn, TableName: 'Orders', StreamLabel: Table!.LatestStreamLabel },
    ]);
    const paged = await c.streams.send(new ListStreamsCommand({ Limit: 3 }));
    expect(paged.Streams).toHaveLength(3);
    const rest = await c.streams.send(
      new ListStreamsCommand({ Limit: 3, ExclusiveStartStreamArn: paged.LastEvaluatedStreamArn }),
    );
    expect(rest.Streams).toHaveLength(1);
    expect(rest.LastEvaluatedStreamArn).toBeUndefined();
  });

  it('DescribeStream lists open shards with their sequence number ranges', async () => {
    const arn = await arnOf('Orders');
    const { StreamDescription: d } = await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(d).toMatchObject({
      StreamArn: arn,
      StreamStatus: 'ENABLED',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      TableName: 'Orders',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    expect(d!.CreationRequestDateTime).toBeInstanceOf(Date);
    expect(d!.Shards!.length).toBeGreaterThan(0);
    for (const shard of d!.Shards!) {
      expect(shard.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
      expect(shard.SequenceNumberRange!.StartingSequenceNumber).toMatch(/^\d{21}$/);
      expect(shard.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();
    }
  });
});

describe('records of every view type', () => {
  it('NEW_AND_OLD_IMAGES: INSERT, MODIFY and REMOVE in DynamoDB Streams shape', async () => {
    const before = Math.floor(Date.now() / 1000);
    await c.db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o1' }, status: { S: 'NEW' } } }));
    await c.db.send(
      new UpdateItemCommand({
        TableName: 'Orders',
        Key: { id: { S: 'o1' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'PAID' } },
      }),
    );
    await c.db.send(new DeleteItemCommand({ TableName: 'Orders', Key: { id: { S: 'o1' } } }));
    const records = (await flat('Orders')).filter((r) => r.dynamodb!.Keys!.id.S === 'o1');
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    expect(insert).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: { id: { S: 'o1' } },
        NewImage: { id: { S: 'o1' }, status: { S: 'NEW' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(insert.dynamodb!.OldImage).toBeUndefined();
    expect(insert.userIdentity).toBeUndefined();
    expect(insert.dynamodb!.SizeBytes).toBeGreaterThan(0);
    expect(insert.dynamodb!.ApproximateCreationDateTime!.getTime() / 1000).toBeGreaterThanOrEqual(before);
    expect(modify.dynamodb!.OldImage).toEqual({ id: { S: 'o1' }, status: { S: 'NEW' } });
    expect(modify.dynamodb!.NewImage).toEqual({ id: { S: 'o1' }, status: { S: 'PAID' } });
    expect(remove.dynamodb!.OldImage).toEqual({ id: { S: 'o1' }, status: { S: 'PAID' } });
    expect(remove.dynamodb!.NewImage).toBeUndefined();
    const seqs = records.map((r) => r.dynamodb!.SequenceNumber!);
    expect(seqs.every((s) => /^\d{21}$/.test(s))).toBe(true);
    expect([...seqs].sort()).toEqual(seqs);
    expect(BigInt(seqs[0]) < BigInt(seqs[1]) && BigInt(seqs[1]) < BigInt(seqs[2])).toBe(true);
    expect(new Set(records.map((r) => r.eventID)).size).toBe(3);
  });

  it('NEW_IMAGE, OLD_IMAGE and KEYS_ONLY carry only their images', async () => {
    for (const table of ['NewOnly', 'KeysOnly']) {
      await c.db.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'a' }, v: { N: '1' } } }));
      await c.db.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'a' }, v: { N: '2' } } }));
      await c.db.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'a' } } }));
    }
    await c.db.send(
      new PutItemCommand({ TableName: 'OldOnly', Item: { id: { S: 'a' }, n: { N: '7' }, v: { N: '1' } } }),
    );
    await c.db.send(
      new PutItemCommand({ TableName: 'OldOnly', Item: { id: { S: 'a' }, n: { N: '7' }, v: { N: '2' } } }),
    );
    await c.db.send(new DeleteItemCommand({ TableName: 'OldOnly', Key: { id: { S: 'a' }, n: { N: '7' } } }));

    const images = (rs: Awaited<ReturnType<typeof flat>>) =>
      rs.map((r) => [r.eventName, r.dynamodb!.NewImage?.v?.N ?? null, r.dynamodb!.OldImage?.v?.N ?? null]);
    const newOnly = await flat('NewOnly');
    expect(images(newOnly)).toEqual([
      ['INSERT', '1', null],
      ['MODIFY', '2', null],
      ['REMOVE', null, null],
    ]);
    expect(newOnly.every((r) => r.dynamodb!.StreamViewType === 'NEW_IMAGE')).toBe(true);
    const oldOnly = await flat('OldOnly');
    expect(images(oldOnly)).toEqual([
      ['INSERT', null, null],
      ['MODIFY', null, '1'],
      ['REMOVE', null, '2'],
    ]);
    expect(oldOnly[0].dynamodb!.Keys).toEqual({ id: { S: 'a' }, n: { N: '7' } });
    const keysOnly = await flat('KeysOnly');
    expect(images(keysOnly)).toEqual([
      ['INSERT', null, null],
      ['MODIFY', null, null],
      ['REMOVE', null, null],
    ]);
    expect(keysOnly.map((r) => r.dynamodb!.Keys)).toEqual([{ id: { S: 'a' } }, { id: { S: 'a' } }, { id: { S: 'a' } }]);
  });

  it('a write that changes nothing records nothing', async () => {
    const item = { id: { S: 'same' }, n: { N: '1.0' }, tags: { SS: ['a', 'b'] } };
    await c.db.send(new PutItemCommand({ TableName: 'NewOnly', Item: item }));
    await c.db.send(
      new PutItemCommand({ TableName: 'NewOnly', Item: { ...item, n: { N: '1' }, tags: { SS: ['b', 'a'] } } }),
    );
    await c.db.send(new DeleteItemCommand({ TableName: 'NewOnly', Key: { id: { S: 'absent' } } }));
    const records = (await flat('NewOnly')).filter(
      (r) => r.dynamodb!.Keys!.id.S === 'same' || r.dynamodb!.Keys!.id.S === 'absent',
    );
    expect(records.map((r) => r.eventName)).toEqual(['INSERT']);
  });

  it('a table without a stream records nothing and writes still work', async () => {
    await c.db.send(new PutItemCommand({ TableName: 'Plain', Item: { id: { S: 'p' } } }));
    const all = await c.streams.send(new ListStreamsCommand({ TableName: 'Plain' }));
    expect(all.Streams).toEqual([]);
  });
});

describe('ordering', () => {
  it("keeps each item's records in write order under concurrent writers", async () => {
    const keys = ['k1', 'k2', 'k3'];
    const writers = 8;
    const perWriter = 15;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < perWriter; i++) {
          await c.db.send(
            new UpdateItemCommand({
              TableName: 'KeysOnly',
              Key: { id: { S: keys[i % keys.length] } },
              UpdateExpression: 'ADD v :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            }),
          );
        }
      }),
    );
    // KEYS_ONLY has no images; read the counter order through a NEW_AND_OLD_IMAGES table too.
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < perWriter; i++) {
          await c.db.send(
            new UpdateItemCommand({
              TableName: 'Orders',
              Key: { id: { S: `ord-${keys[i % keys.length]}` } },
              UpdateExpression: 'ADD v :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            }),
          );
        }
      }),
    );
    const shards = await readStream(c.streams, await arnOf('Orders'));
    for (const key of keys) {
      const holding = shards.filter((s) => s.some((r) => r.dynamodb!.Keys!.id.S === `ord-${key}`));
      expect(holding).toHaveLength(1);
      const versions = holding[0]
        .filter((r) => r.dynamodb!.Keys!.id.S === `ord-${key}`)
        .map((r) => [Number(r.dynamodb!.OldImage?.v?.N ?? 0), Number(r.dynamodb!.NewImage!.v.N)]);
      expect(versions.length).toBe((writers * perWriter) / keys.length);
      versions.forEach(([before, after], i) => {
        expect(before).toBe(i);
        expect(after).toBe(i + 1);
      });
    }
    for (const shard of shards) {
      const seqs = shard.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
      for (let i = 1; i < seqs.length; i++) expect(seqs[i] > seqs[i - 1]).toBe(true);
    }
  });
});

describe('shard iterators', () => {
  it('LATEST, AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER position a reader', async () => {
    const arn = await arnOf('NewOnly');
    await c.db.send(new PutItemCommand({ TableName: 'NewOnly', Item: { id: { S: 'it' }, v: { N: '1' } } }));
    const all = (await readStream(c.streams, arn)).find((s) => s.some((r) => r.dynamodb!.Keys!.id.S === 'it'))!;
    const { StreamDescription } = await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const shards = await readStream(c.streams, arn);
    const shardId =
      StreamDescription!.Shards![shards.indexOf(shards.find((s) => s.some((r) => r.dynamodb!.Keys!.id.S === 'it'))!)]
        .ShardId!;
    const latest = await c.streams.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
    );
    const empty = await c.streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator }));
    expect(empty.Records).toEqual([]);
    expect(empty.NextShardIterator).toBeTruthy();
    await c.db.send(new PutItemCommand({ TableName: 'NewOnly', Item: { id: { S: 'it' }, v: { N: '2' } } }));
    const next = await c.streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
    expect(next.Records!.map((r) => r.dynamodb!.NewImage!.v.N)).toEqual(['2']);

    const target = all[all.length - 1].dynamodb!.SequenceNumber!;
    const at = await c.streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: target,
      }),
    );
    const fromAt = await c.streams.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator }));
    expect(fromAt.Records![0].dynamodb!.SequenceNumber).toBe(target);
    const after = await c.streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: shardId,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        SequenceNumber: target,
      }),
    );
    const fromAfter = await c.streams.send(new GetRecordsCommand({ ShardIterator: after.ShardIterator, Limit: 1 }));
    expect(fromAfter.Records).toHaveLength(1);
    expect(BigInt(fromAfter.Records![0].dynamodb!.SequenceNumber!) > BigInt(target)).toBe(true);
  });
});

describe('errors', () => {
  const error = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as { name: string; message: string };
    }
    throw new Error('expected an error');
  };

  it('answers unknown streams and shards with ResourceNotFoundException', async () => {
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/Nope/stream/2024-01-01T00:00:00.000';
    const e1 = await error(c.streams.send(new DescribeStreamCommand({ StreamArn: missing })));
    expect(e1.name).toBe('ResourceNotFoundException');
    expect(e1.message).toBe(`Requested resource not found: Stream: ${missing} not found`);
    const e2 = await error(
      c.streams.send(
        new GetShardIteratorCommand({
          StreamArn: await arnOf('Orders'),
          ShardId: 'shardId-00000000000000000000-00000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      ),
    );
    expect(e2.name).toBe('ResourceNotFoundException');
    expect(e2.message).toBe('Requested resource not found: Shard does not exist');
  });

  it('validates requests with ValidationException', async () => {
    const arn = await arnOf('Orders');
    const { StreamDescription } = await c.streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const shardId = StreamDescription!.Shards![0].ShardId!;
    const it0 = await c.streams.send(
      new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
    );
    const tooMany = await error(
      c.streams.send(new GetRecordsCommand({ ShardIterator: it0.ShardIterator, Limit: 1001 })),
    );
    expect(tooMany.name).toBe('ValidationException');
    expect(tooMany.message).toBe(
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    const garbage = await error(c.streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })));
    expect(garbage.name).toBe('ValidationException');
    const noSeq = await error(
      c.streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' }),
      ),
    );
    expect(noSeq.name).toBe('ValidationException');
    const badType = await error(
      c.streams.send(
        new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'OLDEST' as never }),
      ),
    );
    expect(badType.message).toContain(
      "at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set",
    );
  });

  it('expires iterators after 15 minutes with ExpiredIteratorException', async () => {
    const arn = await arnOf('Orders');
    const stale = encodeIterator({
      streamArn: arn,
      shardKey: '0',
      after: 0,
      issuedAt: Date.now() - 16 * 60_000,
      horizon: true,
    });
    const e = await error(c.streams.send(new GetRecordsCommand({ ShardIterator: stale })));
    expect(e.name).toBe('ExpiredIteratorException');
  });
});

describe('time to live', () => {
  it('keeps expired items readable until swept, then emits REMOVE with the service identity', async () => {
    const past = String(Math.floor(Date.now() / 1000) - 60);
    const future = String(Math.floor(Date.now() / 1000) + 3600);
    await c.db.send(
      new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'ttl-old' }, expiresAt: { N: past } } }),
    );
    await c.db.send(
      new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'ttl-new' }, expiresAt: { N: future } } }),
    );
    const still = await c.db.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'ttl-old' } } }));
    expect(still.Item).toBeDefined();

    expect(server.sweepTtl()).toBe(1);
    const gone = await c.db.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'ttl-old' } } }));
    expect(gone.Item).toBeUndefined();
    const kept = await c.db.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'ttl-new' } } }));
    expect(kept.Item).toBeDefined();

    const records = (await flat('Orders')).filter((r) => r.dynamodb!.Keys!.id.S === 'ttl-old');
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(records[0].userIdentity).toBeUndefined();
    expect(records[1].userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    expect(records[1].dynamodb!.OldImage).toEqual({ id: { S: 'ttl-old' }, expiresAt: { N: past } });
  });

  it('a user delete carries no userIdentity', async () => {
    await c.db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'user-del' } } }));
    await c.db.send(new DeleteItemCommand({ TableName: 'Orders', Key: { id: { S: 'user-del' } } }));
    const records = (await flat('Orders')).filter((r) => r.dynamodb!.Keys!.id.S === 'user-del');
    expect(records[1].eventName).toBe('REMOVE');
    expect(records[1].userIdentity).toBeUndefined();
  });

  it('the background sweeper deletes expired items on its interval', async () => {
    const fast = await createServer({
      dir: fixtureApp('streams'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      ttlSweepIntervalMs: 20,
    });
    const fc = clients(fast);
    try {
      const past = String(Math.floor(Date.now() / 1000) - 1);
      await fc.db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'bg' }, expiresAt: { N: past } } }));
      for (let i = 0; i < 200; i++) {
        const got = await fc.db.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'bg' } } }));
        if (!got.Item) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the sweeper did not delete the expired item');
    } finally {
      fc.db.destroy();
      fc.streams.destroy();
      await fast.close();
    }
  });
});
