// Callers inside the server (data sources, resolvers, functions) hand the engine parsed objects, not bodies: the
// same limits hold for them, as DynamoDB errors, whatever the object's depth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/tables/errors.js';
import { createTableEngine, openSqliteStorage, type TableEngine } from '../../src/tables/index.js';
import type { Storage } from '../../src/tables/storage/port.js';

let storage: Storage;
let engine: TableEngine;

beforeAll(() => {
  storage = openSqliteStorage(':memory:');
  engine = createTableEngine({ storage });
  engine.createTable({
    TableName: 'direct',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
});

afterAll(() => storage.close());

/** Built in a loop: 100,000 levels would overflow any recursive builder. */
function deep(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { S: 'leaf' };
  for (let i = 0; i < levels; i++) v = { M: { a: v } };
  return v;
}

function errorOf(fn: () => unknown): DynamoDBError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DynamoDBError) return e;
    throw e;
  }
  throw new Error('expected a DynamoDBError');
}

describe('engine input from inside the server', () => {
  it('a 100,000-level value is a ValidationException wherever it sits, never a stack overflow', () => {
    const value = deep(100_000);
    const requests: [string, Record<string, unknown>][] = [
      ['PutItem', { TableName: 'direct', Item: { id: { S: 'x' }, v: value } }],
      // An invalid table name makes the validator quote the map it belongs to.
      ['BatchWriteItem', { RequestItems: { x: [{ PutRequest: { Item: { id: { S: 'x' }, v: value } } }] } }],
      [
        'UpdateItem',
        {
          TableName: 'direct',
          Key: { id: { S: 'x' } },
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': value },
        },
      ],
      ['Query', { TableName: 'direct', KeyConditionExpression: 'id = :v', ExpressionAttributeValues: { ':v': value } }],
    ];
    for (const [action, input] of requests) {
      const error = errorOf(() => engine.execute(action, input));
      expect(error.type, action).toBe('ValidationException');
      expect(error.message, action).toContain('Nesting Levels have exceeded supported limits');
    }
  });

  it('an item at the limit is still accepted', () => {
    engine.execute('PutItem', { TableName: 'direct', Item: { id: { S: 'ok' }, v: deep(31) } });
    expect(engine.execute('GetItem', { TableName: 'direct', Key: { id: { S: 'ok' } } }).Item).toEqual({
      id: { S: 'ok' },
      v: deep(31),
    });
  });
});
