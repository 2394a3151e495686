// Items served from their stored JSON text must be byte-for-byte what serializing the parsed items gives.
import { describe, expect, it } from 'vitest';
import { createTableEngine, handleDynamoDBRequest, openSqliteStorage } from '../../src/tables/index.js';
import { JsonText, stringifyOutput } from '../../src/tables/jsonText.js';
import { itemSize } from '../../src/tables/values/index.js';

const tricky = [
  { pk: { S: 'p' }, sk: { N: '1' }, '10': { S: 'integer-like names sort first' }, '2': { BOOL: true } },
  { pk: { S: 'p' }, sk: { N: '2' }, s: { S: 'é "quoted" \\ back\nslash \u2028 😀 \ud800 lone' } },
  { pk: { S: 'p' }, sk: { N: '3' }, m: { M: { b: { L: [{ N: '-0.5' }, { NULL: true }] }, a: { SS: ['x', 'y'] } } } },
  { pk: { S: 'p' }, sk: { N: '4' }, bin: { B: 'AAEC' }, ns: { NS: ['1', '2.5'] }, bs: { BS: ['AQ=='] } },
  { pk: { S: 'p' }, sk: { N: '5' }, ['__proto__']: { S: 'an own attribute' }, n: { N: '1e3' } },
];

describe('stringifyOutput', () => {
  it('writes JsonText members and array elements as they are, everything else as JSON.stringify does', () => {
    const items = tricky.map((i) => JSON.parse(JSON.stringify(i)));
    const output = { Items: items.map((i) => new JsonText(JSON.stringify(i))), Count: 5, Skip: undefined };
    expect(stringifyOutput(output)).toBe(JSON.stringify({ Items: items, Count: 5 }));
    expect(stringifyOutput({ Item: new JsonText('{"a":{"S":"b"}}') })).toBe('{"Item":{"a":{"S":"b"}}}');
    expect(stringifyOutput({})).toBe('{}');
  });
});

describe('reads served from stored text', () => {
  const engine = createTableEngine({ storage: openSqliteStorage(':memory:') });
  engine.createTable({
    TableName: 'texts',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  // Through the wire, as a client writes them (the lone surrogate travels escaped).
  const written = Promise.all(
    tricky.map((Item) =>
      handleDynamoDBRequest(engine, 'DynamoDB_20120810.PutItem', JSON.stringify({ TableName: 'texts', Item })),
    ),
  );

  it.each([
    ['GetItem', { Key: { pk: { S: 'p' }, sk: { N: '2' } } }],
    ['GetItem', { Key: { pk: { S: 'p' }, sk: { N: '3' } }, ReturnConsumedCapacity: 'TOTAL' }],
    ['GetItem', { Key: { pk: { S: 'p' }, sk: { N: '3' } }, ProjectionExpression: 'm.b[0]' }],
    ['Query', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }],
    ['Query', { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 2 }],
    [
      'Query',
      {
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'attribute_exists(s) OR attribute_exists(m)',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
        ReturnConsumedCapacity: 'INDEXES',
        ScanIndexForward: false,
      },
    ],
    ['Scan', {}],
    ['Scan', { ProjectionExpression: 'sk, m', Limit: 3 }],
  ])('%s %j answers exactly what the parsed items serialize to', async (action, input) => {
    await written;
    const body = { TableName: 'texts', ...input };
    const response = await handleDynamoDBRequest(engine, `DynamoDB_20120810.${action}`, JSON.stringify(body));
    expect(response.status).toBe(200);
    expect(response.body).toBe(JSON.stringify(engine.execute(action, body)));
  });
});

describe('the 1 MB page without sizing every item', () => {
  it("ends where the exact sizes reach 1 MB, though the items' JSON is ten times larger", async () => {
    const engine = createTableEngine({ storage: openSqliteStorage(':memory:') });
    engine.createTable({
      TableName: 'dense',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    // Each {"N":"1"} is 9 characters of JSON but 2 bytes of item size.
    const list = { L: Array.from({ length: 1000 }, () => ({ N: '1' })) };
    const items = Array.from({ length: 400 }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) }, l: list }));
    for (const Item of items) engine.putItem({ TableName: 'dense', Item });
    // DynamoDB stops once what it read reaches 1 MB, keeping the item that crossed it.
    let expected = 0;
    for (let sum = 0; sum < 1024 * 1024; expected++) sum += itemSize(items[expected]);
    const input = {
      TableName: 'dense',
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p' } },
    };
    const wire = JSON.parse(await engine.executeJson('Query', { ...input, Select: 'COUNT' }));
    expect(wire.Count).toBe(expected);
    expect(wire.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: String(expected - 1) } });
    const sized = engine.query({ ...input, ReturnConsumedCapacity: 'TOTAL' });
    expect(sized.Count).toBe(expected);
    expect(sized.LastEvaluatedKey).toEqual(wire.LastEvaluatedKey);
    engine.storage.close();
  });
});
