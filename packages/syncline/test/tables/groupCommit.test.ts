// Group commit (docs/decisions/0004-group-commit.md): requests of one event-loop turn share a commit, yet each
// keeps DynamoDB's semantics on its own and none is acknowledged before it is on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createTableEngine, openSqliteStorage, type TableEngine } from '../../src/tables/index.js';
import { startHarness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'syncline-group-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `g${++files}`, 'tables.sqlite');

const TABLE = {
  TableName: 'grp',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

function open(file: string): TableEngine {
  return createTableEngine({ storage: openSqliteStorage(file) });
}

const put = (id: string, extra: Record<string, unknown> = {}) => ({
  TableName: 'grp',
  Item: { id: { S: id }, v: { N: '1' } },
  ...extra,
});

/** Error names of rejected results, undefined for fulfilled ones. */
const outcomes = (results: PromiseSettledResult<string>[]) =>
  results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : undefined));

describe('group commit', () => {
  it('serializes conditional puts on one key in one group: exactly one wins', async () => {
    const engine = open(newFile());
    engine.createTable(TABLE);
    // Issued in one turn, so they share one group transaction.
    const calls = Array.from({ length: 10 }, (_, i) =>
      engine.executeJson('PutItem', {
        TableName: 'grp',
        Item: { id: { S: 'same' }, writer: { N: String(i) } },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    const results = outcomes(await Promise.allSettled(calls));
    expect(results[0]).toBeUndefined();
    expect(results.slice(1)).toEqual(Array(9).fill('ConditionalCheckFailedException'));
    expect(engine.getItem({ TableName: 'grp', Key: { id: { S: 'same' } } }).Item).toEqual({
      id: { S: 'same' },
      writer: { N: '0' },
    });
    engine.storage.close();
  });

  it('rolls back only the failing request of a group', async () => {
    const engine = open(newFile());
    engine.createTable(TABLE);
    engine.putItem(put('taken'));
    const calls = [
      engine.executeJson('PutItem', put('a')),
      engine.executeJson(
        'PutItem',
        put('taken', { ConditionExpression: 'attribute_not_exists(id)', Item: { id: { S: 'taken' }, v: { N: '2' } } }),
      ),
      engine.executeJson('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'grp', Item: { id: { S: 'tx1' } } } },
          {
            ConditionCheck: {
              TableName: 'grp',
              Key: { id: { S: 'missing' } },
              ConditionExpression: 'attribute_exists(id)',
            },
          },
        ],
      }),
      engine.executeJson('UpdateItem', {
        TableName: 'grp',
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET v = v + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    ];
    expect(outcomes(await Promise.allSettled(calls))).toEqual([
      undefined,
      'ConditionalCheckFailedException',
      'TransactionCanceledException',
      undefined,
    ]);
    const ids = (engine.scan({ TableName: 'grp' }).Items as Array<Record<string, { S: string }>>).map((i) => i.id.S);
    expect(ids.sort()).toEqual(['a', 'taken']);
    // The update ran after the put it depends on, inside the same group.
    expect(engine.getItem({ TableName: 'grp', Key: { id: { S: 'a' } } }).Item).toEqual({
      id: { S: 'a' },
      v: { N: '2' },
    });
    expect(engine.getItem({ TableName: 'grp', Key: { id: { S: 'taken' } } }).Item).toEqual({
      id: { S: 'taken' },
      v: { N: '1' },
    });
    engine.storage.close();
  });

  it('acknowledges a write only once it is committed', async () => {
    const file = newFile();
    const engine = open(file);
    engine.createTable(TABLE);
    const other = open(file);
    const written = Promise.resolve(engine.executeJson('PutItem', put('x')));
    let settled = false;
    void written.then(() => {
      settled = true;
    });
    await Promise.resolve();
    // Not acknowledged yet, and another connection does not see it: it is not committed.
    expect(settled).toBe(false);
    expect(other.getItem({ TableName: 'grp', Key: { id: { S: 'x' } } }).Item).toBeUndefined();
    await written;
    expect(other.getItem({ TableName: 'grp', Key: { id: { S: 'x' } } }).Item).toEqual({
      id: { S: 'x' },
      v: { N: '1' },
    });
    other.storage.close();
    engine.storage.close();
  });

  it('commits the open group before a transaction of its own', async () => {
    const file = newFile();
    const engine = open(file);
    engine.createTable(TABLE);
    const other = open(file);
    const grouped = engine.executeJson('PutItem', put('grouped'));
    // A synchronous caller (a resolver, the TTL sweeper) gets a transaction that is durable when it returns.
    engine.putItem(put('direct'));
    expect(other.scan({ TableName: 'grp' }).Count).toBe(2);
    await expect(grouped).resolves.toBe('{}');
    other.storage.close();
    engine.storage.close();
  });

  it('lets a read in the same turn see the group it joins, and answers it after the commit', async () => {
    const engine = open(newFile());
    engine.createTable(TABLE);
    const write = engine.executeJson('PutItem', put('seen'));
    const read = engine.executeJson('GetItem', { TableName: 'grp', Key: { id: { S: 'seen' } } });
    await write;
    expect(JSON.parse(await read)).toEqual({ Item: { id: { S: 'seen' }, v: { N: '1' } } });
    engine.storage.close();
  });

  it('keeps every acknowledged write across close and reopen', async () => {
    const file = newFile();
    const first = await startHarness(file);
    first.engine.createTable(TABLE);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        first.client.send(new PutItemCommand({ TableName: 'grp', Item: { id: { S: `k${i}` } } })),
      ),
    );
    await first.close();
    const second = await startHarness(file);
    try {
      const scan = await second.client.send(new ScanCommand({ TableName: 'grp' }));
      expect(scan.Count).toBe(40);
    } finally {
      await second.close();
    }
  });

  it('serializes concurrent conditional writes from SDK clients', async () => {
    const h = await startHarness(newFile());
    try {
      h.engine.createTable(TABLE);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          h.client.send(
            new PutItemCommand({
              TableName: 'grp',
              Item: { id: { S: 'once' }, writer: { N: String(i) } },
              ConditionExpression: 'attribute_not_exists(id)',
            }),
          ),
        ),
      );
      const failed = results.filter((r) => r.status === 'rejected');
      expect(results.length - failed.length).toBe(1);
      for (const r of failed) expect((r as PromiseRejectedResult).reason.name).toBe('ConditionalCheckFailedException');
    } finally {
      await h.close();
    }
  });
});

