// ReturnConsumedCapacity, ReturnItemCollectionMetrics and ReturnValuesOnConditionCheckFailure as DynamoDB
// documents them, and index lifecycle: LSIs at CreateTable, GSIs created (backfilled), updated and deleted by
// UpdateTable — through the real AWS SDK v3 client.
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, startHarness } from '../harness.js';

// Item size is the attribute names' and values' bytes: 'pk'+'a' + 'data'+1500 = 1507 bytes → 2 write units.
const big = (pk: string, extra: Record<string, { S: string }> = {}) => ({
  pk: { S: pk },
  data: { S: 'd'.repeat(1500) },
  ...extra,
});

describe('capacity, item collections and condition failures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'plain',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
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
    await h.client.send(
      new CreateTableCommand({
        TableName: 'collections',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'rank', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byRank',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'rank', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => h.close());

  it('a write costs a unit per started KB; TOTAL gives the sum only, INDEXES the table and each GSI', async () => {
    const total = await h.client.send(
      new PutItemCommand({ TableName: 'plain', Item: big('a'), ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(total.ConsumedCapacity).toMatchObject({ TableName: 'plain', CapacityUnits: 2 });
    expect(total.ConsumedCapacity?.Table).toBeUndefined();
    // With the GSI key: the index is written too (the projected item is 1509 bytes → 2 units).
    const indexed = await h.client.send(
      new PutItemCommand({ TableName: 'plain', Item: big('b', { g: { S: 'x' } }), ReturnConsumedCapacity: 'INDEXES' }),
    );
    expect(indexed.ConsumedCapacity).toMatchObject({
      TableName: 'plain',
      CapacityUnits: 4,
      Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 2 } },
    });
    // Moving the item within the index is a delete and a put there.
    const moved = await h.client.send(
      new UpdateItemCommand({
        TableName: 'plain',
        Key: { pk: { S: 'b' } },
        UpdateExpression: 'SET g = :g',
        ExpressionAttributeValues: { ':g': { S: 'y' } },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(moved.ConsumedCapacity).toMatchObject({
      CapacityUnits: 6,
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 4 } },
    });
    const missing = await h.client.send(
      new DeleteItemCommand({ TableName: 'plain', Key: { pk: { S: 'none' } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(missing.ConsumedCapacity).toMatchObject({ CapacityUnits: 1 });
  });

  it('a read costs a unit per started 4 KB, half when eventually consistent; transactions cost double', async () => {
    await h.client.send(
      new PutItemCommand({ TableName: 'plain', Item: { pk: { S: 'r' }, data: { S: 'r'.repeat(5000) } } }),
    );
    const eventual = await h.client.send(
      new GetItemCommand({ TableName: 'plain', Key: { pk: { S: 'r' } }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(eventual.ConsumedCapacity).toMatchObject({ TableName: 'plain', CapacityUnits: 1 });
    const strong = await h.client.send(
      new GetItemCommand({
        TableName: 'plain',
        Key: { pk: { S: 'r' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(strong.ConsumedCapacity).toMatchObject({ CapacityUnits: 2 });
    const transactGet = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [{ Get: { TableName: 'plain', Key: { pk: { S: 'r' } } } }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(transactGet.ConsumedCapacity?.[0]).toMatchObject({ TableName: 'plain', CapacityUnits: 4 });
    const transactPut = await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName: 'plain', Item: big('t') } }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(transactPut.ConsumedCapacity?.[0]).toMatchObject({ TableName: 'plain', CapacityUnits: 4 });
  });

  it('a query of a GSI is charged to the index', async () => {
    const out = await h.client.send(
      new QueryCommand({
        TableName: 'plain',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'y' } },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(out.Count).toBe(1);
    expect(out.ConsumedCapacity).toMatchObject({
      TableName: 'plain',
      CapacityUnits: 0.5,
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 0.5 } },
    });
  });

  it('an LSI query fetching attributes the index does not project is charged to the index and the table', async () => {
    await h.client.send(
      new PutItemCommand({
        TableName: 'collections',
        Item: { pk: { S: 'l' }, sk: { S: '1' }, rank: { N: '1' }, body: { S: 'b'.repeat(100) } },
      }),
    );
    const out = await h.client.send(
      new QueryCommand({
        TableName: 'collections',
        IndexName: 'byRank',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'l' } },
        Select: 'ALL_ATTRIBUTES',
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(out.Items?.[0].body.S).toHaveLength(100);
    expect(out.ConsumedCapacity).toMatchObject({
      CapacityUnits: 1,
      Table: { CapacityUnits: 0.5 },
      LocalSecondaryIndexes: { byRank: { CapacityUnits: 0.5 } },
    });
  });

  it('ReturnItemCollectionMetrics SIZE reports the item collection on tables with LSIs only', async () => {
    const put = await h.client.send(
      new PutItemCommand({
        TableName: 'collections',
        Item: { pk: { S: 'p' }, sk: { S: '1' }, rank: { N: '5' } },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(put.ItemCollectionMetrics).toEqual({ ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] });
    const plain = await h.client.send(
      new PutItemCommand({ TableName: 'plain', Item: { pk: { S: 'm' } }, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(plain.ItemCollectionMetrics).toBeUndefined();
    const transact = await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'collections', Item: { pk: { S: 'q' }, sk: { S: '1' } } } },
          { Delete: { TableName: 'collections', Key: { pk: { S: 'p' }, sk: { S: '1' } } } },
          { Put: { TableName: 'plain', Item: { pk: { S: 'n' } } } },
        ],
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(transact.ItemCollectionMetrics).toEqual({
      collections: [
        { ItemCollectionKey: { pk: { S: 'q' } }, SizeEstimateRangeGB: [0, 1] },
        { ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] },
      ],
    });
  });

  it('ReturnValuesOnConditionCheckFailure ALL_OLD returns the item with the failure, in each write and in transactions', async () => {
    const item = { pk: { S: 'c' }, v: { N: '1' } };
    await h.client.send(new PutItemCommand({ TableName: 'plain', Item: item }));
    const condition = { ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } };
    const put = await awsError(() =>
      h.client.send(
        new PutItemCommand({
          TableName: 'plain',
          Item: item,
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(put.name).toBe('ConditionalCheckFailedException');
    expect(put.error.Item).toEqual(item);
    const update = await awsError(() =>
      h.client.send(
        new UpdateItemCommand({
          TableName: 'plain',
          Key: { pk: { S: 'c' } },
          UpdateExpression: 'SET w = :two',
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(update.error.Item).toEqual(item);
    const del = await awsError(() =>
      h.client.send(
        new DeleteItemCommand({
          TableName: 'plain',
          Key: { pk: { S: 'c' } },
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'NONE',
        }),
      ),
    );
    expect(del.name).toBe('ConditionalCheckFailedException');
    expect(del.error.Item).toBeUndefined();
    const transact = await awsError(() =>
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'plain', Item: { pk: { S: 'other' } } } },
            {
              ConditionCheck: {
                TableName: 'plain',
                Key: { pk: { S: 'c' } },
                ...condition,
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );
    expect(transact.name).toBe('TransactionCanceledException');
    expect(transact.error.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: item },
    ]);
  });
});

describe('index lifecycle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'people',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
    );
    for (const [id, city] of [
      ['1', 'Oslo'],
      ['2', 'Rome'],
      ['3', 'Oslo'],
      ['4', undefined],
    ] as const) {
      await h.client.send(
        new PutItemCommand({ TableName: 'people', Item: { id: { S: id }, ...(city ? { city: { S: city } } : {}) } }),
      );
    }
  });
  afterAll(() => h.close());

  const byCity = (city: string) =>
    h.client.send(
      new QueryCommand({
        TableName: 'people',
        IndexName: 'byCity',
        KeyConditionExpression: 'city = :c',
        ExpressionAttributeValues: { ':c': { S: city } },
      }),
    );

  it('UpdateTable creates a GSI backfilled with the existing items', async () => {
    const out = await h.client.send(
      new UpdateTableCommand({
        TableName: 'people',
        AttributeDefinitions: [{ AttributeName: 'city', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byCity',
              KeySchema: [{ AttributeName: 'city', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
              ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
            },
          },
        ],
      }),
    );
    expect(out.TableDescription?.GlobalSecondaryIndexes?.[0].IndexName).toBe('byCity');
    expect((await byCity('Oslo')).Items?.map((i) => i.id.S).sort()).toEqual(['1', '3']);
    const described = (await h.client.send(new DescribeTableCommand({ TableName: 'people' }))).Table!;
    expect(described.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexStatus: 'ACTIVE', ItemCount: 3 });
  });

  it('UpdateTable updates a GSI throughput and then deletes the GSI', async () => {
    await h.client.send(
      new UpdateTableCommand({
        TableName: 'people',
        GlobalSecondaryIndexUpdates: [
          { Update: { IndexName: 'byCity', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 8 } } },
        ],
      }),
    );
    const described = (await h.client.send(new DescribeTableCommand({ TableName: 'people' }))).Table!;
    expect(described.GlobalSecondaryIndexes?.[0].ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 7,
      WriteCapacityUnits: 8,
    });
    await h.client.send(
      new UpdateTableCommand({
        TableName: 'people',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byCity' } }],
      }),
    );
    const gone = await awsError(() => byCity('Oslo'));
    expect(gone).toMatchObject({
      name: 'ValidationException',
      message: 'The table does not have the specified index: byCity',
    });
    expect(
      (await h.client.send(new DescribeTableCommand({ TableName: 'people' }))).Table?.GlobalSecondaryIndexes,
    ).toBeUndefined();
  });
});
