// What IAM checks for each DynamoDB and DynamoDB Streams request, read from untrusted bodies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dynamodbRequestScope,
  type RequestScope,
  streamArnOfIterator,
  streamsRequestScope,
} from '../../src/auth/awsRequestScope.js';
import { deniedScope, parsePolicyDocument } from '../../src/auth/policy.js';
import { encodeIterator } from '../../src/tables/streams/iterators.js';

const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 0) * 1000;
const runs = (n: number) => (FUZZ_MS > 0 ? { numRuns: 1e9, interruptAfterTimeLimit: FUZZ_MS } : { numRuns: n });
const FUZZ_TIMEOUT = FUZZ_MS + 60_000;

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const arn = (table: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
const scope = (operation: string, body: unknown) => dynamodbRequestScope(operation, body, REGION, ACCOUNT);
const one = (action: string, ...resources: string[]): RequestScope[] => [{ action, resources }];

describe('dynamodbRequestScope: item and table actions', () => {
  it.each([
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'CreateTable',
    'DeleteTable',
    'UpdateTable',
    'DescribeTable',
    'DescribeTimeToLive',
    'UpdateTimeToLive',
    'DescribeContinuousBackups',
  ])('%s is dynamodb:%s on the table', (operation) => {
    expect(scope(operation, { TableName: 'Orders', Key: {} })).toEqual(one(`dynamodb:${operation}`, arn('Orders')));
  });

  it('takes a table ARN in TableName as it is', () => {
    const other = 'arn:aws:dynamodb:us-east-1:999999999999:table/Orders';
    expect(scope('GetItem', { TableName: other })).toEqual(one('dynamodb:GetItem', other));
  });

  it.each(['Query', 'Scan'])('%s is checked on the table, or on the index alone when it names one', (operation) => {
    expect(scope(operation, { TableName: 'Orders' })).toEqual(one(`dynamodb:${operation}`, arn('Orders')));
    expect(scope(operation, { TableName: 'Orders', IndexName: 'byDate' })).toEqual(
      one(`dynamodb:${operation}`, `${arn('Orders')}/index/byDate`),
    );
  });

  it.each(['ListTables', 'DescribeLimits', 'DescribeEndpoints', 'ListBackups', 'ListGlobalTables'])(
    '%s has no resource type: *',
    (operation) => {
      expect(scope(operation, {})).toEqual(one(`dynamodb:${operation}`, '*'));
      expect(scope(operation, { TableName: 'Orders' })).toEqual(one(`dynamodb:${operation}`, '*'));
    },
  );

  it.each(['TagResource', 'UntagResource', 'ListTagsOfResource'])('%s is checked on ResourceArn', (operation) => {
    expect(scope(operation, { ResourceArn: arn('Orders'), Tags: [] })).toEqual(
      one(`dynamodb:${operation}`, arn('Orders')),
    );
  });

  it('checks a non-canonical ResourceArn on * and on the table a lenient reading would find', () => {
    expect(scope('TagResource', { ResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:999:table/Orders` })).toEqual(
      one('dynamodb:TagResource', '*', arn('Orders')),
    );
    expect(scope('TagResource', { ResourceArn: 'no-arn' })).toEqual(one('dynamodb:TagResource', '*'));
  });

  it('uses the table for an action it does not know that names one, * otherwise', () => {
    expect(scope('CreateBackup', { TableName: 'Orders', BackupName: 'b' })).toEqual(
      one('dynamodb:CreateBackup', arn('Orders')),
    );
    expect(scope('DescribeBackup', { BackupArn: 'x' })).toEqual(one('dynamodb:DescribeBackup', '*'));
  });
});

describe('dynamodbRequestScope: batches and transactions', () => {
  it('checks BatchGetItem and BatchWriteItem on every table they name', () => {
    const body = { RequestItems: { Orders: { Keys: [] }, Users: { Keys: [] }, Audit: { Keys: [] } } };
    expect(scope('BatchGetItem', body)).toEqual(
      one('dynamodb:BatchGetItem', arn('Orders'), arn('Users'), arn('Audit')),
    );
    expect(scope('BatchWriteItem', body)).toEqual(
      one('dynamodb:BatchWriteItem', arn('Orders'), arn('Users'), arn('Audit')),
    );
  });

  it('checks each TransactWriteItems item with its own action on its own table, once per pair', () => {
    const body = {
      TransactItems: [
        { Put: { TableName: 'Orders', Item: {} } },
        { Put: { TableName: 'Orders', Item: {} } },
        { Update: { TableName: 'Users', Key: {} } },
        { Delete: { TableName: 'Carts', Key: {} } },
        { ConditionCheck: { TableName: 'Users', Key: {} } },
        { Put: { TableName: 'Audit', Item: {} } },
      ],
    };
    expect(scope('TransactWriteItems', body)).toEqual([
      { action: 'dynamodb:PutItem', resources: [arn('Orders'), arn('Audit')] },
      { action: 'dynamodb:UpdateItem', resources: [arn('Users')] },
      { action: 'dynamodb:DeleteItem', resources: [arn('Carts')] },
      { action: 'dynamodb:ConditionCheckItem', resources: [arn('Users')] },
    ]);
  });

  it('checks an item that names two operations on both (the operation refuses it later)', () => {
    const body = { TransactItems: [{ Put: { TableName: 'Orders' }, Delete: { TableName: 'Users' } }] };
    expect(scope('TransactWriteItems', body)).toEqual([
      { action: 'dynamodb:PutItem', resources: [arn('Orders')] },
      { action: 'dynamodb:DeleteItem', resources: [arn('Users')] },
    ]);
  });

  it('checks TransactGetItems as GetItem on each table', () => {
    const body = { TransactItems: [{ Get: { TableName: 'Orders' } }, { Get: { TableName: 'Users' } }] };
    expect(scope('TransactGetItems', body)).toEqual(one('dynamodb:GetItem', arn('Orders'), arn('Users')));
  });

  it('refuses a transaction a scoped credential may not complete, naming the table', () => {
    const policies = [
      parsePolicyDocument(
        {
          Statement: [
            { Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: arn('*') },
            { Effect: 'Deny', Action: '*', Resource: arn('Audit') },
          ],
        },
        'p',
      ),
    ];
    const body = { TransactItems: [{ Put: { TableName: 'Orders' } }, { Update: { TableName: 'Audit' } }] };
    expect(deniedScope(policies, scope('TransactWriteItems', body))).toEqual({
      action: 'dynamodb:UpdateItem',
      resource: arn('Audit'),
      explicit: true,
    });
    const cond = { TransactItems: [{ ConditionCheck: { TableName: 'Orders' } }] };
    expect(deniedScope(policies, scope('TransactWriteItems', cond))).toEqual({
      action: 'dynamodb:ConditionCheckItem',
      resource: arn('Orders'),
      explicit: false,
    });
  });
});

describe('dynamodbRequestScope: PartiQL', () => {
  it.each([
    ['SELECT * FROM "Orders" WHERE id = ?', 'dynamodb:PartiQLSelect', arn('Orders')],
    ['select a, b from Orders', 'dynamodb:PartiQLSelect', arn('Orders')],
    ['SELECT * FROM "Orders"."byDate"', 'dynamodb:PartiQLSelect', `${arn('Orders')}/index/byDate`],
    [`SELECT 'FROM "Users"' FROM "Orders"`, 'dynamodb:PartiQLSelect', arn('Orders')],
    ['INSERT INTO "Orders" VALUE {\'id\': 1}', 'dynamodb:PartiQLInsert', arn('Orders')],
    ['UPDATE "my-table" SET a = 1 WHERE id = 2', 'dynamodb:PartiQLUpdate', arn('my-table')],
    ['  DELETE FROM "Orders" WHERE id = 1', 'dynamodb:PartiQLDelete', arn('Orders')],
    ['EXISTS(SELECT * FROM "Orders" WHERE id = 1)', 'dynamodb:PartiQLSelect', arn('Orders')],
    ['SELECT * FROM "Or""ders"', 'dynamodb:PartiQLSelect', '*'],
    ['SELECT * FROM', 'dynamodb:PartiQLSelect', '*'],
    ['SELECT * FROM "Orders".', 'dynamodb:PartiQLSelect', '*'],
  ])('ExecuteStatement %s is %s on %s', (Statement, action, resource) => {
    expect(scope('ExecuteStatement', { Statement })).toEqual(one(action, resource));
  });

  it('checks a statement it cannot read as every PartiQL action on *', () => {
    expect(scope('ExecuteStatement', { Statement: 'EXPLAIN SELECT * FROM t' })).toEqual([
      { action: 'dynamodb:PartiQLSelect', resources: ['*'] },
      { action: 'dynamodb:PartiQLInsert', resources: ['*'] },
      { action: 'dynamodb:PartiQLUpdate', resources: ['*'] },
      { action: 'dynamodb:PartiQLDelete', resources: ['*'] },
    ]);
  });

  it('checks every statement of BatchExecuteStatement and ExecuteTransaction', () => {
    const statements = [
      { Statement: 'SELECT * FROM "Orders" WHERE id = 1' },
      { Statement: 'DELETE FROM "Users" WHERE id = 1' },
      { Statement: 'SELECT * FROM "Users" WHERE id = 2' },
    ];
    const expected = [
      { action: 'dynamodb:PartiQLSelect', resources: [arn('Orders'), arn('Users')] },
      { action: 'dynamodb:PartiQLDelete', resources: [arn('Users')] },
    ];
    expect(scope('BatchExecuteStatement', { Statements: statements })).toEqual(expected);
    expect(scope('ExecuteTransaction', { TransactStatements: statements })).toEqual(expected);
  });
});

describe('dynamodbRequestScope: malformed bodies', () => {
  it.each([
    ['GetItem', undefined, one('dynamodb:GetItem', '*')],
    ['GetItem', null, one('dynamodb:GetItem', '*')],
    ['GetItem', [], one('dynamodb:GetItem', '*')],
    ['GetItem', 'text', one('dynamodb:GetItem', '*')],
    ['GetItem', { TableName: 42 }, one('dynamodb:GetItem', '*')],
    ['GetItem', { TableName: 'ab' }, one('dynamodb:GetItem', '*')],
    ['GetItem', { TableName: 'Orders/index/x' }, one('dynamodb:GetItem', '*')],
    ['GetItem', { TableName: 'Orders*' }, one('dynamodb:GetItem', '*')],
    ['Query', { TableName: 'Orders', IndexName: 'a/b' }, one('dynamodb:Query', '*')],
    ['Query', { TableName: 'Orders', IndexName: 7 }, one('dynamodb:Query', '*')],
    ['Query', { IndexName: 'byDate' }, one('dynamodb:Query', '*')],
    ['BatchGetItem', { RequestItems: [] }, one('dynamodb:BatchGetItem', '*')],
    ['BatchGetItem', { RequestItems: {} }, one('dynamodb:BatchGetItem', '*')],
    ['BatchWriteItem', { RequestItems: { 'x/y': [] } }, one('dynamodb:BatchWriteItem', '*')],
    ['TransactWriteItems', { TransactItems: {} }, one('dynamodb:TransactWriteItems', '*')],
    ['TransactWriteItems', { TransactItems: [null, 1, { Put: 'x' }] }, one('dynamodb:PutItem', '*')],
    ['TransactGetItems', { TransactItems: [{ Get: null }] }, one('dynamodb:GetItem', '*')],
    ['ExecuteStatement', { Statement: 5 }, one('dynamodb:PartiQLSelect', '*')],
    ['TagResource', { ResourceArn: 'x'.repeat(5000) }, one('dynamodb:TagResource', '*')],
  ])('%s with %j gives %j', (operation, body, expected) => {
    expect(scope(operation, body)).toEqual(expected);
  });

  it('reads only own keys, and takes prototype-named keys as the table names they are', () => {
    const inherited = Object.create({ TableName: 'Orders' });
    expect(scope('GetItem', inherited)).toEqual(one('dynamodb:GetItem', '*'));
    const proto = JSON.parse('{"RequestItems":{"__proto__":{},"constructor":{},"Orders":{}}}');
    expect(scope('BatchGetItem', proto)).toEqual(
      one('dynamodb:BatchGetItem', arn('__proto__'), arn('constructor'), arn('Orders')),
    );
  });
});

describe('streamsRequestScope', () => {
  const STREAM = `${arn('Orders')}/stream/2026-12-07T03:40:10.123`;

  it.each(['DescribeStream', 'GetShardIterator'])('%s is checked on StreamArn', (operation) => {
    expect(streamsRequestScope(operation, { StreamArn: STREAM, ShardId: 's' })).toEqual(
      one(`dynamodb:${operation}`, STREAM),
    );
  });

  it('checks GetRecords on the stream the iterator was issued for', () => {
    const iterator = encodeIterator({
      streamArn: STREAM,
      shardKey: 'k',
      after: 0,
      issuedAt: Date.now(),
      horizon: true,
    });
    expect(streamArnOfIterator(iterator)).toBe(STREAM);
    expect(streamsRequestScope('GetRecords', { ShardIterator: iterator })).toEqual(one('dynamodb:GetRecords', STREAM));
  });

  it('checks GetRecords with an iterator it cannot read on *', () => {
    for (const ShardIterator of [undefined, 5, 'garbage', `${STREAM}|1|not-base64-json`, `${STREAM}|2|x`]) {
      expect(streamsRequestScope('GetRecords', { ShardIterator })).toEqual(one('dynamodb:GetRecords', '*'));
    }
    expect(streamArnOfIterator('garbage')).toBeUndefined();
  });

  it('checks ListStreams on *, even when it names a table', () => {
    expect(streamsRequestScope('ListStreams', { TableName: 'Orders' })).toEqual(one('dynamodb:ListStreams', '*'));
  });

  it('checks a missing or non-ARN StreamArn on *', () => {
    expect(streamsRequestScope('DescribeStream', {})).toEqual(one('dynamodb:DescribeStream', '*'));
    expect(streamsRequestScope('DescribeStream', { StreamArn: 'Orders' })).toEqual(one('dynamodb:DescribeStream', '*'));
  });
});

// ---- Fuzz ----------------------------------------------------------------------------------------------------

const OPERATIONS = [
  'GetItem',
  'PutItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'TagResource',
  'ListTables',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
  'CreateTable',
  '__proto__',
  'constructor',
];
const STREAM_OPERATIONS = ['DescribeStream', 'GetShardIterator', 'GetRecords', 'ListStreams', 'hasOwnProperty'];

/** JSON values shaped like requests, with the fields the scopes read present often and wrong often. */
const field = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
  fc.constantFrom('Orders', 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders', '__proto__', 'a'.repeat(300)),
);
const requestLike = fc.letrec((tie) => ({
  body: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'TableName',
        'IndexName',
        'RequestItems',
        'TransactItems',
        'Put',
        'Get',
        'ConditionCheck',
        'ResourceArn',
        'Statement',
        'Statements',
        'TransactStatements',
        'StreamArn',
        'ShardIterator',
        '__proto__',
      ),
      fc.oneof(field, tie('body'), fc.array(tie('body'), { maxLength: 3 })),
      { maxKeys: 4 },
    ),
  ),
}));

function checkScopes(scopes: RequestScope[]): void {
  expect(scopes.length).toBeGreaterThan(0);
  for (const s of scopes) {
    expect(typeof s.action).toBe('string');
    expect(s.resources.length).toBeGreaterThan(0);
    for (const r of s.resources) expect(r === '*' || r.startsWith('arn:aws:dynamodb:')).toBe(true);
  }
}

describe('scope fuzz', () => {
  it(
    'never throws and never returns an empty scope for arbitrary JSON bodies',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...OPERATIONS), requestLike.body, fc.string(), (operation, body, text) => {
          checkScopes(scope(operation, body));
          checkScopes(scope(operation, { Statement: text }));
          checkScopes(scope(operation, JSON.parse(JSON.stringify(body ?? null))));
        }),
        runs(500),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'never throws for arbitrary Streams bodies and iterators',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...STREAM_OPERATIONS),
          requestLike.body,
          fc.string(),
          (operation, body, iterator) => {
            checkScopes(streamsRequestScope(operation, body));
            checkScopes(streamsRequestScope(operation, { ShardIterator: iterator, StreamArn: iterator }));
          },
        ),
        runs(500),
      );
    },
    FUZZ_TIMEOUT,
  );
});
