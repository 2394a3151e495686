import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createTableEngine, type ItemChange, openSqliteStorage } from '../../src/tables/index.js';
import { startHarness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'syncline-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('durable file storage', () => {
  it('keeps tables, items and indexes across close and reopen', async () => {
    const file = join(dir, 'data', 'tables.sqlite');
    const first = await startHarness(file);
    await first.client.send(
      new CreateTableCommand({
        TableName: 'durable',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await first.client.send(
      new PutItemCommand({ TableName: 'durable', Item: { id: { S: '1' }, g: { S: 'x' }, n: { N: '3.14' } } }),
    );
    await first.close();

    const second = await startHarness(file);
    try {
      const got = await second.client.send(new GetItemCommand({ TableName: 'durable', Key: { id: { S: '1' } } }));
      expect(got.Item).toEqual({ id: { S: '1' }, g: { S: 'x' }, n: { N: '3.14' } });
      const q = await second.client.send(
        new QueryCommand({
          TableName: 'durable',
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'x' } },
        }),
      );
      expect(q.Count).toBe(1);
      const t = await second.client.send(new DescribeTableCommand({ TableName: 'durable' }));
      expect(t.Table?.ItemCount).toBe(1);
    } finally {
      await second.close();
    }
  });
});

describe('ensureTable', () => {
  const definition = {
    TableName: 'declared',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
    BillingMode: 'PAY_PER_REQUEST' as const,
  };

  it('creates a declared table, then adds a new GSI with backfill without losing items', () => {
    const storage = openSqliteStorage(':memory:');
    const engine = createTableEngine({ storage });
    expect(engine.ensureTable(definition)).toEqual({ created: true, changes: [] });
    engine.putItem({ TableName: 'declared', Item: { id: { S: '1' }, email: { S: 'a@x' } } });
    engine.putItem({ TableName: 'declared', Item: { id: { S: '2' } } });
    expect(engine.ensureTable(definition)).toEqual({ created: false, changes: [] });
    const withIndex = {
      ...definition,
      AttributeDefinitions: [
        ...definition.AttributeDefinitions,
        { AttributeName: 'email', AttributeType: 'S' as const },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' as const }],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const },
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
    };
    expect(engine.ensureTable(withIndex).changes).toEqual([
      'added index byEmail',
      'enabled stream',
      'time to live enabled',
    ]);
    const q = engine.query({
      TableName: 'declared',
      IndexName: 'byEmail',
      KeyConditionExpression: 'email = :e',
      ExpressionAttributeValues: { ':e': { S: 'a@x' } },
    });
    expect(q.Items).toEqual([{ id: { S: '1' }, email: { S: 'a@x' } }]);
    expect(engine.scan({ TableName: 'declared' }).Count).toBe(2);
    expect(engine.describeTimeToLive({ TableName: 'declared' })).toEqual({
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' },
    });
    expect(() =>
      engine.ensureTable({
        ...definition,
        KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
      }),
    ).toThrow(/different primary key/);
    storage.close();
  });
});

describe('change hook', () => {
  it('sees every item change inside the write transaction, and rolled-back changes leave no record', () => {
    const storage = openSqliteStorage(':memory:');
    const changes: ItemChange[] = [];
    const engine = createTableEngine({
      storage,
      onChange: (change, tx) => {
        changes.push(change);
        tx.appendStreamRecord(change.table.TableName, JSON.stringify(change.keys), JSON.stringify(change));
      },
    });
    engine.createTable({
      TableName: 'hooked',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    engine.putItem({ TableName: 'hooked', Item: { id: { S: 'a' }, v: { N: '1' } } });
    engine.updateItem({
      TableName: 'hooked',
      Key: { id: { S: 'a' } },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': { N: '2' } },
    });
    engine.deleteItem({ TableName: 'hooked', Key: { id: { S: 'a' } } });
    const n = (item: any) => item?.v?.N ?? null;
    expect(changes.map((c) => [n(c.oldItem), n(c.newItem)])).toEqual([
      [null, '1'],
      ['1', '2'],
      ['2', null],
    ]);
    expect(() =>
      engine.transactWriteItems({
        TransactItems: [
          { Put: { TableName: 'hooked', Item: { id: { S: 'b' } } } },
          {
            ConditionCheck: {
              TableName: 'hooked',
              Key: { id: { S: 'c' } },
              ConditionExpression: 'attribute_exists(id)',
            },
          },
        ],
      }),
    ).toThrow(/Transaction cancelled/);
    const records = storage.transaction((tx) => tx.readStreamRecords('hooked', 0, 100));
    expect(records.map((r) => JSON.parse(r.record).newItem?.id?.S ?? 'removed')).toEqual(['a', 'a', 'removed']);
    expect(records[0].sequence).toBeLessThan(records[1].sequence);
    storage.close();
  });
});

describe('time to live', () => {
  it('a sweep deletes expired items through the write path, marked as TTL deletions', () => {
    const storage = openSqliteStorage(':memory:');
    const origins: string[] = [];
    let now = 1_700_000_000_000;
    const engine = createTableEngine({ storage, now: () => now, onChange: (c) => origins.push(c.origin) });
    engine.ensureTable({
      TableName: 'sessions',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
    });
    const nowS = now / 1000;
    engine.putItem({ TableName: 'sessions', Item: { id: { S: 'old' }, expires: { N: String(nowS - 10) } } });
    engine.putItem({ TableName: 'sessions', Item: { id: { S: 'fresh' }, expires: { N: String(nowS + 10) } } });
    engine.putItem({
      TableName: 'sessions',
      Item: { id: { S: 'ancient' }, expires: { N: String(nowS - 6 * 365 * 86400) } },
    });
    engine.putItem({ TableName: 'sessions', Item: { id: { S: 'text' }, expires: { S: 'soon' } } });
    expect(engine.sweepExpiredItems()).toBe(1);
    expect(origins.slice(-1)).toEqual(['ttl']);
    now += 20_000;
    expect(engine.sweepExpiredItems()).toBe(1);
    const left = (engine.scan({ TableName: 'sessions' }).Items as any[]).map((i) => i.id.S).sort();
    expect(left).toEqual(['ancient', 'text']);
    storage.close();
  });
});
