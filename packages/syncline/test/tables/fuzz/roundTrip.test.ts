// Property: any item the AWS SDK can send (every AttributeValue type, nested maps and lists, attribute names
// such as __proto__ and constructor, any Unicode) is stored exactly: PutItem then GetItem returns the same item.
// The item goes out through the real SDK; it is read back over raw HTTP because the SDK's deserializer cannot
// return a top-level attribute named __proto__ (it assigns members with `obj[name] = value`).
import { type AttributeValue, CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../../src/index.js';
import { startFixture } from '../../helpers/server.js';
import { attributeName, attributeValue, budget, canonical, fuzzTimeout, reportCases } from './arbitraries.js';

let server: SynclineServer;
let client: DynamoDBClient;

async function rawGet(id: string): Promise<unknown> {
  const res = await fetch(server.endpoints.dynamodb!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
    body: JSON.stringify({ TableName: 'roundtrip', Key: { id: { S: id } }, ConsistentRead: true }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { Item?: unknown }).Item;
}

beforeAll(async () => {
  server = await startFixture('basic');
  client = new DynamoDBClient({
    endpoint: server.endpoints.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await client.send(
    new CreateTableCommand({
      TableName: 'roundtrip',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
});

/** Attribute names are at least one character long in DynamoDB. */
const name = attributeName.filter((n) => n.length > 0);
const item = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 10 }),
    fc.uniqueArray(fc.tuple(name, attributeValue), { maxLength: 8, selector: ([n]) => n }),
  )
  .map(([id, entries]) => ({
    id,
    item: Object.fromEntries([...entries.filter(([n]) => n !== 'id'), ['id', { S: id }]]),
  }));

/** The SDK's form of a wire value: binaries are bytes, which it base64-encodes itself. */
function toSdk(v: Record<string, unknown>): AttributeValue {
  if ('B' in v) return { B: Buffer.from(v.B as string, 'base64') };
  if ('BS' in v) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if ('L' in v) return { L: (v.L as Record<string, unknown>[]).map(toSdk) };
  if ('M' in v) return { M: sdkMap(v.M as Record<string, Record<string, unknown>>) };
  return v as unknown as AttributeValue;
}

const sdkMap = (m: Record<string, Record<string, unknown>>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, toSdk(v)]));

describe('property: what the SDK puts is what GetItem returns', () => {
  it(
    'PutItem then GetItem returns exactly the item, for any item the SDK can send',
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(item, async ({ id, item }) => {
          runs++;
          await client.send(new PutItemCommand({ TableName: 'roundtrip', Item: sdkMap(item) }));
          expect(canonical(await rawGet(id))).toBe(canonical(item));
        }),
        budget,
      );
      reportCases('PutItem/GetItem round trip', runs);
    },
    fuzzTimeout,
  );
});
