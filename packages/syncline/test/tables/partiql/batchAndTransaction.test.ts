// BatchExecuteStatement and ExecuteTransaction through the real SDK clients (client-dynamodb and lib-dynamodb).
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand as DocBatchExecuteStatementCommand,
  ExecuteTransactionCommand as DocExecuteTransactionCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, startHarness } from '../harness.js';

describe('PartiQL batches and transactions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'accounts',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => h.close());

  const get = async (id: string) =>
    (await h.client.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: id } } }))).Item;

  it('BatchExecuteStatement writes independently and reports each failure in its place', async () => {
    await h.client.send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: `INSERT INTO accounts VALUE {'id': 'b0', 'balance': 1}` }],
      }),
    );
    const out = await h.client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `INSERT INTO accounts VALUE {'id': ?, 'balance': 10}`, Parameters: [{ S: 'b1' }] },
          { Statement: `INSERT INTO accounts VALUE {'id': 'b0'}` },
          { Statement: `UPDATE accounts SET balance = 5 WHERE id = 'b0' AND balance = 99` },
          { Statement: `SELECT * FROM` },
          { Statement: `DELETE FROM nosuch WHERE id = 'x'` },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.Responses?.map((r) => r.Error?.Code ?? 'ok')).toEqual([
      'ok',
      'DuplicateItem',
      'ConditionalCheckFailed',
      'ValidationError',
      'ResourceNotFound',
    ]);
    expect(out.Responses?.[1].Error?.Message).toBe('Duplicate primary key exists in table');
    expect(out.Responses?.[3].Error?.Message).toMatch(/^Statement wasn't well formed, can't be processed: /);
    expect(out.Responses?.[0].TableName).toBe('accounts');
    expect(out.ConsumedCapacity?.[0]).toMatchObject({ TableName: 'accounts' });
    expect(await get('b1')).toEqual({ id: { S: 'b1' }, balance: { N: '10' } });
  });

  it('BatchExecuteStatement reads single items by full key, and refuses partial keys and mixed batches', async () => {
    const out = await h.client.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT balance FROM accounts WHERE id = 'b1'` },
          { Statement: `SELECT * FROM accounts WHERE id = 'none'` },
          { Statement: `SELECT * FROM accounts WHERE id = 'b1' AND balance > 100` },
          { Statement: `SELECT * FROM accounts WHERE balance = 10` },
        ],
      }),
    );
    expect(out.Responses?.[0]).toEqual({ TableName: 'accounts', Item: { balance: { N: '10' } } });
    expect(out.Responses?.[1].Item).toBeUndefined();
    expect(out.Responses?.[2].Item).toBeUndefined();
    expect(out.Responses?.[3].Error).toEqual({
      Code: 'ValidationError',
      Message: 'Where clause does not contain a mandatory equality on all key attributes',
    });
    const mixed = await awsError(() =>
      h.client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `SELECT * FROM accounts WHERE id = 'b1'` },
            { Statement: `DELETE FROM accounts WHERE id = 'b1'` },
          ],
        }),
      ),
    );
    expect(mixed.name).toBe('ValidationException');
    const tooMany = await awsError(() =>
      h.client.send(
        new BatchExecuteStatementCommand({
          Statements: Array.from({ length: 26 }, (_, i) => ({ Statement: `SELECT * FROM accounts WHERE id = '${i}'` })),
        }),
      ),
    );
    expect(tooMany.message).toContain('Member must have length less than or equal to 25');
  });

  it('ExecuteTransaction writes atomically and cancels with reasons in statement order', async () => {
    await h.client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO accounts VALUE {'id': 't1', 'balance': 100}` },
          { Statement: `INSERT INTO accounts VALUE {'id': 't2', 'balance': 0}` },
        ],
      }),
    );
    const cancelled = await awsError(() =>
      h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `UPDATE accounts SET balance = balance - 150 WHERE id = 't1' AND balance >= 150` },
            { Statement: `UPDATE accounts SET balance = balance + 150 WHERE id = 't2'` },
            { Statement: `INSERT INTO accounts VALUE {'id': 'b0'}` },
          ],
        }),
      ),
    );
    expect(cancelled.name).toBe('TransactionCanceledException');
    expect(cancelled.error.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual([
      'ConditionalCheckFailed',
      'None',
      'DuplicateItem',
    ]);
    expect((await get('t2'))?.balance).toEqual({ N: '0' });
    await h.client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `EXISTS(SELECT * FROM accounts WHERE id = 't1' AND balance >= 50)` },
          { Statement: `UPDATE accounts SET balance = balance + 50 WHERE id = 't2'` },
        ],
      }),
    );
    expect((await get('t2'))?.balance).toEqual({ N: '50' });
    const failedCheck = await awsError(() =>
      h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `EXISTS(SELECT * FROM accounts WHERE id = 'ghost')` },
            { Statement: `UPDATE accounts SET balance = 1 WHERE id = 't2'` },
          ],
        }),
      ),
    );
    expect(failedCheck.error.CancellationReasons[0].Code).toBe('ConditionalCheckFailed');
  });

  it("runs the developer guide's transaction: EXISTS with IS MISSING, INSERT with parameters, UPDATE", async () => {
    await h.client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO accounts VALUE {'id': 'g1'}` },
          { Statement: `INSERT INTO accounts VALUE {'id': 'g3'}` },
        ],
      }),
    );
    const out = await h.client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `EXISTS(SELECT * FROM accounts where id = 'g1' and Awards is  MISSING)` },
          {
            Statement: `INSERT INTO accounts value {'id': ?, 'song': ?}`,
            Parameters: [{ S: 'g2' }, { S: 'Best Song' }],
          },
          { Statement: `UPDATE accounts SET AwardsWon=1 SET AwardDetail={'Grammys':[2020, 2018]}  where id='g3'` },
        ],
      }),
    );
    expect(out.Responses).toBeUndefined();
    expect(await get('g3')).toEqual({
      id: { S: 'g3' },
      AwardsWon: { N: '1' },
      AwardDetail: { M: { Grammys: { L: [{ N: '2020' }, { N: '2018' }] } } },
    });
    expect((await get('g2'))?.song).toEqual({ S: 'Best Song' });
  });

  it('ExecuteTransaction is idempotent under a ClientRequestToken', async () => {
    const send = () =>
      h.client.send(
        new ExecuteTransactionCommand({
          ClientRequestToken: 'token-1',
          TransactStatements: [{ Statement: `UPDATE accounts SET balance = balance + 1 WHERE id = 't1'` }],
        }),
      );
    await send();
    await send();
    expect((await get('t1'))?.balance).toEqual({ N: '101' });
  });

  it('ExecuteTransaction reads items by key and refuses reads without the key or mixed with writes', async () => {
    const out = await h.client.send(
      new ExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `SELECT balance FROM accounts WHERE id = 't1'` },
          { Statement: `SELECT * FROM accounts WHERE id = 'missing'` },
        ],
      }),
    );
    expect(out.Responses).toEqual([{ Item: { balance: { N: '101' } } }, {}]);
    const noKey = await awsError(() =>
      h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `SELECT * FROM accounts WHERE balance = 1` }],
        }),
      ),
    );
    expect(noKey).toMatchObject({
      name: 'ValidationException',
      message: 'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
    });
    const mixed = await awsError(() =>
      h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `SELECT * FROM accounts WHERE id = 't1'` },
            { Statement: `DELETE FROM accounts WHERE id = 't1'` },
          ],
        }),
      ),
    );
    expect(mixed.name).toBe('ValidationException');
  });

  it('lib-dynamodb batch and transaction commands marshal native parameters and results', async () => {
    await h.doc.send(
      new DocExecuteTransactionCommand({
        TransactStatements: [
          { Statement: `INSERT INTO accounts VALUE {'id': ?, 'owner': ?}`, Parameters: ['d1', { name: 'Bo' }] },
          { Statement: `INSERT INTO accounts VALUE {'id': ?, 'tags': ?}`, Parameters: ['d2', new Set(['x'])] },
        ],
      }),
    );
    const out = await h.doc.send(
      new DocBatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT owner.name FROM accounts WHERE id = ?`, Parameters: ['d1'] },
          { Statement: `SELECT tags FROM accounts WHERE id = ?`, Parameters: ['d2'] },
        ],
      }),
    );
    expect(out.Responses?.map((r) => r.Item)).toEqual([{ name: 'Bo' }, { tags: new Set(['x']) }]);
  });
});
