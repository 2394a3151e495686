// Requests a hostile or careless client can send: attribute names that are Object.prototype's own names, nesting
// beyond DynamoDB's limits, oversized expressions, and strings that are not Unicode. Each must get DynamoDB's
// answer (the value stored exactly, or a 400 with an AWS error), never a 500 and never a silently lost write.
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { startFixture } from '../helpers/server.js';
import { awsError } from './harness.js';

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];
const NESTING = 'Nesting Levels have exceeded supported limits';

let server: SynclineServer;
let client: DynamoDBClient;
let endpoint: string;

async function raw(action: string, body: string | Buffer) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}` },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** A value wrapped in `depth` maps: depth 0 is the scalar itself. */
function nestedMap(depth: number, leaf: AttributeValue = { S: 'leaf' }): AttributeValue {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { M: { a: v } };
  return v;
}

/** The same as JSON text, built without recursion (JSON.stringify would overflow the stack at 100,000 levels). */
function nestedMapText(depth: number): string {
  return `${'{"M":{"a":'.repeat(depth)}{"S":"leaf"}${'}}'.repeat(depth)}`;
}

beforeAll(async () => {
  server = await startFixture('basic');
  endpoint = server.endpoints.dynamodb!;
  client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'hostile',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

/**
 * GetItem over raw HTTP: the SDK's own deserializer assigns top-level attributes with `obj[name] = value`, so it
 * cannot hand back an attribute named __proto__ (a client-side limit); JSON.parse keeps it as an own member.
 */
async function rawGet(table: string, key: Record<string, AttributeValue>, extra: Record<string, unknown> = {}) {
  const res = await raw('GetItem', JSON.stringify({ TableName: table, Key: key, ConsistentRead: true, ...extra }));
  expect(res.status).toBe(200);
  return res.json.Item as Record<string, any> | undefined;
}

const get = async (id: string) =>
  (await client.send(new GetItemCommand({ TableName: 'hostile', Key: { id: { S: id } }, ConsistentRead: true }))).Item;

describe('attribute names that are Object.prototype members', () => {
  it('PutItem stores and GetItem returns attributes named like prototype members, top-level and nested', async () => {
    const item: Record<string, AttributeValue> = { id: { S: 'proto-put' } };
    const nested: Record<string, AttributeValue> = {};
    for (const name of PROTO_NAMES.slice(1)) {
      item[name] = { S: `top ${name}` };
      nested[name] = { N: '1' };
    }
    item.nested = { M: nested };
    // The SDK serializes with JSON.stringify, which writes an own __proto__ member.
    Object.defineProperty(item, '__proto__', { value: { S: 'top __proto__' }, enumerable: true });
    Object.defineProperty(nested, '__proto__', { value: { N: '1' }, enumerable: true });
    await client.send(new PutItemCommand({ TableName: 'hostile', Item: item }));
    const stored = await rawGet('hostile', { id: { S: 'proto-put' } });
    expect(JSON.stringify(stored)).toBe(JSON.stringify(item));
    expect(Object.keys(stored!).sort()).toEqual(Object.keys(item).sort());
    expect(Object.keys(stored!.nested.M).sort()).toEqual(Object.keys(nested).sort());
  });

  it('UpdateItem SET #p = :m with #p = __proto__ stores the attribute', async () => {
    await client.send(
      new UpdateItemCommand({
        TableName: 'hostile',
        Key: { id: { S: 'proto-update' } },
        UpdateExpression: 'SET #p = :m, #c = :m, #n = :n',
        ExpressionAttributeNames: { '#p': '__proto__', '#c': 'constructor', '#n': 'nested' },
        ExpressionAttributeValues: { ':m': { M: { x: { S: 'y' } } }, ':n': { M: {} } },
      }),
    );
    await client.send(
      new UpdateItemCommand({
        TableName: 'hostile',
        Key: { id: { S: 'proto-update' } },
        UpdateExpression: 'SET #n.#p = :s, #n.#t = :s',
        ExpressionAttributeNames: { '#p': '__proto__', '#t': 'toString', '#n': 'nested' },
        ExpressionAttributeValues: { ':s': { S: 'inside' } },
      }),
    );
    const stored = (await rawGet('hostile', { id: { S: 'proto-update' } }))!;
    expect(Object.keys(stored).sort()).toEqual(['__proto__', 'constructor', 'id', 'nested']);
    expect(Object.getOwnPropertyDescriptor(stored, '__proto__')!.value).toEqual({ M: { x: { S: 'y' } } });
    expect(Object.keys(stored.nested.M).sort()).toEqual(['__proto__', 'toString']);
  });

  it('a projection of __proto__ returns it', async () => {
    const item = (await rawGet(
      'hostile',
      { id: { S: 'proto-update' } },
      { ProjectionExpression: '#p, nested.#q', ExpressionAttributeNames: { '#p': '__proto__', '#q': '__proto__' } },
    ))!;
    expect(Object.keys(item).sort()).toEqual(['__proto__', 'nested']);
    expect(JSON.stringify(item.nested)).toBe('{"M":{"__proto__":{"S":"inside"}}}');
  });

  it('legacy AttributeUpdates on __proto__ store the attribute', async () => {
    const updates = {};
    Object.defineProperty(updates, '__proto__', {
      value: { Action: 'PUT', Value: { S: 'legacy' } },
      enumerable: true,
    });
    await client.send(
      new UpdateItemCommand({ TableName: 'hostile', Key: { id: { S: 'proto-legacy' } }, AttributeUpdates: updates }),
    );
    const stored = (await rawGet('hostile', { id: { S: 'proto-legacy' } }))!;
    expect(stored).toEqual({ id: { S: 'proto-legacy' }, ['__proto__']: { S: 'legacy' } });
    expect(Object.keys(stored)).toContain('__proto__');
  });

  it('a condition on an absent attribute named constructor sees it absent', async () => {
    await client.send(
      new PutItemCommand({
        TableName: 'hostile',
        Item: { id: { S: 'proto-cond' } },
        ConditionExpression: 'attribute_not_exists(#c) AND attribute_not_exists(#t)',
        ExpressionAttributeNames: { '#c': 'constructor', '#t': 'toString' },
      }),
    );
    const err = await awsError(() =>
      client.send(
        new PutItemCommand({
          TableName: 'hostile',
          Item: { id: { S: 'proto-cond' } },
          ConditionExpression: 'attribute_exists(#c)',
          ExpressionAttributeNames: { '#c': 'constructor' },
        }),
      ),
    );
    expect(err.name).toBe('ConditionalCheckFailedException');
  });

  it('a function named like a prototype member is an invalid function name', async () => {
    const err = await awsError(() =>
      client.send(
        new PutItemCommand({
          TableName: 'hostile',
          Item: { id: { S: 'x' } },
          ConditionExpression: 'constructor(a)',
        }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe('Invalid ConditionExpression: Invalid function name; function: constructor');
  });

  it('a key attribute named constructor is missing when the item lacks it', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'protokeys',
        AttributeDefinitions: [
          { AttributeName: 'constructor', AttributeType: 'S' },
          { AttributeName: '__proto__', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'constructor', KeyType: 'HASH' },
          { AttributeName: '__proto__', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const err = await awsError(() =>
      client.send(new PutItemCommand({ TableName: 'protokeys', Item: { other: { S: 'x' } } })),
    );
    expect(err.message).toBe('One or more parameter values were invalid: Missing the key constructor in the item');
    const item = { constructor: { S: 'c' } } as Record<string, AttributeValue>;
    Object.defineProperty(item, '__proto__', { value: { S: 'p' }, enumerable: true });
    await client.send(new PutItemCommand({ TableName: 'protokeys', Item: item }));
    const key = { constructor: { S: 'c' } } as Record<string, AttributeValue>;
    Object.defineProperty(key, '__proto__', { value: { S: 'p' }, enumerable: true });
    expect(JSON.stringify(await rawGet('protokeys', key))).toBe(JSON.stringify(item));
    const page = await client.send(
      new QueryCommand({
        TableName: 'protokeys',
        KeyConditionExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'constructor' },
        ExpressionAttributeValues: { ':c': { S: 'c' } },
        Limit: 1,
      }),
    );
    expect(page.Count).toBe(1);
    // The SDK keeps the nested-looking key only below the top level, so the key is read back raw.
    const rawPage = await raw(
      'Query',
      JSON.stringify({
        TableName: 'protokeys',
        KeyConditionExpression: '#c = :c',
        ExpressionAttributeNames: { '#c': 'constructor' },
        ExpressionAttributeValues: { ':c': { S: 'c' } },
        Limit: 1,
      }),
    );
    expect(JSON.stringify(rawPage.json.LastEvaluatedKey)).toBe(JSON.stringify(item));
  });

  it('a table named __proto__ works in BatchWriteItem and BatchGetItem', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: '__proto__',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const writes = {};
    Object.defineProperty(writes, '__proto__', {
      value: [{ PutRequest: { Item: { id: { S: 'b' } } } }],
      enumerable: true,
    });
    const written = await client.send(new BatchWriteItemCommand({ RequestItems: writes }));
    expect(JSON.parse(JSON.stringify(written.UnprocessedItems ?? {}))).toEqual({});
    const reads = {};
    Object.defineProperty(reads, '__proto__', { value: { Keys: [{ id: { S: 'b' } }] }, enumerable: true });
    const res = await raw('BatchGetItem', JSON.stringify({ RequestItems: reads }));
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.Responses)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(res.json.Responses, '__proto__')!.value).toEqual([{ id: { S: 'b' } }]);
  });
});

describe('stream records of prototype-named attributes', () => {
  it('NewImage, OldImage and Keys keep __proto__ and constructor members', async () => {
    const streams = async (action: string, body: unknown) => {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': `DynamoDBStreams_20120810.${action}`,
        },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return JSON.parse(await res.text());
    };
    const created = await raw(
      'CreateTable',
      JSON.stringify({
        TableName: 'protostream',
        AttributeDefinitions: [{ AttributeName: '__proto__', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: '__proto__', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    expect(created.status).toBe(200);
    const itemText = '{"__proto__":{"S":"k"},"constructor":{"M":{"__proto__":{"N":"1"}}}}';
    expect((await raw('PutItem', `{"TableName":"protostream","Item":${itemText}}`)).status).toBe(200);
    const update = await raw(
      'UpdateItem',
      JSON.stringify({
        TableName: 'protostream',
        Key: JSON.parse('{"__proto__":{"S":"k"}}'),
        UpdateExpression: 'SET #c.#p = :two',
        ExpressionAttributeNames: { '#c': 'constructor', '#p': '__proto__' },
        ExpressionAttributeValues: { ':two': { N: '2' } },
      }),
    );
    expect(update.status).toBe(200);
    const arn = created.json.TableDescription.LatestStreamArn;
    // Records are spread over shards by key: read them all.
    const Records = [];
    for (const { ShardId } of (await streams('DescribeStream', { StreamArn: arn })).StreamDescription.Shards) {
      const { ShardIterator } = await streams('GetShardIterator', {
        StreamArn: arn,
        ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
      Records.push(...(await streams('GetRecords', { ShardIterator })).Records);
    }
    const images = Records.map((r: { dynamodb: Record<string, unknown> }) =>
      JSON.stringify([r.dynamodb.Keys, r.dynamodb.OldImage, r.dynamodb.NewImage]),
    );
    expect(images).toEqual([
      `[{"__proto__":{"S":"k"}},null,${itemText}]`,
      `[{"__proto__":{"S":"k"}},${itemText},${itemText.replace('"N":"1"', '"N":"2"')}]`,
    ]);
  });
});

describe('nesting and expression limits', () => {
  it('an item nested 31 maps deep is stored; 32 is refused with DynamoDB message', async () => {
    await client.send(new PutItemCommand({ TableName: 'hostile', Item: { id: { S: 'deep31' }, v: nestedMap(31) } }));
    expect((await get('deep31'))!.v).toEqual(nestedMap(31));
    const err = await awsError(() =>
      client.send(new PutItemCommand({ TableName: 'hostile', Item: { id: { S: 'deep32' }, v: nestedMap(32) } })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain(NESTING);
    expect(await get('deep32')).toBeUndefined();
  });

  it('maps and lists 1,000 and 100,000 deep are refused, not a 500', async () => {
    for (const depth of [1000, 100_000]) {
      const res = await raw('PutItem', `{"TableName":"hostile","Item":{"id":{"S":"d"},"v":${nestedMapText(depth)}}}`);
      expect(res.status).toBe(400);
      expect(res.json.__type).toMatch(/#ValidationException$/);
      expect(res.json.message).toContain(NESTING);
    }
    const list = `${'{"L":['.repeat(50_000)}{"S":"x"}${']}'.repeat(50_000)}`;
    const res = await raw('PutItem', `{"TableName":"hostile","Item":{"id":{"S":"d"},"v":${list}}}`);
    expect(res.status).toBe(400);
    expect(res.json.message).toContain(NESTING);
  });

  it('an ExpressionAttributeValue nested too deep is refused', async () => {
    const err = await awsError(() =>
      client.send(
        new PutItemCommand({
          TableName: 'hostile',
          Item: { id: { S: 'eav' } },
          ConditionExpression: 'a = :v',
          ExpressionAttributeValues: { ':v': nestedMap(40) },
        }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain(NESTING);
  });

  it('an update that would nest the item beyond 32 levels is refused', async () => {
    await client.send(new PutItemCommand({ TableName: 'hostile', Item: { id: { S: 'grow' }, a: nestedMap(20) } }));
    const err = await awsError(() =>
      client.send(
        new UpdateItemCommand({
          TableName: 'hostile',
          Key: { id: { S: 'grow' } },
          UpdateExpression: 'SET a.a.a.a.a = :v',
          ExpressionAttributeValues: { ':v': nestedMap(30) },
        }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toContain(NESTING);
    expect((await get('grow'))!.a).toEqual(nestedMap(20));
  });

  it('expressions up to 4 KB are parsed, longer ones refused with the size message', async () => {
    const pad = (n: number) => `attribute_not_exists(${'a'.repeat(n - 'attribute_not_exists()'.length)})`;
    await client.send(
      new PutItemCommand({ TableName: 'hostile', Item: { id: { S: 'size' } }, ConditionExpression: pad(4096) }),
    );
    const err = await awsError(() =>
      client.send(
        new PutItemCommand({ TableName: 'hostile', Item: { id: { S: 'size' } }, ConditionExpression: pad(4097) }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
    // Bytes, not characters: 4,095 characters, the last one three bytes long.
    const wide = await awsError(() =>
      client.send(
        new GetItemCommand({
          TableName: 'hostile',
          Key: { id: { S: 'size' } },
          ProjectionExpression: `#a${' '.repeat(4092)}€`,
          ExpressionAttributeNames: { '#a': 'x' },
        }),
      ),
    );
    expect(wide.message).toBe(
      'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
  });

  it('10,000 nested parentheses, 100,000 NOTs and deep calls are refused, not a 500', async () => {
    const cases = [
      `${'('.repeat(10_000)}a = :v${')'.repeat(10_000)}`,
      `${'NOT '.repeat(100_000)}a = :v`,
      // Within 4 KB, still far deeper than any valid expression.
      `${'('.repeat(2000)}a = :v${')'.repeat(2000)}`,
      `${'NOT '.repeat(1000)}a = :v`,
      `${'size('.repeat(800)}a${')'.repeat(800)} = :v`,
      `(${'a = :v AND ('.repeat(300)}a = :v${')'.repeat(301)}`,
    ];
    for (const expression of cases) {
      const res = await raw(
        'PutItem',
        JSON.stringify({
          TableName: 'hostile',
          Item: { id: { S: 'parens' } },
          ConditionExpression: expression,
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        }),
      );
      expect(res.status, expression.slice(0, 40)).toBe(400);
      expect(res.json.__type).toMatch(/#ValidationException$/);
    }
    const update = await raw(
      'UpdateItem',
      JSON.stringify({
        TableName: 'hostile',
        Key: { id: { S: 'parens' } },
        UpdateExpression: `SET a = ${'list_append('.repeat(300)}:v${', :v)'.repeat(300)}`,
        ExpressionAttributeValues: { ':v': { L: [] } },
      }),
    );
    expect(update.status).toBe(400);
    expect(update.json.__type).toMatch(/#ValidationException$/);
    expect(await get('parens')).toBeUndefined();
  });
});

