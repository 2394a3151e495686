import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { gql, startFixture } from '../helpers/server.js';

let server: SynclineServer;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  server = await startFixture('orders-ddb');
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});
afterAll(async () => {
  doc.destroy();
  await server.close();
});

const create = (id: string, customer: string, quantity = 1) =>
  gql(
    server,
    'mutation C($id: ID!, $c: String!, $q: Int!) { createOrder(id: $id, customer: $c, item: "tea", quantity: $q) { id customer item quantity createdAt tags } }',
    { id, c: customer, q: quantity },
  );

describe('the DynamoDB data source', () => {
  it('creates the declared table at start and writes through PutItem; the SDK reads the same item', async () => {
    const res = await create('o-1', 'ada', 2);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createOrder).toMatchObject({
      id: 'o-1',
      customer: 'ada',
      item: 'tea',
      quantity: 2,
      tags: ['new'],
    });
    const { Item } = await doc.send(new GetCommand({ TableName: 'Orders', Key: { id: 'o-1' } }));
    expect(Item).toMatchObject({ id: 'o-1', customer: 'ada', quantity: 2 });
    expect(typeof Item!.createdAt).toBe('number');
  });

  it('reports a failed condition as DynamoDB:ConditionalCheckFailedException', async () => {
    const res = await create('o-1', 'ada');
    expect(res.body.data.createOrder).toBeNull();
    expect(res.body.errors[0]).toMatchObject({
      errorType: 'DynamoDB:ConditionalCheckFailedException',
      path: ['createOrder'],
    });
  });

  it('reads an item the SDK wrote with GetItem', async () => {
    await doc.send(
      new PutCommand({ TableName: 'Orders', Item: { id: 'sdk-1', customer: 'bob', item: 'cake', quantity: 5 } }),
    );
    const res = await gql(server, '{ getOrder(id: "sdk-1") { id customer item quantity } }');
    expect(res.body).toEqual({ data: { getOrder: { id: 'sdk-1', customer: 'bob', item: 'cake', quantity: 5 } } });
    expect((await gql(server, '{ getOrder(id: "missing") { id } }')).body).toEqual({ data: { getOrder: null } });
  });

  it('updates with operations.increment and append, returning the new item', async () => {
    const res = await gql(server, 'mutation { addQuantity(id: "o-1", by: 3) { quantity tags } }');
    expect(res.body).toEqual({ data: { addQuantity: { quantity: 5, tags: ['new', 'changed'] } } });
    const missing = await gql(server, 'mutation { addQuantity(id: "nope", by: 1) { quantity } }');
    expect(missing.body.errors[0].errorType).toBe('DynamoDB:ConditionalCheckFailedException');
  });

  it('pages a GSI query with an opaque nextToken bound to its resolver', async () => {
    for (const id of ['c-1', 'c-2', 'c-3']) await create(id, 'carol');
    const q =
      'query P($t: String) { ordersByCustomer(customer: "carol", limit: 2, nextToken: $t) { items { id } nextToken } }';
    const first = await gql(server, q);
    expect(first.body.data.ordersByCustomer.items).toHaveLength(2);
    const token = first.body.data.ordersByCustomer.nextToken;
    expect(token).toEqual(expect.any(String));
    expect(token).not.toContain('carol');
    const second = await gql(server, q, { t: token });
    const ids = [...first.body.data.ordersByCustomer.items, ...second.body.data.ordersByCustomer.items].map(
      (i: { id: string }) => i.id,
    );
    expect(ids.sort()).toEqual(['c-1', 'c-2', 'c-3']);
    // A signature with its last character changed (to one it is not: a fixed 'xx' matched 1 time in 4,096).
    const forged = await gql(server, q, { t: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` });
    expect(forged.body.data.ordersByCustomer).toBeNull();
    expect(forged.body.errors[0].message).toMatch(/nextToken/);
  });

  it('returns BatchGetItem results in key order with null for missing keys', async () => {
    const res = await gql(server, '{ ordersById(ids: ["c-2", "nope", "c-1"]) { id } }');
    expect(res.body).toEqual({ data: { ordersById: [{ id: 'c-2' }, null, { id: 'c-1' }] } });
  });

  it('runs TransactWriteItems all or nothing', async () => {
    const moved = await gql(server, 'mutation { moveOrder(from: "c-3", to: "c-9") }');
    expect(moved.body).toEqual({ data: { moveOrder: ['c-9', 'c-3'] } });
    const failed = await gql(server, 'mutation { moveOrder(from: "c-3", to: "c-10") }');
    expect(failed.body.errors[0].errorType).toBe('DynamoDB:TransactionCanceledException');
    const { Item } = await doc.send(new GetCommand({ TableName: 'Orders', Key: { id: 'c-10' } }));
    expect(Item).toBeUndefined();
  });

  it('deletes and returns the old item', async () => {
    const res = await gql(server, 'mutation { deleteOrder(id: "sdk-1") { id item } }');
    expect(res.body).toEqual({ data: { deleteOrder: { id: 'sdk-1', item: 'cake' } } });
    expect((await gql(server, '{ getOrder(id: "sdk-1") { id } }')).body.data.getOrder).toBeNull();
  });
});