describe('storage.grouped', () => {
  it('rejects a request whose savepoint failed while its neighbours commit', async () => {
    const storage = openSqliteStorage(newFile());
    const engine = createTableEngine({ storage });
    engine.createTable(TABLE);
    const ok = storage.grouped(() => storage.transaction((tx) => tx.putMeta('ok', '1')));
    const failing = storage.grouped(() =>
      storage.transaction((tx) => {
        tx.putMeta('failed', '1');
        throw new Error('boom');
      }),
    );
    await expect(ok).resolves.toBeUndefined();
    await expect(failing).rejects.toThrow('boom');
    expect(storage.read((tx) => [tx.getMeta('ok'), tx.getMeta('failed')])).toEqual(['1', undefined]);
    storage.close();
  });

  it('forgets a catalog change whose savepoint rolled back', async () => {
    const storage = openSqliteStorage(newFile());
    const failing = storage.grouped(() =>
      storage.transaction((tx) => {
        tx.putTable('gone', '{}');
        throw new Error('undo');
      }),
    );
    await expect(failing).rejects.toThrow('undo');
    expect(storage.read((tx) => tx.getTable('gone'))).toBeUndefined();
    expect(() => storage.read((tx) => tx.get('gone', '', { pk: Buffer.from('a'), sk: Buffer.alloc(0) }))).toThrow(
      /unknown table/,
    );
    storage.close();
  });

  it('answers a read that saw a committed write no earlier than that write is acknowledged', async () => {
    const engine = open(newFile());
    engine.createTable(TABLE);
    const order: string[] = [];
    const write = Promise.resolve(engine.executeJson('PutItem', put('later'))).then(() => order.push('write'));
    // The next turn: the write's group has committed, and its WAL sync runs on the thread pool.
    await new Promise((ok) => setImmediate(ok));
    const read = Promise.resolve(engine.executeJson('GetItem', { TableName: 'grp', Key: { id: { S: 'later' } } })).then(
      (text) => order.push(`read ${JSON.parse(text).Item ? 'found' : 'missed'}`),
    );
    await Promise.all([write, read]);
    expect(order).toEqual(['write', 'read found']);
    engine.storage.close();
  });

  it('makes a caller outside any group wait for the sync of what it reads', async () => {
    const engine = open(newFile());
    engine.createTable(TABLE);
    let acknowledged = false;
    const write = Promise.resolve(engine.executeJson('PutItem', put('synced'))).then(() => {
      acknowledged = true;
    });
    // The same check phase as the group's commit: its sync runs on the thread pool, and its completion can only
    // be delivered in a later poll phase, so the write is not acknowledged yet.
    await new Promise((ok) => setImmediate(ok));
    expect(acknowledged).toBe(false);
    // A synchronous read (a resolver, a stream poller) returns at once, so it syncs first: the write it sees is
    // on disk, and the write's acknowledgement follows from that sync, within microtasks, with no I/O in between.
    expect(engine.getItem({ TableName: 'grp', Key: { id: { S: 'synced' } } }).Item).toBeDefined();
    for (let i = 0; i < 20 && !acknowledged; i++) await Promise.resolve();
    expect(acknowledged).toBe(true);
    await write;
    engine.storage.close();
  });

  it('syncs and acknowledges what was waiting when it closes, and refuses requests after', async () => {
    const file = newFile();
    const engine = open(file);
    engine.createTable(TABLE);
    const write = engine.executeJson('PutItem', put('closing'));
    await new Promise((ok) => setImmediate(ok));
    engine.storage.close();
    await expect(write).resolves.toBe('{}');
    expect(() => engine.getItem({ TableName: 'grp', Key: { id: { S: 'closing' } } })).toThrow();
    const reopened = open(file);
    expect(reopened.getItem({ TableName: 'grp', Key: { id: { S: 'closing' } } }).Item).toBeDefined();
    reopened.storage.close();
  });

  it('answers at once, without a promise, when nothing joined a group', async () => {
    const storage = openSqliteStorage(':memory:');
    expect(storage.grouped(() => 42)).toBe(42);
    expect(() =>
      storage.grouped(() => {
        throw new Error('before any storage call');
      }),
    ).toThrow('before any storage call');
    storage.close();
  });
});
