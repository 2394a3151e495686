// Fuzz target: the DynamoDB request validator, through the real server. Generated hostile bodies for PutItem,
// UpdateItem, Query, TransactWriteItems and the batch actions (prototype-named keys, deep nesting, huge strings,
// wrong JSON kinds, broken bytes) must each get a 200 or an AWS-shaped 400, never a 500, and the server must
// keep answering afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../../src/index.js';
import { startFixture } from '../../helpers/server.js';
import {
  attributeName,
  attributeValue,
  budget,
  conditionExpression,
  expectAwsAnswer,
  expressionSoup,
  fuzzTimeout,
  jsonJunk,
  members,
  oversized,
  oversizedText,
  placeholders,
  projectionExpression,
  type RawAnswer,
  reportCases,
  updateExpression,
  usedPlaceholders,
} from './arbitraries.js';

let server: SynclineServer;
let endpoint: string;
let cases = 0;

async function send(action: string, body: string | Buffer): Promise<RawAnswer> {
  cases++;
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}` },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function expectServing(): Promise<void> {
  const res = await send('GetItem', JSON.stringify({ TableName: 'sentinel', Key: { id: { S: 'sentinel' } } }));
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text).Item).toEqual({ id: { S: 'sentinel' }, v: { S: 'still here' } });
}

beforeAll(async () => {
  server = await startFixture('basic');
  endpoint = server.endpoints.dynamodb!;
  const tables = [
    {
      TableName: 'fuzz',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    },
    {
      TableName: '__proto__',
      AttributeDefinitions: [{ AttributeName: 'constructor', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'constructor', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  ];
  for (const table of tables) expect((await send('CreateTable', JSON.stringify(table))).status).toBe(200);
  // An item in a table no generated request names, read after each target.
  const sentinel = {
    TableName: 'sentinel',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
  expect((await send('CreateTable', JSON.stringify(sentinel))).status).toBe(200);
  await send(
    'PutItem',
    JSON.stringify({ TableName: 'sentinel', Item: { id: { S: 'sentinel' }, v: { S: 'still here' } } }),
  );
});

afterAll(async () => {
  await server?.close();
});

/** Mostly valid values, sometimes anything at all. */
const value = fc.oneof({ weight: 5, arbitrary: attributeValue }, { weight: 1, arbitrary: jsonJunk });

// ---- well-formed requests: every member of the right kind, hostile only in content ----

// A Map: an object literal's `__proto__:` member would set the prototype, not name a table.
const TABLES = new Map<string, fc.Arbitrary<Record<string, unknown>>>([
  [
    'fuzz',
    fc.record({
      id: fc.constantFrom('a', 'b', '__proto__').map((S) => ({ S })),
      sk: fc.constantFrom('1', '2', '-3.5').map((N) => ({ N })),
    }),
  ],
  ['__proto__', fc.record({ constructor: fc.constantFrom('a', 'constructor').map((S) => ({ S })) })],
]);
const tableAndKey: fc.Arbitrary<{ table: string; key: Record<string, unknown> }> = fc
  .constantFrom(...TABLES.keys())
  .chain((table) => TABLES.get(table)!.map((key) => ({ table, key })));
const returnValues = fc.constantFrom('NONE', 'ALL_OLD', 'ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW');

const wellFormed = fc
  .record({
    target: tableAndKey,
    rest: members(attributeValue, 4),
    condition: fc.option(conditionExpression, { freq: 2 }),
    update: updateExpression,
    projection: fc.option(projectionExpression, { freq: 2 }),
    filter: fc.option(conditionExpression, { freq: 2 }),
    ph: placeholders,
    returnValues,
  })
  .chain(({ target, rest, condition, update, projection, filter, ph, returnValues }) => {
    const { table, key } = target;
    const item = Object.assign(rest, key);
    const cond = condition ?? undefined;
    const proj = projection ?? undefined;
    const filt = filter ?? undefined;
    const put = {
      TableName: table,
      Item: item,
      ...(cond ? { ConditionExpression: cond } : {}),
      ...usedPlaceholders([cond], ph),
      ReturnValues: returnValues === 'ALL_OLD' ? 'ALL_OLD' : 'NONE',
    };
    const upd = {
      TableName: table,
      Key: key,
      UpdateExpression: update,
      ...(cond ? { ConditionExpression: cond } : {}),
      ...usedPlaceholders([update, cond], ph),
      ReturnValues: returnValues,
    };
    const del = {
      TableName: table,
      Key: key,
      ...(cond ? { ConditionExpression: cond } : {}),
      ...usedPlaceholders([cond], ph),
    };
    const keyCondition = table === 'fuzz' ? 'id = :k' : '#k = :k';
    const q = {
      TableName: table,
      KeyConditionExpression: keyCondition,
      ...(filt ? { FilterExpression: filt } : {}),
      ...(proj ? { ProjectionExpression: proj } : {}),
      ExpressionAttributeNames: {
        ...(table === 'fuzz' ? {} : { '#k': 'constructor' }),
        ...usedPlaceholders([filt, proj], ph).ExpressionAttributeNames,
      },
      ExpressionAttributeValues: {
        ':k': Object.values(key)[0],
        ...usedPlaceholders([filt], ph).ExpressionAttributeValues,
      },
      Limit: 2,
    };
    if (Object.keys(q.ExpressionAttributeNames).length === 0) delete (q as Partial<typeof q>).ExpressionAttributeNames;
    const scan = { TableName: table, ...(filt ? { FilterExpression: filt } : {}), ...usedPlaceholders([filt], ph) };
    const get = {
      TableName: table,
      Key: key,
      ...(proj ? { ProjectionExpression: proj } : {}),
      ...usedPlaceholders([proj], ph),
    };
    return fc.constantFrom<[string, unknown]>(
      ['PutItem', put],
      ['UpdateItem', upd],
      ['DeleteItem', del],
      ['Query', q],
      ['Scan', scan],
      ['GetItem', get],
      [
        'TransactWriteItems',
        {
          TransactItems: [
            { Update: { ...upd, ReturnValues: undefined } },
            { ConditionCheck: { ...del, ConditionExpression: cond ?? 'attribute_exists(a)' } },
          ],
        },
      ],
      ['BatchWriteItem', { RequestItems: Object.fromEntries([[table, [{ PutRequest: { Item: item } }]]]) }],
      ['BatchGetItem', { RequestItems: Object.fromEntries([[table, { Keys: [key] }]]) }],
    );
  });

// ---- junk: members of the wrong kind anywhere ----

const tableName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('fuzz', '__proto__') },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', 'no-such-table', 'x') },
  { weight: 1, arbitrary: jsonJunk },
);
const key = fc.oneof(
  tableAndKey.map((t) => t.key),
  members(value),
  jsonJunk,
);
const item = fc.oneof(
  fc.tuple(tableAndKey, members(value)).map(([t, rest]) => Object.assign(rest, t.key)),
  members(value),
  jsonJunk,
);
const expression = fc.oneof(conditionExpression, updateExpression, expressionSoup, jsonJunk);
const names = fc.oneof(
  placeholders.map((p) => p.names),
  members(attributeName),
  jsonJunk,
);
const values = fc.oneof(
  placeholders.map((p) => p.values),
  members(value),
  jsonJunk,
);
const legacy = members(
  fc.record(
    {
      Action: fc.constantFrom('PUT', 'ADD', 'DELETE', 'x'),
      Value: value,
      ComparisonOperator: fc.constantFrom('EQ', 'NE', 'BETWEEN', 'IN', 'NULL', 'BEGINS_WITH', 'constructor'),
      AttributeValueList: fc.array(value, { maxLength: 3 }),
      Exists: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
);
const opt = { requiredKeys: [] as [] };

const putItem = fc.record(
  {
    TableName: tableName,
    Item: item,
    ConditionExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    Expected: legacy,
    ReturnValues: fc.oneof(returnValues, jsonJunk),
  },
  { requiredKeys: ['TableName', 'Item'] },
);
const updateItem = fc.record(
  {
    TableName: tableName,
    Key: key,
    UpdateExpression: expression,
    AttributeUpdates: legacy,
    ConditionExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: returnValues,
  },
  { requiredKeys: ['TableName', 'Key'] },
);
const deleteItem = fc.record(
  { TableName: tableName, Key: key, ConditionExpression: expression, Expected: legacy },
  opt,
);
const query = fc.record(
  {
    TableName: tableName,
    IndexName: fc.oneof(fc.constantFrom('byG', '__proto__'), jsonJunk),
    KeyConditionExpression: fc.oneof(fc.constantFrom('id = :v', '#a = :v AND sk > :w'), expression),
    KeyConditions: legacy,
    FilterExpression: expression,
    QueryFilter: legacy,
    ScanFilter: legacy,
    ProjectionExpression: expression,
    AttributesToGet: fc.array(attributeName, { maxLength: 3 }),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ExclusiveStartKey: key,
    Limit: fc.oneof(fc.integer({ min: -2, max: 5 }), jsonJunk),
    Select: fc.constantFrom('ALL_ATTRIBUTES', 'COUNT', 'SPECIFIC_ATTRIBUTES', 'nope'),
    ScanIndexForward: fc.oneof(fc.boolean(), jsonJunk),
    ConsistentRead: fc.boolean(),
  },
  opt,
);
const transactWriteItems = fc.record(
  {
    TransactItems: fc.oneof(
      fc.array(
        fc.oneof(
          putItem.map((Put) => ({ Put })),
          updateItem.map((Update) => ({ Update })),
          deleteItem.map((Delete) => ({ Delete })),
          fc.record({ TableName: tableName, Key: key, ConditionExpression: expression }).map((ConditionCheck) => ({
            ConditionCheck,
          })),
          jsonJunk,
        ),
        { maxLength: 4 },
      ),
      jsonJunk,
    ),
    ClientRequestToken: fc.oneof(fc.string({ maxLength: 40 }), jsonJunk),
  },
  opt,
);
const batchWrite = fc.record({
  RequestItems: members(
    fc.array(
      fc.oneof(
        item.map((Item) => ({ PutRequest: { Item } })),
        key.map((Key) => ({ DeleteRequest: { Key } })),
        jsonJunk,
      ),
      { maxLength: 3 },
    ),
    3,
  ),
});
const batchGet = fc.record({
  RequestItems: members(fc.record({ Keys: fc.array(key, { maxLength: 3 }), ProjectionExpression: expression }, opt), 3),
});

const junk = fc.oneof(
  putItem.map((body) => ['PutItem', body] as [string, unknown]),
  updateItem.map((body) => ['UpdateItem', body] as [string, unknown]),
  deleteItem.map((body) => ['DeleteItem', body] as [string, unknown]),
  query.map((body) => ['Query', body] as [string, unknown]),
  query.map((body) => ['Scan', body] as [string, unknown]),
  transactWriteItems.map((body) => ['TransactWriteItems', body] as [string, unknown]),
  batchWrite.map((body) => ['BatchWriteItem', body] as [string, unknown]),
  batchGet.map((body) => ['BatchGetItem', body] as [string, unknown]),
  fc.tuple(fc.constantFrom('GetItem', 'TransactGetItems', 'DescribeTable', 'constructor', '__proto__'), jsonJunk),
);

const request = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 2, arbitrary: junk });

/** A place in the body where something oversized or overdeep goes, replacing the marker string. */
const MARK = 'FUZZ-MARK';

describe('fuzz: DynamoDB request validator', () => {
  it(
    'hostile request bodies get 200 or an AWS-shaped 400, never a 500',
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(request, fc.option(oversized, { freq: 10 }), async ([action, body], big) => {
          runs++;
          let text = JSON.stringify(body) ?? 'null';
          if (big !== null) {
            // Into the item when there is one, else anywhere a value goes.
            if (
              body !== null &&
              typeof body === 'object' &&
              'Item' in body &&
              body.Item &&
              typeof body.Item === 'object'
            ) {
              (body.Item as Record<string, unknown>).big = MARK;
              text = JSON.stringify(body);
            } else text = JSON.stringify({ ...(typeof body === 'object' ? body : {}), TableName: MARK });
            text = text.replace(`"${MARK}"`, oversizedText(big));
          }
          const answer = await send(action, text);
          expectAwsAnswer(answer, `${action} ${text.slice(0, 400)}`);
        }),
        budget,
      );
      await expectServing();
      reportCases('DynamoDB requests', runs);
    },
    fuzzTimeout,
  );

  it(
    'broken bytes (invalid UTF-8, truncation, lone surrogate escapes, noise) get an AWS-shaped 400',
    async () => {
      let runs = 0;
      const valid = putItem.map((b) => Buffer.from(JSON.stringify(b)));
      const mutation = fc.oneof(
        fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([at, bytes]) => ({ at, bytes })),
        fc.nat().map((at) => ({ at, truncate: true })),
        fc.tuple(fc.nat(), fc.constantFrom('\\ud800', '\\udfff', '\\uDBFF\\u0041', '\\"', '\\')).map(([at, s]) => ({
          at,
          bytes: Buffer.from(s),
        })),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            valid,
            fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          ),
          fc.array(mutation, { maxLength: 3 }),
          async (base, mutations) => {
            runs++;
            let body = base;
            for (const m of mutations) {
              const at = body.length === 0 ? 0 : m.at % body.length;
              body =
                'truncate' in m
                  ? body.subarray(0, at)
                  : Buffer.concat([body.subarray(0, at), Buffer.from(m.bytes), body.subarray(at)]);
            }
            const answer = await send('PutItem', body);
            expectAwsAnswer(answer, `PutItem bytes ${body.toString('hex').slice(0, 200)}`);
          },
        ),
        budget,
      );
      await expectServing();
      reportCases('DynamoDB request bytes', runs);
      expect(cases).toBeGreaterThan(0);
    },
    fuzzTimeout,
  );
});
