import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  GetItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, startHarness } from './harness.js';

describe('batches and transactions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    for (const TableName of ['accounts', 'ledger']) {
      await h.client.send(
        new CreateTableCommand({
          TableName,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
  });
  afterAll(() => h.close());

  it('BatchWriteItem puts and deletes across tables; BatchGetItem reads them back', async () => {
    const write = await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          accounts: [
            { PutRequest: { Item: { id: { S: 'a1' }, balance: { N: '100' } } } },
            { PutRequest: { Item: { id: { S: 'a2' }, balance: { N: '50' } } } },
            { PutRequest: { Item: { id: { S: 'a3' }, balance: { N: '0' } } } },
          ],
          ledger: [{ PutRequest: { Item: { id: { S: 'l1' } } } }],
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(write.UnprocessedItems).toEqual({});
    expect(write.ConsumedCapacity).toEqual([
      { TableName: 'accounts', CapacityUnits: 3, WriteCapacityUnits: 3 },
      { TableName: 'ledger', CapacityUnits: 1, WriteCapacityUnits: 1 },
    ]);
    await h.client.send(
      new BatchWriteItemCommand({ RequestItems: { accounts: [{ DeleteRequest: { Key: { id: { S: 'a3' } } } }] } }),
    );
    const read = await h.client.send(
      new BatchGetItemCommand({
        RequestItems: {
          accounts: {
            Keys: [{ id: { S: 'a1' } }, { id: { S: 'a2' } }, { id: { S: 'a3' } }],
            ProjectionExpression: 'balance',
          },
          ledger: { Keys: [{ id: { S: 'l1' } }] },
        },
      }),
    );
    expect(read.UnprocessedKeys).toEqual({});
    expect(read.Responses?.accounts).toEqual([{ balance: { N: '100' } }, { balance: { N: '50' } }]);
    expect(read.Responses?.ledger).toEqual([{ id: { S: 'l1' } }]);
  });

  it('batch limits and duplicate keys are refused with DynamoDB messages', async () => {
    const dupes = await awsError(() =>
      h.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            accounts: [{ PutRequest: { Item: { id: { S: 'd' } } } }, { DeleteRequest: { Key: { id: { S: 'd' } } } }],
          },
        }),
      ),
    );
    expect(dupes.message).toBe('Provided list of item keys contains duplicates');
    const tooMany = await awsError(() =>
      h.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            accounts: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { id: { S: `x${i}` } } } })),
          },
        }),
      ),
    );
    expect(tooMany.message).toMatch(
      /^1 validation error detected: Value '.*' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
    );
    const getDupes = await awsError(() =>
      h.client.send(
        new BatchGetItemCommand({ RequestItems: { accounts: { Keys: [{ id: { S: 'a' } }, { id: { S: 'a' } }] } } }),
      ),
    );
    expect(getDupes.message).toBe('Provided list of item keys contains duplicates');
    const missingTable = await awsError(() =>
      h.client.send(new BatchGetItemCommand({ RequestItems: { nothere: { Keys: [{ id: { S: 'a' } }] } } })),
    );
    expect(missingTable.name).toBe('ResourceNotFoundException');
  });

  it('TransactWriteItems commits every action together', async () => {
    await h.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Update: {
              TableName: 'accounts',
              Key: { id: { S: 'a1' } },
              UpdateExpression: 'SET balance = balance - :amt',
              ConditionExpression: 'balance >= :amt',
              ExpressionAttributeValues: { ':amt': { N: '30' } },
            },
          },
          {
            Update: {
              TableName: 'accounts',
              Key: { id: { S: 'a2' } },
              UpdateExpression: 'SET balance = balance + :amt',
              ExpressionAttributeValues: { ':amt': { N: '30' } },
            },
          },
          {
            Put: {
              TableName: 'ledger',
              Item: { id: { S: 'tx1' }, amount: { N: '30' } },
              ConditionExpression: 'attribute_not_exists(id)',
            },
          },
          {
            ConditionCheck: {
              TableName: 'ledger',
              Key: { id: { S: 'l1' } },
              ConditionExpression: 'attribute_exists(id)',
            },
          },
        ],
      }),
    );
    const get = (id: string) => h.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: id } } }));
    expect((await get('a1')).Item?.balance).toEqual({ N: '70' });
    expect((await get('a2')).Item?.balance).toEqual({ N: '80' });
  });

  it('a failed condition cancels the whole transaction with a reason per action, in order', async () => {
    const e = await awsError(() =>
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'a2' } },
                UpdateExpression: 'SET balance = balance + :amt',
                ExpressionAttributeValues: { ':amt': { N: '1000' } },
              },
            },
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'a1' } },
                UpdateExpression: 'SET balance = balance - :amt',
                ConditionExpression: 'balance >= :amt',
                ExpressionAttributeValues: { ':amt': { N: '1000' } },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Delete: { TableName: 'ledger', Key: { id: { S: 'tx1' } } } },
            {
              Update: {
                TableName: 'ledger',
                Key: { id: { S: 'l1' } },
                UpdateExpression: 'SET n = absent_attr + :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      ),
    );
    expect(e.name).toBe('TransactionCanceledException');
    expect(e.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None, ValidationError]',
    );
    const reasons = e.error.CancellationReasons;
    expect(reasons.map((r: any) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None', 'ValidationError']);
    expect(reasons[1]).toMatchObject({
      Message: 'The conditional request failed',
      Item: { id: { S: 'a1' }, balance: { N: '70' } },
    });
    expect(reasons[3].Message).toBe('The provided expression refers to an attribute that does not exist in the item');
    const a2 = await h.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: 'a2' } } }));
    expect(a2.Item?.balance).toEqual({ N: '80' });
    const tx1 = await h.client.send(new GetItemCommand({ TableName: 'ledger', Key: { id: { S: 'tx1' } } }));
    expect(tx1.Item).toBeDefined();
  });

  it('refuses two actions on one item and concurrent conflicting transfers keep the invariant', async () => {
    const twice = await awsError(() =>
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'accounts', Item: { id: { S: 'z' } } } },
            { Delete: { TableName: 'accounts', Key: { id: { S: 'z' } } } },
          ],
        }),
      ),
    );
    expect(twice.message).toBe('Transaction request cannot include multiple operations on one item');
    await h.client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          accounts: [
            { PutRequest: { Item: { id: { S: 'c1' }, balance: { N: '100' } } } },
            { PutRequest: { Item: { id: { S: 'c2' }, balance: { N: '0' } } } },
          ],
        },
      }),
    );
    const transfer = () =>
      h.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'c1' } },
                UpdateExpression: 'SET balance = balance - :a',
                ConditionExpression: 'balance >= :a',
                ExpressionAttributeValues: { ':a': { N: '30' } },
              },
            },
            {
              Update: {
                TableName: 'accounts',
                Key: { id: { S: 'c2' } },
                UpdateExpression: 'SET balance = balance + :a',
                ExpressionAttributeValues: { ':a': { N: '30' } },
              },
            },
          ],
        }),
      );
    const results = await Promise.allSettled(Array.from({ length: 10 }, transfer));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason.name).toBe('TransactionCanceledException');
    const c1 = await h.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: 'c1' } } }));
    const c2 = await h.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: 'c2' } } }));
    expect([c1.Item?.balance.N, c2.Item?.balance.N]).toEqual(['10', '90']);
  });

  it('ClientRequestToken makes a retry idempotent and refuses a different request under the same token', async () => {
    const request = (amount: string) =>
      new TransactWriteItemsCommand({
        ClientRequestToken: 'token-1',
        TransactItems: [
          {
            Update: {
              TableName: 'ledger',
              Key: { id: { S: 'counter' } },
              UpdateExpression: 'ADD n :a',
              ExpressionAttributeValues: { ':a': { N: amount } },
            },
          },
        ],
      });
    await h.client.send(request('1'));
    await h.client.send(request('1'));
    const got = await h.client.send(new GetItemCommand({ TableName: 'ledger', Key: { id: { S: 'counter' } } }));
    expect(got.Item?.n).toEqual({ N: '1' });
    const e = await awsError(() => h.client.send(request('2')));
    expect(e.name).toBe('IdempotentParameterMismatchException');
  });

  it('TransactGetItems reads a consistent snapshot in request order', async () => {
    const out = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'accounts', Key: { id: { S: 'c1' } }, ProjectionExpression: 'balance' } },
          { Get: { TableName: 'accounts', Key: { id: { S: 'missing' } } } },
          { Get: { TableName: 'ledger', Key: { id: { S: 'counter' } } } },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.Responses).toEqual([
      { Item: { balance: { N: '10' } } },
      {},
      { Item: { id: { S: 'counter' }, n: { N: '1' } } },
    ]);
    expect(out.ConsumedCapacity?.map((c) => c.TableName)).toEqual(['accounts', 'ledger']);
  });
});
