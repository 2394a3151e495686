import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const { util, dynamodb: ddb } = createBuiltins(fakeHost().slot);
const { operations } = ddb;

describe('util.dynamodb', () => {
  it('converts values the way the AppSync documentation shows', () => {
    expect(util.dynamodb.toDynamoDB('foo')).toEqual({ S: 'foo' });
    expect(util.dynamodb.toDynamoDB(12345)).toEqual({ N: 12345 });
    expect(util.dynamodb.toDynamoDB(true)).toEqual({ BOOL: true });
    expect(util.dynamodb.toDynamoDB(null)).toEqual({ NULL: null });
    expect(util.dynamodb.toDynamoDB(['foo', 123, { bar: 'baz' }])).toEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
    expect(util.dynamodb.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'], skipped: undefined })).toEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
  });

  it('has a typed helper per attribute type', () => {
    const d = util.dynamodb;
    expect(d.toString('foo')).toEqual({ S: 'foo' });
    expect(d.toStringSet(['foo', 'bar'])).toEqual({ SS: ['foo', 'bar'] });
    expect(d.toNumber(1.5)).toEqual({ N: 1.5 });
    expect(d.toNumberSet([1, 23, 4.56])).toEqual({ NS: [1, 23, 4.56] });
    expect(d.toBinary('Zm9v')).toEqual({ B: 'Zm9v' });
    expect(d.toBinarySet(['Zm9v', 'YmFy'])).toEqual({ BS: ['Zm9v', 'YmFy'] });
    expect(d.toBoolean(false)).toEqual({ BOOL: false });
    expect(d.toNull()).toEqual({ NULL: null });
    expect(d.toList(['a', 1])).toEqual({ L: [{ S: 'a' }, { N: 1 }] });
    expect(d.toMap({ a: 1 })).toEqual({ M: { a: { N: 1 } } });
    expect(d.toMapValues({ id: 'x', n: 2 })).toEqual({ id: { S: 'x' }, n: { N: 2 } });
    expect(() => d.toNumber('1' as unknown as number)).toThrow(/util\.dynamodb\.toNumber: expected a number/);
    expect(() => d.toStringSet(['a', 1] as unknown as string[])).toThrow(ResolverError);
    expect(() => d.toDynamoDB(Number.NaN)).toThrow(ResolverError);
  });

  it('round-trips S3 object references', () => {
    const s3 = util.dynamodb.toS3Object('foo', 'bar', 'baz', 'v1');
    expect(JSON.parse(s3.S)).toEqual({ s3: { key: 'foo', bucket: 'bar', region: 'baz', version: 'v1' } });
    expect(util.dynamodb.fromS3ObjectJson(s3.S)).toEqual({ key: 'foo', bucket: 'bar', region: 'baz', version: 'v1' });
    expect(util.dynamodb.fromS3ObjectJson('{ "s3" : { "key" : "k", "bucket" : "b", "region" : "r" } }')).toEqual({
      key: 'k',
      bucket: 'b',
      region: 'r',
    });
    expect(() => util.dynamodb.fromS3ObjectJson('{"s3":{}}')).toThrow(ResolverError);
  });
});

describe('@aws-appsync/utils/dynamodb single-item helpers', () => {
  it('get', () => {
    expect(ddb.get({ key: { id: '1' } })).toEqual({ operation: 'GetItem', key: { id: { S: '1' } } });
    expect(ddb.get({ key: { pk: 'a', sk: 2 }, consistentRead: true, projection: ['id', 'name'] })).toEqual({
      operation: 'GetItem',
      key: { pk: { S: 'a' }, sk: { N: 2 } },
      consistentRead: true,
      projection: { expression: '#id,#name', expressionNames: { '#id': 'id', '#name': 'name' } },
    });
    expect(() => ddb.get({ key: {} })).toThrow(/get: key must be a non-empty object/);
  });

  it('put with a condition and versioning fields', () => {
    expect(
      ddb.put({
        key: { id: '1' },
        item: { title: 'Hi', tags: ['a'], draft: false },
        condition: { id: { attributeExists: false } },
        _version: 2,
      }),
    ).toEqual({
      operation: 'PutItem',
      key: { id: { S: '1' } },
      attributeValues: { title: { S: 'Hi' }, tags: { L: [{ S: 'a' }] }, draft: { BOOL: false } },
      condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
      _version: 2,
    });
  });

  it('put writes sets made with the module set helpers', () => {
    expect(
      ddb.put({ key: { id: '1' }, item: { tags: ddb.toStringSet(['a', 'b']), n: ddb.toNumberSet([1]) } })
        .attributeValues,
    ).toEqual({
      tags: { SS: ['a', 'b'] },
      n: { NS: [1] },
    });
  });

  it('passes an already written condition through unchanged', () => {
    const condition = {
      expression: 'attribute_exists(#id)',
      expressionNames: { '#id': 'id' },
      equalsIgnore: ['updatedAt'],
    };
    expect(ddb.remove({ key: { id: '1' }, condition }).condition).toEqual(condition);
  });

  it('remove', () => {
    expect(ddb.remove({ key: { id: '1' }, condition: { owner: { eq: 'me' } } })).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: '1' } },
      condition: {
        expression: '(#owner = :owner_eq)',
        expressionNames: { '#owner': 'owner' },
        expressionValues: { ':owner_eq': { S: 'me' } },
      },
    });
  });

  it('update sets plain values and leaves key attributes out', () => {
    expect(ddb.update({ key: { id: '1' }, update: { id: '1', title: 'New', done: true } })).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: '1' } },
      update: {
        expression: 'SET #title = :title, #done = :done',
        expressionNames: { '#title': 'title', '#done': 'done' },
        expressionValues: { ':title': { S: 'New' }, ':done': { BOOL: true } },
      },
    });
  });

  it('update turns each operation into its clause', () => {
    const request = ddb.update({
      key: { id: '1' },
      update: {
        counter: operations.increment(2),
        stock: operations.decrement(1),
        tags: operations.append(['x']),
        history: operations.prepend(['y']),
        labels: operations.add(ddb.toStringSet(['z'])),
        obsolete: operations.remove(),
        address: operations.replace({ city: 'Paris' }),
        items: operations.updateListItem('v', 2),
        profile: { name: 'Ann', visits: operations.increment() },
      },
      condition: { version: { eq: 3 } },
    });
    expect(request.update).toEqual({
      expression:
        'SET #tags = list_append(#tags, :tags), #history = list_append(:history, #history), #address = :address, ' +
        '#items[2] = :items_2, #profile.#name = :profile_name, #profile.#visits = #profile.#visits + :profile_visits ' +
        'REMOVE #obsolete ADD #counter :counter, #stock :stock, #labels :labels',
      expressionNames: {
        '#counter': 'counter',
        '#stock': 'stock',
        '#tags': 'tags',
        '#history': 'history',
        '#labels': 'labels',
        '#obsolete': 'obsolete',
        '#address': 'address',
        '#items': 'items',
        '#profile': 'profile',
        '#name': 'name',
        '#visits': 'visits',
      },
      expressionValues: {
        ':counter': { N: 2 },
        ':stock': { N: -1 },
        ':tags': { L: [{ S: 'x' }] },
        ':history': { L: [{ S: 'y' }] },
        ':labels': { SS: ['z'] },
        ':address': { M: { city: { S: 'Paris' } } },
        ':items_2': { S: 'v' },
        ':profile_name': { S: 'Ann' },
        ':profile_visits': { N: 1 },
      },
    });
    expect(request.condition).toEqual({
      expression: '(#version = :version_eq)',
      expressionNames: { '#version': 'version' },
      expressionValues: { ':version_eq': { N: 3 } },
    });
  });

  it('update refuses an empty change and bad list indexes', () => {
    expect(() => ddb.update({ key: { id: '1' }, update: { id: '1' } })).toThrow(/nothing to change/);
    expect(() => operations.updateListItem('v', -1)).toThrow(ResolverError);
    expect(() => operations.increment('2' as unknown as number)).toThrow(ResolverError);
  });
});

