import { afterEach, describe, expect, it } from 'vitest';
import { type MappingHarness, mappingHarness, streamEvent, until } from './mappingHarness.js';

let h: MappingHarness;
afterEach(async () => {
  await h?.close();
});

const ids = (event: any) => event.Records.map((r: any) => r.dynamodb.Keys.id.S as string);

describe('stream event source mappings', () => {
  it('delivers every write in per-key order, across shards and parallel lanes', async () => {
    h = mappingHarness();
    const seen = new Map<string, number[]>();
    h.start([{ event: streamEvent({ parallelizationFactor: 3, batchSize: 7 }) }], {
      fn: async (event: any) => {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        for (const r of event.Records) {
          const id = r.dynamodb.Keys.id.S;
          seen.set(id, [...(seen.get(id) ?? []), Number(r.dynamodb.NewImage.v.N)]);
        }
      },
    });
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    for (let v = 1; v <= 10; v++) for (const k of keys) h.put(k, { v });
    await until(() => keys.every((k) => seen.get(k)?.length === 10));
    for (const k of keys) expect(seen.get(k)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("passes Lambda's DynamoDB event shape with eventSourceARN", async () => {
    h = mappingHarness();
    const events: any[] = [];
    h.start([{ event: streamEvent() }], { fn: (e) => void events.push(e) });
    h.put('a', { v: 1 });
    await until(() => events.length === 1);
    const arn = (h.engine.describeTable({ TableName: 'Items' }).Table as any).LatestStreamArn;
    const [record] = events[0].Records;
    expect(Object.keys(events[0])).toEqual(['Records']);
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      eventSourceARN: arn,
      dynamodb: {
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, v: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(typeof record.dynamodb.ApproximateCreationDateTime).toBe('number');
    expect(record.dynamodb.SequenceNumber).toMatch(/^\d{21}$/);
    expect(record.userIdentity).toBeUndefined();
  });

  it('TTL deletions reach the function as REMOVE with the service identity, and a filter can select them', async () => {
    h = mappingHarness();
    h.engine.updateTimeToLive({ TableName: 'Items', TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } });
    const got: any[] = [];
    const ttlOnly = { userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } };
    h.start([{ event: streamEvent({ filterPatterns: [ttlOnly] }) }], { fn: (e) => void got.push(...e.Records) });
    h.put('expired', { exp: Math.floor(Date.now() / 1000) - 10 });
    h.put('user-deleted', {});
    h.engine.deleteItem({ TableName: 'Items', Key: { id: { S: 'user-deleted' } } });
    expect(h.engine.sweepExpiredItems()).toBe(1);
    await until(() => got.length >= 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toHaveLength(1);
    expect(got[0].eventName).toBe('REMOVE');
    expect(got[0].dynamodb.Keys).toEqual({ id: { S: 'expired' } });
    expect(got[0].userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('a poison record goes through retries and bisection to the onFailure function while the shard proceeds', async () => {
    h = mappingHarness();
    const delivered: string[] = [];
    const attemptsOnPoison: number[] = [];
    const failures: any[] = [];
    h.start(
      [
        {
          event: streamEvent({ batchSize: 8, maximumRetryAttempts: 2, bisectBatchOnFunctionError: true }),
          onFailure: { function: 'dlq' },
        },
      ],
      {
        fn: (event: any) => {
          const batch = ids(event);
          if (batch.some((id: string) => id.startsWith('poison'))) {
            attemptsOnPoison.push(batch.length);
            throw Object.assign(new Error('cannot process'), { name: 'PoisonError' });
          }
          delivered.push(...batch);
        },
        dlq: (payload) => void failures.push(payload),
      },
    );
    // All on one partition key prefix would spread over shards; the poison's shard is what matters.
    const keys = ['a', 'b', 'c', 'poison', 'd', 'e', 'f', 'g'];
    for (const k of keys) h.put(k);
    await until(() => failures.length === 1 && delivered.length === keys.length - 1);
    h.put('later');
    await until(() => delivered.includes('later'));
    expect([...delivered].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'later']);
    // The single-record batch holding the poison was tried once and retried twice.
    expect(attemptsOnPoison.filter((n) => n === 1)).toHaveLength(3);
    const arn = (h.engine.describeTable({ TableName: 'Items' }).Table as any).LatestStreamArn;
    expect(failures[0]).toMatchObject({
      requestContext: {
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
        condition: 'RetryAttemptsExhausted',
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'PoisonError' },
      version: '1.0',
      DDBStreamBatchInfo: { batchSize: 1, streamArn: arn },
    });
    const info = failures[0].DDBStreamBatchInfo;
    expect(info.startSequenceNumber).toBe(info.endSequenceNumber);
    expect(info.shardId).toMatch(/^shardId-/);
    expect(failures[0].requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(3);
  });

  it('writes the failure metadata to an onFailure table', async () => {
    h = mappingHarness();
    h.start([{ event: streamEvent({ maximumRetryAttempts: 0 }), onFailure: { tableName: 'Failures' } }], {
      fn: () => {
        throw new Error('always');
      },
    });
    h.put('x');
    await until(() => ((h.engine.scan({ TableName: 'Failures' }).Items as unknown[]) ?? []).length === 1);
    const [item] = h.engine.scan({ TableName: 'Failures' }).Items as any[];
    expect(item.requestContext.M.condition).toEqual({ S: 'RetryAttemptsExhausted' });
    expect(item.DDBStreamBatchInfo.M.batchSize).toEqual({ N: '1' });
    expect(item.id.S).toContain(item.DDBStreamBatchInfo.M.startSequenceNumber.S);
  });

  it('ReportBatchItemFailures checkpoints at the lowest failed record and retries from it', async () => {
    h = mappingHarness();
    const keys = sameShardKeys(h, 6);
    const batches: string[][] = [];
    h.start([{ event: streamEvent({ reportBatchItemFailures: true, batchSize: 10 }) }], {
      fn: (event: any) => {
        batches.push(ids(event));
        if (batches.length > 1) return { batchItemFailures: [] };
        const seq = (k: string) => event.Records.find((r: any) => r.dynamodb.Keys.id.S === k).dynamodb.SequenceNumber;
        return { batchItemFailures: [{ itemIdentifier: seq(keys[4]) }, { itemIdentifier: seq(keys[2]) }] };
      },
    });
    // One transaction: the six records are in the shard together and form one batch.
    h.storage.transaction(() => {
      for (const k of keys) h.put(k);
    });
    await until(() => batches.length >= 2);
    await new Promise((r) => setTimeout(r, 30));
    expect(batches).toEqual([keys, keys.slice(2)]);
  });

  it('an invalid batchItemFailures identifier fails the whole batch', async () => {
    h = mappingHarness();
    const keys = sameShardKeys(h, 3);
    const batches: string[][] = [];
    h.start([{ event: streamEvent({ reportBatchItemFailures: true }) }], {
      fn: (event: any) => {
        batches.push(ids(event));
        return batches.length === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : null;
      },
    });
    h.storage.transaction(() => {
      for (const k of keys) h.put(k);
    });
    await until(() => batches.length >= 2);
    expect(batches).toEqual([keys, keys]);
  });

  it('filter patterns drop non-matching records and advance past them', async () => {
    h = mappingHarness();
    const got: string[] = [];
    const pattern = {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { NewImage: { status: { S: [{ prefix: 'ERR' }] }, n: { N: [{ numeric: ['>', 10] }] } } },
    };
    const mappings = h.start([{ event: streamEvent({ filterPatterns: [pattern] }) }], {
      fn: (e) => void got.push(...ids(e)),
    });
    h.put('a', { status: 'OK', n: 50 });
    h.put('b', { status: 'ERROR', n: 5 });
    h.put('c', { status: 'ERROR', n: 50 });
    h.put('d', { status: 'ERR_TIMEOUT', n: 11 });
    h.engine.deleteItem({ TableName: 'Items', Key: { id: { S: 'c' } } });
    await until(() => got.length >= 2);
    await new Promise((r) => setTimeout(r, 30));
    expect(got.sort()).toEqual(['c', 'd']);
    await mappings.close();
    // After a restart nothing already handled or dropped comes back.
    const again: string[] = [];
    h.start([{ event: streamEvent({ filterPatterns: [pattern] }) }], { fn: (e) => void again.push(...ids(e)) });
    h.put('e', { status: 'ERR', n: 99 });
    await until(() => again.length >= 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(again).toEqual(['e']);
  });

  it('resumes from its durable checkpoint after a restart: at least once, nothing skipped', async () => {
    h = mappingHarness();
    const first: string[] = [];
    const m1 = h.start([{ event: streamEvent({ batchSize: 5 }) }], { fn: (e) => void first.push(...ids(e)) });
    for (let i = 0; i < 20; i++) h.put(`r${i}`);
    await until(() => first.length === 20);
    await m1.close();
    for (let i = 20; i < 40; i++) h.put(`r${i}`);
    const second: string[] = [];
    h.start([{ event: streamEvent({ batchSize: 5 }) }], { fn: (e) => void second.push(...ids(e)) });
    await until(() => second.length >= 20);
    expect(second.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${i + 20}`).sort());
  });

  it('LATEST starts after what the stream held when the mapping was created; disabled mappings deliver nothing', async () => {
    h = mappingHarness();
    h.put('before');
    const latest: string[] = [];
    const off: string[] = [];
    h.start(
      [
        { event: streamEvent({ startingPosition: 'LATEST' }), functionName: 'latest', id: 'latest' },
        { event: streamEvent({ enabled: false }), functionName: 'off', id: 'off' },
      ],
      { latest: (e) => void latest.push(...ids(e)), off: (e) => void off.push(...ids(e)) },
    );
    await new Promise((r) => setTimeout(r, 20));
    h.put('after');
    await until(() => latest.length === 1);
    expect(latest).toEqual(['after']);
    expect(off).toEqual([]);
  });

  it('records older than maximumRecordAgeInSeconds go to the destination without being retried', async () => {
    let clock = Date.now() - 2 * 3600_000;
    h = mappingHarness({ now: () => clock });
    h.put('old');
    clock = Date.now();
    const failures: any[] = [];
    let calls = 0;
    h.start([{ event: streamEvent({ maximumRecordAgeInSeconds: 60 }), onFailure: { function: 'dlq' } }], {
      fn: () => void calls++,
      dlq: (p) => void failures.push(p),
    });
    await until(() => failures.length === 1);
    expect(failures[0].requestContext.condition).toBe('RecordAgeExceeded');
    expect(calls).toBe(0);
  });

  it('gathers a batch over the batching window', async () => {
    h = mappingHarness();
    const keys = sameShardKeys(h, 3);
    const batches: string[][] = [];
    h.start([{ event: streamEvent({ batchSize: 50, maximumBatchingWindowInSeconds: 1 }) }], {
      fn: (e) => void batches.push(ids(e)),
    });
    h.put(keys[0]);
    await new Promise((r) => setTimeout(r, 50));
    h.put(keys[1]);
    h.put(keys[2]);
    await until(() => batches.length > 0, 4000);
    expect(batches).toEqual([keys]);
  });

  it('tumbling windows carry state between invocations and close with a final invocation', async () => {
    h = mappingHarness();
    const calls: any[] = [];
    h.start([{ event: streamEvent({ tumblingWindowInSeconds: 1 }) }], {
      fn: (e: any) => {
        calls.push(e);
        const count = (e.state.count ?? 0) + e.Records.length;
        return { state: { count } };
      },
    });
    const keys = sameShardKeys(h, 4);
    h.put(keys[0]);
    h.put(keys[1]);
    await until(() => calls.length >= 1);
    h.put(keys[2]);
    h.put(keys[3]);
    await until(() => calls.some((c) => c.isFinalInvokeForWindow), 5000);
    const finals = calls.filter((c) => c.isFinalInvokeForWindow);
    await until(() => calls.filter((c) => c.isFinalInvokeForWindow).reduce((n, c) => n + c.state.count, 0) === 4, 5000);
    for (const c of calls) {
      expect(c.window.start).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(Date.parse(c.window.end) - Date.parse(c.window.start)).toBe(1000);
      expect(c.shardId).toMatch(/^shardId-/);
      expect(c.eventSourceARN).toContain('/stream/');
      expect(c.isWindowTerminatedEarly).toBe(false);
    }
    expect(finals[0].Records).toEqual([]);
    // Within a window each invocation sees the state the previous one returned.
    const byWindow = new Map<string, any[]>();
    for (const c of calls) byWindow.set(c.window.start, [...(byWindow.get(c.window.start) ?? []), c]);
    for (const group of byWindow.values()) {
      let expected = 0;
      for (const c of group) {
        expect(c.state.count ?? 0).toBe(expected);
        expected += c.Records.length;
      }
    }
  });
});

/** `n` keys whose records land in one shard (found by writing probes to a scratch table with the same sharding). */
function sameShardKeys(h: MappingHarness, n: number): string[] {
  const { shardKeyOf } = shardModule;
  const table = JSON.parse(h.storage.transaction((tx) => tx.getTable('Items'))!);
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const id = `s${i}`;
    if (shardKeyOf(table, { id: { S: id } }) === '0') out.push(id);
  }
  return out;
}

import * as shardModule from '../../src/tables/streams/shards.js';
