import { BatchWriteItemCommand, CreateTableCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, startHarness } from './harness.js';

async function fill(h: Harness, table: string, items: Record<string, any>[]) {
  for (let i = 0; i < items.length; i += 25) {
    await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
}

async function createTable(h: Harness, name: string, skType: 'S' | 'N' | 'B', extra: Record<string, unknown> = {}) {
  await h.client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: skType },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
}

describe('Query and Scan', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('orders numeric sort keys numerically, including negatives, decimals and large exponents', async () => {
    await createTable(h, 'nums', 'N');
    const values = [
      '-1e10',
      '-100',
      '-2.5',
      '-0.001',
      '0',
      '0.001',
      '1',
      '2',
      '10',
      '10.5',
      '99',
      '1e20',
      '123456789012345678901234567890',
    ];
    const shuffled = [...values].sort(() => Math.random() - 0.5);
    await fill(
      h,
      'nums',
      shuffled.map((n) => ({ pk: { S: 'p' }, sk: { N: n } })),
    );
    const q = await h.client.send(
      new QueryCommand({
        TableName: 'nums',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
      }),
    );
    const expected = values.map((v) => (v === '-1e10' ? '-10000000000' : v === '1e20' ? '100000000000000000000' : v));
    expect(q.Items?.map((i) => i.sk.N)).toEqual(expected);
    const rev = await h.client.send(
      new QueryCommand({
        TableName: 'nums',
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '-2.5' }, ':b': { N: '10' } },
        ScanIndexForward: false,
      }),
    );
    expect(rev.Items?.map((i) => i.sk.N)).toEqual(['10', '2', '1', '0.001', '0', '-0.001', '-2.5']);
  });

  it('orders string sort keys by UTF-8 bytes and supports begins_with', async () => {
    await createTable(h, 'strs', 'S');
    const values = ['a', 'aa', 'ab', 'b', 'Z', 'é', '中', '😀', 'ｚ', 'a\u0000b'];
    await fill(
      h,
      'strs',
      values.map((s) => ({ pk: { S: 'p' }, sk: { S: s } })),
    );
    const q = await h.client.send(
      new QueryCommand({
        TableName: 'strs',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
      }),
    );
    const byBytes = [...values].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(q.Items?.map((i) => i.sk.S)).toEqual(byBytes);
    const prefix = await h.client.send(
      new QueryCommand({
        TableName: 'strs',
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { S: 'a' } },
      }),
    );
    expect(prefix.Items?.map((i) => i.sk.S)).toEqual(['a', 'a\u0000b', 'aa', 'ab']);
    const lt = await h.client.send(
      new QueryCommand({
        TableName: 'strs',
        KeyConditionExpression: 'pk = :p AND sk < :b',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':b': { S: 'b' } },
      }),
    );
    expect(lt.Items?.map((i) => i.sk.S)).toEqual(['Z', 'a', 'a\u0000b', 'aa', 'ab']);
  });

  it('orders binary sort keys bytewise (unsigned)', async () => {
    await createTable(h, 'bins', 'B');
    const values = [[0xff], [0x00], [0x7f], [0x80], [0x00, 0x00], [0x01, 0xff]].map((b) => Uint8Array.from(b));
    await fill(
      h,
      'bins',
      values.map((b) => ({ pk: { S: 'p' }, sk: { B: b } })),
    );
    const q = await h.client.send(
      new QueryCommand({
        TableName: 'bins',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
      }),
    );
    expect(q.Items?.map((i) => Buffer.from(i.sk.B!).toString('hex'))).toEqual(['00', '0000', '01ff', '7f', '80', 'ff']);
  });

  it('paginates with Limit and ExclusiveStartKey, returning LastEvaluatedKey when the limit is hit', async () => {
    await createTable(h, 'pages', 'N');
    await fill(
      h,
      'pages',
      Array.from({ length: 10 }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) }, odd: { BOOL: i % 2 === 1 } })),
    );
    const seen: string[] = [];
    let start: any;
    let calls = 0;
    do {
      const page = await h.client.send(
        new QueryCommand({
          TableName: 'pages',
          KeyConditionExpression: 'pk = :p',
          FilterExpression: 'odd = :t',
          ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } },
          Limit: 3,
          ExclusiveStartKey: start,
        }),
      );
      calls++;
      expect(page.ScannedCount).toBeLessThanOrEqual(3);
      seen.push(...(page.Items ?? []).map((i) => i.sk.N!));
      start = page.LastEvaluatedKey;
    } while (start);
    expect(seen).toEqual(['1', '3', '5', '7', '9']);
    expect(calls).toBe(4);
    const outside = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'pages',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'p' } },
          ExclusiveStartKey: { pk: { S: 'other' }, sk: { N: '1' } },
        }),
      ),
    );
    expect(outside.message).toBe('The provided starting key is outside query boundaries based on provided conditions');
  });

  it('stops a page at 1 MB read', async () => {
    await createTable(h, 'megabyte', 'N');
    const blob = 'x'.repeat(100 * 1024);
    await fill(
      h,
      'megabyte',
      Array.from({ length: 25 }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) }, blob: { S: blob } })),
    );
    const first = await h.client.send(
      new QueryCommand({
        TableName: 'megabyte',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
      }),
    );
    expect(first.Count).toBe(11);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '10' } });
    const rest = await h.client.send(
      new QueryCommand({
        TableName: 'megabyte',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        ExclusiveStartKey: first.LastEvaluatedKey,
      }),
    );
    expect(rest.Items?.[0].sk.N).toBe('11');
    const scan = await h.client.send(new ScanCommand({ TableName: 'megabyte', Select: 'COUNT' }));
    expect(scan.Count).toBe(11);
    expect(scan.Items).toBeUndefined();
  });

  it('Select COUNT, projections and legacy KeyConditions / QueryFilter / AttributesToGet', async () => {
    await createTable(h, 'legacy', 'N');
    await fill(
      h,
      'legacy',
      Array.from({ length: 6 }, (_, i) => ({
        pk: { S: 'p' },
        sk: { N: String(i) },
        color: { S: i < 3 ? 'red' : 'blue' },
      })),
    );
    const count = await h.client.send(
      new QueryCommand({
        TableName: 'legacy',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        Select: 'COUNT',
      }),
    );
    expect(count).toMatchObject({ Count: 6, ScannedCount: 6 });
    expect(count.Items).toBeUndefined();
    const legacy = await h.client.send(
      new QueryCommand({
        TableName: 'legacy',
        KeyConditions: {
          pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] },
          sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '2' }] },
        },
        QueryFilter: { color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'blue' }] } },
        AttributesToGet: ['sk'],
      }),
    );
    expect(legacy.Items).toEqual([{ sk: { N: '3' } }, { sk: { N: '4' } }, { sk: { N: '5' } }]);
    expect(legacy.ScannedCount).toBe(4);
    const scan = await h.client.send(
      new ScanCommand({
        TableName: 'legacy',
        ScanFilter: { color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'red' }] } },
      }),
    );
    expect(scan.Count).toBe(3);
    const bad = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'legacy',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'p' } },
          Select: 'ALL_ATTRIBUTES',
          ProjectionExpression: 'sk',
        }),
      ),
    );
    expect(bad.message).toBe('Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES');
    const keyFilter = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'legacy',
          KeyConditionExpression: 'pk = :p',
          FilterExpression: 'sk > :z',
          ExpressionAttributeValues: { ':p': { S: 'p' }, ':z': { N: '0' } },
        }),
      ),
    );
    expect(keyFilter.message).toBe(
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
    const missing = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'legacy',
          KeyConditionExpression: 'sk = :s',
          ExpressionAttributeValues: { ':s': { N: '1' } },
        }),
      ),
    );
    expect(missing.message).toBe('Query condition missed key schema element: pk');
    const typeMismatch = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'legacy',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { N: '1' } },
        }),
      ),
    );
    expect(typeMismatch.message).toBe(
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
  });

  it('queries GSIs (sparse, duplicate keys) and LSIs, with index-shaped LastEvaluatedKey', async () => {
    await createTable(h, 'indexed', 'S', {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'price', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byPrice',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'price', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['label'] },
        },
      ],
    });
    await fill(h, 'indexed', [
      {
        pk: { S: 'a' },
        sk: { S: '1' },
        status: { S: 'open' },
        price: { N: '30' },
        label: { S: 'x' },
        other: { S: 'o' },
      },
      { pk: { S: 'a' }, sk: { S: '2' }, status: { S: 'open' }, price: { N: '10' }, label: { S: 'y' } },
      { pk: { S: 'b' }, sk: { S: '1' }, status: { S: 'open' }, price: { N: '20' } },
      { pk: { S: 'b' }, sk: { S: '2' }, price: { N: '5' } },
    ]);
    const open = await h.client.send(
      new QueryCommand({
        TableName: 'indexed',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :o',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':o': { S: 'open' } },
        Limit: 2,
      }),
    );
    expect(open.Items).toEqual([
      { pk: { S: 'a' }, sk: { S: '1' }, status: { S: 'open' } },
      { pk: { S: 'a' }, sk: { S: '2' }, status: { S: 'open' } },
    ]);
    expect(open.LastEvaluatedKey).toEqual({ pk: { S: 'a' }, sk: { S: '2' }, status: { S: 'open' } });
    const next = await h.client.send(
      new QueryCommand({
        TableName: 'indexed',
        IndexName: 'byStatus',
        KeyConditionExpression: '#s = :o',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':o': { S: 'open' } },
        ExclusiveStartKey: open.LastEvaluatedKey,
      }),
    );
    expect(next.Items).toEqual([{ pk: { S: 'b' }, sk: { S: '1' }, status: { S: 'open' } }]);
    const allAttrs = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'indexed',
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :o',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':o': { S: 'open' } },
          Select: 'ALL_ATTRIBUTES',
        }),
      ),
    );
    expect(allAttrs.message).toBe(
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL',
    );
    const consistent = await awsError(() =>
      h.client.send(
        new QueryCommand({
          TableName: 'indexed',
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :o',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':o': { S: 'open' } },
          ConsistentRead: true,
        }),
      ),
    );
    expect(consistent.message).toBe('Consistent reads are not supported on global secondary indexes');
    const byPrice = await h.client.send(
      new QueryCommand({
        TableName: 'indexed',
        IndexName: 'byPrice',
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': { S: 'a' } },
      }),
    );
    expect(byPrice.Items).toEqual([
      { pk: { S: 'a' }, sk: { S: '2' }, price: { N: '10' }, label: { S: 'y' } },
      { pk: { S: 'a' }, sk: { S: '1' }, price: { N: '30' }, label: { S: 'x' } },
    ]);
    const full = await h.client.send(
      new QueryCommand({
        TableName: 'indexed',
        IndexName: 'byPrice',
        KeyConditionExpression: 'pk = :a AND price > :p',
        ExpressionAttributeValues: { ':a': { S: 'a' }, ':p': { N: '20' } },
        Select: 'ALL_ATTRIBUTES',
      }),
    );
    expect(full.Items?.[0].other).toEqual({ S: 'o' });
  });

  it('Scan segments partition the table exactly once, and pages resume within a segment', async () => {
    await createTable(h, 'segs', 'N');
    await fill(
      h,
      'segs',
      Array.from({ length: 200 }, (_, i) => ({ pk: { S: `p${i % 40}` }, sk: { N: String(i) } })),
    );
    const all: string[] = [];
    for (let segment = 0; segment < 4; segment++) {
      let start: any;
      do {
        const page = await h.client.send(
          new ScanCommand({
            TableName: 'segs',
            Segment: segment,
            TotalSegments: 4,
            Limit: 17,
            ExclusiveStartKey: start,
          }),
        );
        all.push(...(page.Items ?? []).map((i) => i.sk.N!));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    expect(all.length).toBe(200);
    expect(new Set(all).size).toBe(200);
    const bad = await awsError(() =>
      h.client.send(new ScanCommand({ TableName: 'segs', Segment: 4, TotalSegments: 4 })),
    );
    expect(bad.message).toBe(
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4',
    );
    const lone = await awsError(() => h.client.send(new ScanCommand({ TableName: 'segs', Segment: 1 })));
    expect(lone.message).toBe(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  });

  it('Scan with FilterExpression counts scanned and matched items and reports capacity', async () => {
    const out = await h.client.send(
      new ScanCommand({
        TableName: 'segs',
        FilterExpression: 'sk < :n',
        ExpressionAttributeValues: { ':n': { N: '10' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.Count).toBe(10);
    expect(out.ScannedCount).toBe(200);
    expect(out.ConsumedCapacity?.CapacityUnits).toBeGreaterThan(0);
  });
});