describe('@aws-appsync/utils/dynamodb reads', () => {
  it('query with key condition, filter, index and paging', () => {
    expect(
      ddb.query({
        query: { channel: { eq: 'news' }, path: { beginsWith: '/a' } },
        filter: { status: { ne: 'DELETED' } },
        index: 'byPath',
        limit: 20,
        nextToken: 'tok',
        scanIndexForward: false,
        consistentRead: false,
        select: 'ALL_ATTRIBUTES',
        projection: ['channel', 'path'],
      }),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '#channel = :channel_eq AND begins_with(#path,:path_beginsWith)',
        expressionNames: { '#channel': 'channel', '#path': 'path' },
        expressionValues: { ':channel_eq': { S: 'news' }, ':path_beginsWith': { S: '/a' } },
      },
      filter: {
        expression: '(#status <> :status_ne)',
        expressionNames: { '#status': 'status' },
        expressionValues: { ':status_ne': { S: 'DELETED' } },
      },
      index: 'byPath',
      limit: 20,
      nextToken: 'tok',
      consistentRead: false,
      select: 'ALL_ATTRIBUTES',
      scanIndexForward: false,
      projection: { expression: '#channel,#path', expressionNames: { '#channel': 'channel', '#path': 'path' } },
    });
  });

  it('query keeps between on the sort key and refuses filter-only operators', () => {
    expect(ddb.query({ query: { pk: { eq: 'a' }, sk: { between: [1, 9] } } }).query).toEqual({
      expression: '#pk = :pk_eq AND #sk BETWEEN :sk_between_0 AND :sk_between_1',
      expressionNames: { '#pk': 'pk', '#sk': 'sk' },
      expressionValues: { ':pk_eq': { S: 'a' }, ':sk_between_0': { N: 1 }, ':sk_between_1': { N: 9 } },
    });
    expect(() => ddb.query({ query: { pk: { ne: 'a' } } })).toThrow(/'ne' is not allowed in a key condition/);
    expect(() => ddb.query({ query: {} })).toThrow(/partition key/);
  });

  it('scan and sync leave out unset options', () => {
    expect(
      ddb.scan({ limit: 20, filter: { status: { eq: 'ACTIVE' } }, segment: 1, totalSegments: 4, nextToken: null }),
    ).toEqual({
      operation: 'Scan',
      filter: {
        expression: '(#status = :status_eq)',
        expressionNames: { '#status': 'status' },
        expressionValues: { ':status_eq': { S: 'ACTIVE' } },
      },
      limit: 20,
      segment: 1,
      totalSegments: 4,
    });
    expect(ddb.scan()).toEqual({ operation: 'Scan' });
    expect(
      ddb.sync({ limit: 100, lastSync: 1700000000000, basePartitionKey: 'Base', deltaIndexName: 'deltaIndex' }),
    ).toEqual({
      operation: 'Sync',
      basePartitionKey: 'Base',
      deltaIndexName: 'deltaIndex',
      limit: 100,
      lastSync: 1700000000000,
    });
  });
});

