// ExecuteStatement through the real SDK clients: SELECT as Query or Scan, projections, parameters, paging,
// INSERT/UPDATE/DELETE with their conditions and RETURNING, and DynamoDB's PartiQL errors.
import { CreateTableCommand, ExecuteStatementCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ExecuteStatementCommand as DocExecuteStatementCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, type Harness, rawRequest, startHarness } from '../harness.js';

describe('ExecuteStatement', () => {
  let h: Harness;
  const run = (Statement: string, extra: Record<string, unknown> = {}) =>
    h.client.send(new ExecuteStatementCommand({ Statement, ...extra }));

  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Music',
        AttributeDefinitions: [
          { AttributeName: 'Artist', AttributeType: 'S' },
          { AttributeName: 'SongTitle', AttributeType: 'S' },
          { AttributeName: 'Year', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'Artist', KeyType: 'HASH' },
          { AttributeName: 'SongTitle', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByYear',
            KeySchema: [{ AttributeName: 'Year', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await h.client.send(
      new CreateTableCommand({
        TableName: 'users',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (const [artist, song, year] of [
      ['Acme', 'A1', 2001],
      ['Acme', 'A2', 2002],
      ['Acme', 'B1', 2003],
      ['Other', 'X', 2001],
    ] as const) {
      await h.client.send(
        new PutItemCommand({
          TableName: 'Music',
          Item: {
            Artist: { S: artist },
            SongTitle: { S: song },
            Year: { N: String(year) },
            Info: { M: { label: { S: `label-${song}` }, tags: { L: [{ S: 't0' }, { S: 't1' }] } } },
          },
        }),
      );
    }
  });
  afterAll(() => h.close());

  it('a SELECT on the partition key is a Query in sort-key order', async () => {
    const out = await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`);
    expect(out.Items?.map((i) => i.SongTitle.S)).toEqual(['A1', 'A2', 'B1']);
  });

  it('sort-key conditions and filters combine; ORDER BY DESC reverses', async () => {
    const bw = await run(`SELECT SongTitle FROM Music WHERE Artist = 'Acme' AND begins_with(SongTitle, 'A')`);
    expect(bw.Items).toEqual([{ SongTitle: { S: 'A1' } }, { SongTitle: { S: 'A2' } }]);
    const between = await run(
      `SELECT SongTitle FROM "Music" WHERE Artist = ? AND SongTitle BETWEEN 'A2' AND 'Z' AND "Year" > 2002`,
      { Parameters: [{ S: 'Acme' }] },
    );
    expect(between.Items).toEqual([{ SongTitle: { S: 'B1' } }]);
    const desc = await run(`SELECT SongTitle FROM "Music" WHERE Artist = 'Acme' ORDER BY SongTitle DESC`);
    expect(desc.Items?.map((i) => i.SongTitle.S)).toEqual(['B1', 'A2', 'A1']);
  });

  it('a SELECT without the partition key scans with a filter', async () => {
    const out = await run(`SELECT Artist, SongTitle FROM "Music" WHERE "Year" = 2001 OR SongTitle = 'B1'`);
    expect(out.Items?.map((i) => `${i.Artist.S}/${i.SongTitle.S}`).sort()).toEqual(['Acme/A1', 'Acme/B1', 'Other/X']);
    const notIn = await run(
      `SELECT SongTitle FROM "Music" WHERE SongTitle NOT IN ['A1', 'A2'] AND Info IS NOT MISSING`,
    );
    expect(notIn.Items?.map((i) => i.SongTitle.S).sort()).toEqual(['B1', 'X']);
  });

  it('projects nested paths under their last name, and queries an index', async () => {
    const out = await run(`SELECT Info.label, Info.tags[1] FROM "Music"."ByYear" WHERE "Year" = 2003`);
    expect(out.Items).toEqual([{ label: { S: 'label-B1' }, tags: { S: 't1' } }]);
  });

  it('pages with Limit and a NextToken bound to its statement', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`, { Limit: 2, NextToken });
      seen.push(...(out.Items ?? []).map((i) => i.SongTitle.S!));
      NextToken = out.NextToken;
      if (NextToken) expect(out.LastEvaluatedKey).toBeDefined();
      pages++;
    } while (NextToken && pages < 10);
    expect(seen).toEqual(['A1', 'A2', 'B1']);
    const first = await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`, { Limit: 1 });
    const other = await awsError(() => run(`SELECT * FROM "Music"`, { NextToken: first.NextToken }));
    expect(other).toMatchObject({ name: 'ValidationException', message: 'NextToken does not match request' });
    const junk = await awsError(() => run(`SELECT * FROM "Music"`, { NextToken: 'not-a-token' }));
    expect(junk).toMatchObject({ name: 'ValidationException', message: 'Invalid NextToken' });
  });

  it('terms on key attributes beyond the key condition still run as a Query, checked on its items', async () => {
    const range = await run(
      `SELECT SongTitle FROM "Music" WHERE Artist = 'Acme' AND SongTitle > 'A1' AND SongTitle <= 'B1' AND SongTitle <> 'B1' ORDER BY SongTitle DESC`,
    );
    expect(range.Items).toEqual([{ SongTitle: { S: 'A2' } }]);
    const inList = await run(
      `SELECT Artist, SongTitle FROM "Music" WHERE Artist IN ['Other', 'Acme'] AND SongTitle <> 'A2'`,
    );
    expect(inList.Items?.map((i) => `${i.Artist.S}/${i.SongTitle.S}`)).toEqual(['Acme/A1', 'Acme/B1', 'Other/X']);
  });

  it('IN or OR on the partition key runs one Query per value, in key order, paged across them', async () => {
    const inList = await run(
      `SELECT Artist, SongTitle FROM "Music" WHERE Artist IN ['Other', 'Acme'] AND "Year" <> 2002`,
    );
    expect(inList.Items?.map((i) => `${i.Artist.S}/${i.SongTitle.S}`)).toEqual(['Acme/A1', 'Acme/B1', 'Other/X']);
    const desc = await run(
      `SELECT SongTitle FROM "Music" WHERE Artist = 'Other' OR Artist = 'Acme' ORDER BY Artist DESC, SongTitle DESC`,
    );
    expect(desc.Items?.map((i) => i.SongTitle.S)).toEqual(['X', 'B1', 'A2', 'A1']);
    const seen: string[] = [];
    let NextToken: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const out = await run(`SELECT SongTitle FROM "Music" WHERE Artist IN ['Acme', 'Other', 'Nobody']`, {
        Limit: 2,
        NextToken,
      });
      seen.push(...(out.Items ?? []).map((i) => i.SongTitle.S!));
      NextToken = out.NextToken;
      if (!NextToken) break;
    }
    expect(seen).toEqual(['A1', 'A2', 'B1', 'X']);
    const capacity = await run(`SELECT * FROM "Music" WHERE Artist IN ['Acme', 'Other']`, {
      ReturnConsumedCapacity: 'TOTAL',
    });
    expect(capacity.ConsumedCapacity?.CapacityUnits).toBe(1);
  });

  it('INSERT adds an item and refuses an existing key with DuplicateItemException', async () => {
    const out = await run(
      `INSERT INTO users VALUE {'pk': 'u1', 'n': 1, 'tags': <<'a', 'b'>>, 'm': {'x': [1, true, null]}}`,
    );
    expect(out.Items).toEqual([]);
    const got = await h.client.send(new GetItemCommand({ TableName: 'users', Key: { pk: { S: 'u1' } } }));
    expect(got.Item).toEqual({
      pk: { S: 'u1' },
      n: { N: '1' },
      tags: { SS: ['a', 'b'] },
      m: { M: { x: { L: [{ N: '1' }, { BOOL: true }, { NULL: true }] } } },
    });
    const dup = await awsError(() => run(`INSERT INTO users VALUE {'pk': 'u1'}`));
    expect(dup).toMatchObject({ name: 'DuplicateItemException', message: 'Duplicate primary key exists in table' });
  });

  it('UPDATE sets, removes, adds to sets and returns what RETURNING asks', async () => {
    await run(`INSERT INTO users VALUE {'pk': 'u2', 'n': 5, 'gone': 'x', 'l': [1], 's': <<'a'>>}`);
    const out = await run(
      `UPDATE users SET n = n + 1 SET l = list_append(l, [2]), s = set_add(s, <<'b'>>) REMOVE gone WHERE pk = 'u2' RETURNING ALL NEW *`,
    );
    expect(out.Items).toEqual([
      { pk: { S: 'u2' }, n: { N: '6' }, l: { L: [{ N: '1' }, { N: '2' }] }, s: { SS: ['a', 'b'] } },
    ]);
    const modified = await run(`UPDATE users SET n = 7 WHERE pk = 'u2' RETURNING MODIFIED OLD *`);
    expect(modified.Items).toEqual([{ n: { N: '6' } }]);
  });

  it('UPDATE of a missing item or with a false condition fails the condition check', async () => {
    const missing = await awsError(() => run(`UPDATE users SET n = 1 WHERE pk = 'nobody'`));
    expect(missing).toMatchObject({ name: 'ConditionalCheckFailedException' });
    await run(`INSERT INTO users VALUE {'pk': 'u3', 'n': 1}`);
    const failed = await awsError(() =>
      run(`UPDATE users SET n = 2 WHERE pk = 'u3' AND n = 5`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    );
    expect(failed.name).toBe('ConditionalCheckFailedException');
    expect(failed.error.Item).toEqual({ pk: { S: 'u3' }, n: { N: '1' } });
  });

  it('DELETE removes, is a no-op on a missing item, and checks extra conditions on an existing one', async () => {
    await run(`INSERT INTO users VALUE {'pk': 'u4', 'n': 1}`);
    const wrong = await awsError(() => run(`DELETE FROM users WHERE pk = 'u4' AND n = 2`));
    expect(wrong.name).toBe('ConditionalCheckFailedException');
    const out = await run(`DELETE FROM users WHERE pk = 'u4' RETURNING ALL OLD *`);
    expect(out.Items).toEqual([{ pk: { S: 'u4' }, n: { N: '1' } }]);
    const again = await run(`DELETE FROM users WHERE pk = 'u4' AND n = 2`);
    expect(again.Items).toEqual([]);
  });

  it("refuses statements in DynamoDB's words", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [`SELECT * FROM`, {}, "Statement wasn't well formed, can't be processed: "],
      [`DELETE FROM users WHERE n = 1`, {}, 'Where clause does not contain a mandatory equality on all key attributes'],
      [
        `UPDATE "Music" SET x = 1 WHERE Artist = 'a'`,
        {},
        'Where clause does not contain a mandatory equality on all key attributes',
      ],
      [`SELECT * FROM users WHERE pk = ?`, {}, "Number of parameters in request and statement don't match."],
      [`INSERT INTO users VALUE {'pk': 'z'} RETURNING ALL OLD *`, {}, 'RETURNING is not supported in INSERT'],
      [
        `DELETE FROM users WHERE pk = 'a' RETURNING MODIFIED OLD *`,
        {},
        'Only RETURNING ALL OLD * is allowed in DELETE statements.',
      ],
      [
        `EXISTS(SELECT * FROM users WHERE pk = 'a')`,
        {},
        'EXISTS can only be used in ExecuteTransaction write requests.',
      ],
      [`SELECT * FROM users WHERE n = MISSING`, {}, 'MISSING must be compared using IS operator'],
      [`SELECT *, pk FROM users`, {}, "Other attributes should not be present in the projection when '*' is used."],
      [`INSERT INTO users VALUE {'n': 1}`, {}, 'Key attribute should be present in the item: Key pk'],
    ];
    for (const [statement, extra, message] of cases) {
      const e = await awsError(() => run(statement, extra));
      expect(e.name, statement).toBe('ValidationException');
      expect(e.message, statement).toContain(message);
    }
    const consistent = await awsError(() =>
      run(`SELECT * FROM "Music"."ByYear" WHERE "Year" = 2001`, { ConsistentRead: true }),
    );
    expect(consistent.message).toBe('Strongly consistent read is not supported on Global Secondary Indexes');
    const badName = await awsError(() => run(`SELECT * FROM "a b"`));
    expect(badName.message).toBe(
      "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
    );
    const unknown = await awsError(() => run(`SELECT * FROM nosuch`));
    expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
  });

  it('keeps prototype-named attributes as plain data', async () => {
    await run(`INSERT INTO users VALUE {'pk': 'proto', '__proto__': {'polluted': true}}`);
    const out = await rawRequest(h.endpoint, 'ExecuteStatement', {
      Statement: `SELECT "__proto__" FROM users WHERE pk = 'proto'`,
    });
    expect(out.status).toBe(200);
    const items = out.json.Items as Record<string, unknown>[];
    expect(Object.keys(items[0])).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports consumed capacity when asked', async () => {
    const out = await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`, { ReturnConsumedCapacity: 'TOTAL' });
    expect(out.ConsumedCapacity?.TableName).toBe('Music');
    expect(out.ConsumedCapacity?.CapacityUnits).toBeGreaterThan(0);
  });

  it('works unchanged through lib-dynamodb with native values as parameters', async () => {
    await h.doc.send(
      new DocExecuteStatementCommand({
        Statement: `INSERT INTO users VALUE {'pk': ?, 'profile': ?}`,
        Parameters: ['doc1', { name: 'Ann', langs: ['en', 'fr'] }],
      }),
    );
    const out = await h.doc.send(
      new DocExecuteStatementCommand({
        Statement: `SELECT profile.name FROM users WHERE pk = ?`,
        Parameters: ['doc1'],
      }),
    );
    expect(out.Items).toEqual([{ name: 'Ann' }]);
  });
});