describe('strings that are not Unicode', () => {
  const putBody = (value: string) => `{"TableName":"hostile","Item":{"id":{"S":"utf"},"v":{"S":"${value}"}}}`;

  it('a body with invalid UTF-8 bytes is refused with a SerializationException', async () => {
    for (const bad of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const [before, after] = putBody('\u0000').split('\u0000');
      const body = Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]);
      const res = await raw('PutItem', body);
      expect(res.status).toBe(400);
      expect(res.json.__type).toBe('com.amazon.coral.service#SerializationException');
      expect(typeof res.json.message).toBe('string');
    }
    expect(await get('utf')).toBeUndefined();
  });

  it('lone surrogates in values, names and keys are refused with a SerializationException', async () => {
    const bodies = [
      putBody('\\ud800'),
      putBody('a\\udfffb'),
      putBody('\\udc00\\ud800'),
      `{"TableName":"hostile","Item":{"id":{"S":"utf"},"\\ud83d":{"S":"x"}}}`,
      `{"TableName":"hostile","Item":{"id":{"S":"\\ud83d"}}}`,
      `{"TableName":"hostile","Item":{"id":{"S":"utf"},"v":{"SS":["ok","\\uDBFF"]}}}`,
    ];
    for (const body of bodies) {
      const res = await raw('PutItem', body);
      expect(res.status, body).toBe(400);
      expect(res.json.__type).toBe('com.amazon.coral.service#SerializationException');
    }
    expect(await get('utf')).toBeUndefined();
  });

  it('well-formed escapes, surrogate pairs and an escaped backslash before "ud800" are accepted', async () => {
    const res = await raw('PutItem', putBody('\\ud83d\\ude00 \\u00e9 \\\\ud800 é 😀'));
    expect(res.status).toBe(200);
    expect((await get('utf'))!.v).toEqual({ S: '😀 é \\ud800 é 😀' });
  });
});

describe('null members of request lists', () => {
  // Found by the request fuzz: `TransactItems: [null]` reached the transaction code and answered 500.
  it('refuses a null list member with a ValidationException naming it, for every list of structures', async () => {
    for (const [action, body, member] of [
      ['TransactWriteItems', { TransactItems: [null] }, 'transactItems.1.member'],
      ['TransactGetItems', { TransactItems: [null] }, 'transactItems.1.member'],
      ['BatchExecuteStatement', { Statements: [null] }, 'statements.1.member'],
    ] as const) {
      const res = await raw(action, JSON.stringify(body));
      expect(res.status, `${action}: ${JSON.stringify(res.json)}`).toBe(400);
      expect(res.json.__type).toContain('ValidationException');
      expect(res.json.message).toContain(
        `Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    }
    // Still serving.
    expect((await raw('ListTables', '{}')).status).toBe(200);
  });
});