describe('@aws-appsync/utils/dynamodb batches and transactions', () => {
  it('batchGet, batchPut, batchDelete', () => {
    expect(
      ddb.batchGet({
        tables: { users: { keys: [{ id: '1' }, { id: '2' }], consistentRead: true, projection: ['id'] } },
      }),
    ).toEqual({
      operation: 'BatchGetItem',
      tables: {
        users: {
          keys: [{ id: { S: '1' } }, { id: { S: '2' } }],
          consistentRead: true,
          projection: { expression: '#id', expressionNames: { '#id': 'id' } },
        },
      },
    });
    expect(ddb.batchPut({ tables: { posts: [{ id: '1', n: 1 }], tags: [{ id: 't' }] } })).toEqual({
      operation: 'BatchPutItem',
      tables: { posts: [{ id: { S: '1' }, n: { N: 1 } }], tags: [{ id: { S: 't' } }] },
    });
    expect(ddb.batchDelete({ tables: { posts: [{ id: '1' }] } })).toEqual({
      operation: 'BatchDeleteItem',
      tables: { posts: [{ id: { S: '1' } }] },
    });
    expect(() => ddb.batchPut({ tables: { posts: { id: '1' } } })).toThrow(/tables\.posts must be a list/);
  });

  it('transactGet', () => {
    expect(
      ddb.transactGet({
        items: [
          { table: 'A', key: { id: '1' } },
          { table: 'B', key: { id: '2' }, projection: ['x'] },
        ],
      }),
    ).toEqual({
      operation: 'TransactGetItems',
      transactItems: [
        { table: 'A', key: { id: { S: '1' } } },
        { table: 'B', key: { id: { S: '2' } }, projection: { expression: '#x', expressionNames: { '#x': 'x' } } },
      ],
    });
  });

  it('transactWrite maps putItem, updateItem, removeItem and conditionCheck', () => {
    expect(
      ddb.transactWrite({
        items: [
          {
            putItem: {
              table: 'Orders',
              key: { id: 'o1' },
              item: { status: 'PENDING' },
              condition: { id: { attributeExists: false } },
            },
          },
          { updateItem: { table: 'Stock', key: { sku: 's1' }, update: { count: operations.decrement(1) } } },
          { removeItem: { table: 'Carts', key: { id: 'c1' } } },
          {
            conditionCheck: {
              table: 'Users',
              key: { id: 'u1' },
              condition: { active: { eq: true } },
              returnValuesOnConditionCheckFailure: true,
            },
          },
        ],
      }),
    ).toEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'Orders',
          operation: 'PutItem',
          key: { id: { S: 'o1' } },
          attributeValues: { status: { S: 'PENDING' } },
          condition: { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } },
        },
        {
          table: 'Stock',
          operation: 'UpdateItem',
          key: { sku: { S: 's1' } },
          update: {
            expression: 'ADD #count :count',
            expressionNames: { '#count': 'count' },
            expressionValues: { ':count': { N: -1 } },
          },
        },
        { table: 'Carts', operation: 'DeleteItem', key: { id: { S: 'c1' } } },
        {
          table: 'Users',
          operation: 'ConditionCheck',
          key: { id: { S: 'u1' } },
          condition: {
            expression: '(#active = :active_eq)',
            expressionNames: { '#active': 'active' },
            expressionValues: { ':active_eq': { BOOL: true } },
            returnValuesOnConditionCheckFailure: true,
          },
        },
      ],
    });
  });

  it('transactWrite refuses items without exactly one kind, and condition checks without a condition', () => {
    expect(() => ddb.transactWrite({ items: [{ table: 'A' }] })).toThrow(ResolverError);
    expect(() => ddb.transactWrite({ items: [{ conditionCheck: { table: 'A', key: { id: '1' } } }] })).toThrow(
      /needs a condition/,
    );
    expect(() => ddb.transactWrite({ items: [] })).toThrow(/non-empty list/);
  });

  it('works with named imports: the helpers do not depend on this', () => {
    const { get, put } = ddb;
    expect(get({ key: { id: 'a' } }).operation).toBe('GetItem');
    expect(put({ key: { id: 'a' }, item: {} }).operation).toBe('PutItem');
  });
});
