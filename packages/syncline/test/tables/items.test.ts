import {
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, rawRequest, startHarness } from './harness.js';

describe('single-item operations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'items',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await h.client.send(
      new CreateTableCommand({
        TableName: 'composite',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'gsiKey', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi',
            KeySchema: [{ AttributeName: 'gsiKey', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => h.close());

  it('PutItem replaces the item and returns ALL_OLD; GetItem projects', async () => {
    await h.doc.send(new PutCommand({ TableName: 'items', Item: { id: 'a', name: 'first', tags: new Set(['x']) } }));
    const put = await h.doc.send(
      new PutCommand({
        TableName: 'items',
        Item: { id: 'a', name: 'second', nested: { deep: [1, 2] } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(put.Attributes).toEqual({ id: 'a', name: 'first', tags: new Set(['x']) });
    const got = await h.doc.send(new GetCommand({ TableName: 'items', Key: { id: 'a' } }));
    expect(got.Item).toEqual({ id: 'a', name: 'second', nested: { deep: [1, 2] } });
    const projected = await h.doc.send(
      new GetCommand({
        TableName: 'items',
        Key: { id: 'a' },
        ProjectionExpression: '#n, nested.deep[1]',
        ExpressionAttributeNames: { '#n': 'name' },
      }),
    );
    expect(projected.Item).toEqual({ name: 'second', nested: { deep: [2] } });
    const legacy = await h.client.send(
      new GetItemCommand({ TableName: 'items', Key: { id: { S: 'a' } }, AttributesToGet: ['name'] }),
    );
    expect(legacy.Item).toEqual({ name: { S: 'second' } });
    const missing = await h.doc.send(new GetCommand({ TableName: 'items', Key: { id: 'zzz' } }));
    expect(missing.Item).toBeUndefined();
  });

  it('keeps numbers exact to 38 digits and returns them normalized', async () => {
    const big = '12345678901234567890123456789012345678';
    await h.client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: {
          id: { S: 'num' },
          big: { N: big },
          small: { N: '0.000000000000000000000000000000000000001' },
          z: { N: '-0.00' },
          e: { N: '1.50E3' },
        },
      }),
    );
    const got = await h.client.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: 'num' } } }));
    expect(got.Item?.big).toEqual({ N: big });
    expect(got.Item?.small).toEqual({ N: '0.000000000000000000000000000000000000001' });
    expect(got.Item?.z).toEqual({ N: '0' });
    expect(got.Item?.e).toEqual({ N: '1500' });
    const updated = await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: { id: { S: 'num' } },
        UpdateExpression: 'SET big = big + :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes).toEqual({ big: { N: '12345678901234567890123456789012345679' } });
    const tooPrecise = await awsError(() =>
      h.client.send(
        new PutItemCommand({
          TableName: 'items',
          Item: { id: { S: 'n2' }, v: { N: '123456789012345678901234567890123456789' } },
        }),
      ),
    );
    expect(tooPrecise.message).toBe('Attempting to store more than 38 significant digits in a Number');
  });

  it('rejects items over 400 KB and accepts one just under', async () => {
    const e = await awsError(() =>
      h.client.send(
        new PutItemCommand({ TableName: 'items', Item: { id: { S: 'big' }, v: { S: 'x'.repeat(400 * 1024) } } }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe('Item size has exceeded the maximum allowed size');
    await h.client.send(
      new PutItemCommand({ TableName: 'items', Item: { id: { S: 'big' }, v: { S: 'x'.repeat(400 * 1024 - 10) } } }),
    );
    const grow = await awsError(() =>
      h.client.send(
        new UpdateItemCommand({
          TableName: 'items',
          Key: { id: { S: 'big' } },
          UpdateExpression: 'SET w = :w',
          ExpressionAttributeValues: { ':w': { S: 'yyyyyyyyyy' } },
        }),
      ),
    );
    expect(grow.message).toBe('Item size to update has exceeded the maximum allowed size');
  });

  it('reports key problems with DynamoDB messages', async () => {
    const missingKey = await awsError(() =>
      h.client.send(new PutItemCommand({ TableName: 'items', Item: { x: { S: '1' } } })),
    );
    expect(missingKey.message).toBe('One or more parameter values were invalid: Missing the key id in the item');
    const wrongType = await awsError(() =>
      h.client.send(new PutItemCommand({ TableName: 'items', Item: { id: { N: '1' } } })),
    );
    expect(wrongType.message).toBe(
      'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N',
    );
    const badKey = await awsError(() =>
      h.client.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: '1' }, extra: { S: '2' } } })),
    );
    expect(badKey.message).toBe('The provided key element does not match the schema');
    const emptyKey = await awsError(() =>
      h.client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: '' } } })),
    );
    expect(emptyKey.message).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
    );
    const gsiType = await awsError(() =>
      h.client.send(
        new PutItemCommand({ TableName: 'composite', Item: { pk: { S: 'a' }, sk: { N: '1' }, gsiKey: { N: '5' } } }),
      ),
    );
    expect(gsiType.message).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key gsiKey Expected: S Actual: N IndexName: gsi',
    );
    const noTable = await awsError(() =>
      h.client.send(new GetItemCommand({ TableName: 'nothing', Key: { id: { S: '1' } } })),
    );
    expect(noTable.name).toBe('ResourceNotFoundException');
    expect(noTable.message).toBe('Requested resource not found');
    const nullName = await rawRequest(h.endpoint, 'GetItem', { Key: { id: { S: '1' } } });
    expect(nullName.json.message).toBe(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
    const returnValues = await awsError(() =>
      h.client.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: 'q' } }, ReturnValues: 'ALL_NEW' })),
    );
    expect(returnValues.message).toBe('ReturnValues can only be ALL_OLD or NONE');
  });

  it('conditions: ConditionExpression, Expected, and the old item on failure', async () => {
    await h.doc.send(new PutCommand({ TableName: 'items', Item: { id: 'c', version: 1 } }));
    const failed = await awsError(() =>
      h.doc.send(
        new PutCommand({
          TableName: 'items',
          Item: { id: 'c', version: 2 },
          ConditionExpression: 'attribute_not_exists(id)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    expect(failed.name).toBe('ConditionalCheckFailedException');
    expect(failed.message).toBe('The conditional request failed');
    expect(failed.error.Item).toEqual({ id: { S: 'c' }, version: { N: '1' } });
    await h.doc.send(
      new PutCommand({
        TableName: 'items',
        Item: { id: 'c', version: 2 },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': 1 },
      }),
    );
    await h.client.send(
      new PutItemCommand({
        TableName: 'items',
        Item: { id: { S: 'c' }, version: { N: '3' } },
        Expected: { version: { Value: { N: '2' } } },
      }),
    );
    const legacyFail = await awsError(() =>
      h.client.send(
        new DeleteItemCommand({
          TableName: 'items',
          Key: { id: { S: 'c' } },
          Expected: { version: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '10' }] } },
        }),
      ),
    );
    expect(legacyFail.name).toBe('ConditionalCheckFailedException');
    const mixed = await awsError(() =>
      h.client.send(
        new PutItemCommand({
          TableName: 'items',
          Item: { id: { S: 'c' } },
          Expected: { version: { Exists: false } },
          ConditionExpression: 'attribute_exists(id)',
        }),
      ),
    );
    expect(mixed.message).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
    const unused = await awsError(() =>
      h.client.send(
        new PutItemCommand({
          TableName: 'items',
          Item: { id: { S: 'c' } },
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':unused': { S: 'x' } },
        }),
      ),
    );
    expect(unused.message).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}');
  });

  it('UpdateItem: ReturnValues in all five modes', async () => {
    await h.doc.send(new PutCommand({ TableName: 'items', Item: { id: 'u', a: 1, b: 'keep' } }));
    const update = (ReturnValues: any, a: number) =>
      h.doc.send(
        new UpdateCommand({
          TableName: 'items',
          Key: { id: 'u' },
          UpdateExpression: 'SET a = :a',
          ExpressionAttributeValues: { ':a': a },
          ReturnValues,
        }),
      );
    expect((await update('NONE', 2)).Attributes).toBeUndefined();
    expect((await update('ALL_OLD', 3)).Attributes).toEqual({ id: 'u', a: 2, b: 'keep' });
    expect((await update('UPDATED_OLD', 4)).Attributes).toEqual({ a: 3 });
    expect((await update('UPDATED_NEW', 5)).Attributes).toEqual({ a: 5 });
    expect((await update('ALL_NEW', 6)).Attributes).toEqual({ id: 'u', a: 6, b: 'keep' });
  });

  it('UpdateItem creates missing items, refuses key updates, and supports AttributeUpdates', async () => {
    const created = await h.doc.send(
      new UpdateCommand({
        TableName: 'items',
        Key: { id: 'new' },
        UpdateExpression: 'ADD hits :one SET #l = list_append(if_not_exists(#l, :empty), :x)',
        ExpressionAttributeNames: { '#l': 'log' },
        ExpressionAttributeValues: { ':one': 1, ':empty': [], ':x': ['hello'] },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(created.Attributes).toEqual({ id: 'new', hits: 1, log: ['hello'] });
    const key = await awsError(() =>
      h.doc.send(
        new UpdateCommand({
          TableName: 'items',
          Key: { id: 'new' },
          UpdateExpression: 'SET id = :x',
          ExpressionAttributeValues: { ':x': 'other' },
        }),
      ),
    );
    expect(key.message).toBe(
      'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key',
    );
    const legacy = await h.client.send(
      new UpdateItemCommand({
        TableName: 'items',
        Key: { id: { S: 'new' } },
        AttributeUpdates: {
          hits: { Action: 'ADD', Value: { N: '2' } },
          log: { Action: 'DELETE' },
          note: { Action: 'PUT', Value: { S: 'n' } },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(legacy.Attributes).toEqual({ id: { S: 'new' }, hits: { N: '3' }, note: { S: 'n' } });
  });

  it('DeleteItem returns ALL_OLD and removes the item from indexes', async () => {
    await h.doc.send(new PutCommand({ TableName: 'composite', Item: { pk: 'p', sk: 1, gsiKey: 'g' } }));
    const del = await h.doc.send(
      new DeleteCommand({ TableName: 'composite', Key: { pk: 'p', sk: 1 }, ReturnValues: 'ALL_OLD' }),
    );
    expect(del.Attributes).toEqual({ pk: 'p', sk: 1, gsiKey: 'g' });
    const again = await h.doc.send(
      new DeleteCommand({ TableName: 'composite', Key: { pk: 'p', sk: 1 }, ReturnValues: 'ALL_OLD' }),
    );
    expect(again.Attributes).toBeUndefined();
    const scan = await h.engine.scan({ TableName: 'composite', IndexName: 'gsi' });
    expect(scan.Count).toBe(0);
  });

  it('ReturnConsumedCapacity counts 1 WCU per KB and half an RCU per 4 KB eventually consistent', async () => {
    const put = await h.client.send(
      new PutItemCommand({
        TableName: 'composite',
        Item: { pk: { S: 'cap' }, sk: { N: '1' }, gsiKey: { S: 'g' }, v: { S: 'x'.repeat(1500) } },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(put.ConsumedCapacity).toEqual({
      TableName: 'composite',
      CapacityUnits: 4,
      WriteCapacityUnits: 4,
      Table: { CapacityUnits: 2, WriteCapacityUnits: 2 },
      GlobalSecondaryIndexes: { gsi: { CapacityUnits: 2, WriteCapacityUnits: 2 } },
    });
    const get = await h.client.send(
      new GetItemCommand({
        TableName: 'composite',
        Key: { pk: { S: 'cap' }, sk: { N: '1' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(get.ConsumedCapacity).toEqual({ TableName: 'composite', CapacityUnits: 0.5, ReadCapacityUnits: 0.5 });
    const strong = await h.client.send(
      new GetItemCommand({
        TableName: 'composite',
        Key: { pk: { S: 'cap' }, sk: { N: '1' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(strong.ConsumedCapacity?.CapacityUnits).toBe(1);
  });
});
