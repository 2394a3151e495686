// Fuzz target: the PartiQL front end. Token soup, mutated valid statements, deep nesting and long chains, sent
// to ExecuteStatement, BatchExecuteStatement and ExecuteTransaction through the real server, must each answer
// 200 or an AWS-shaped 400 quickly, never a 500, and the server must keep answering.
import { CreateTableCommand, ExecuteStatementCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../../src/tables/index.js';
import { parseStatement } from '../../../src/tables/partiql/parser.js';
import { budget, fuzzTimeout, reportCases } from '../fuzz/arbitraries.js';
import { type Harness, rawRequest, startHarness } from '../harness.js';

const TOKENS = [
  'SELECT',
  'INSERT',
  'INTO',
  'VALUE',
  'UPDATE',
  'SET',
  'REMOVE',
  'DELETE',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'IS',
  'MISSING',
  'NULL',
  'TRUE',
  'FALSE',
  'EXISTS',
  'RETURNING',
  'ALL',
  'MODIFIED',
  'OLD',
  'NEW',
  'ORDER',
  'BY',
  'DESC',
  '"tbl"',
  '"tbl"."byN"',
  't',
  'pk',
  'sk',
  'n',
  'a.b',
  'l[0]',
  '__proto__',
  '"constructor"',
  "'x'",
  "''",
  '1',
  '-2.5',
  '1e400',
  '?',
  '*',
  '=',
  '<>',
  '<',
  '>=',
  '+',
  '-',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '<<',
  '>>',
  ',',
  '.',
  ':',
  ';',
  'begins_with',
  'contains',
  'size',
  'attribute_exists',
  'list_append',
  'set_add',
  'set_delete',
  '--',
  '/*',
  '*/',
  '`ion`',
  "'a''b'",
  '""',
  'IS NOT',
  '\u0000',
  '\uD800',
];

const VALID = [
  `SELECT * FROM "tbl" WHERE pk = 'a' AND sk > 1`,
  `SELECT a.b, l[1] FROM "tbl"."byN" WHERE n = 3`,
  `INSERT INTO "tbl" VALUE {'pk': 'x', 'sk': 1, 'm': {'a': [1, <<'s'>>]}}`,
  `UPDATE "tbl" SET n = n + 1, l = list_append(l, [2]) REMOVE a.b WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`,
  `DELETE FROM "tbl" WHERE pk = 'a' AND sk = 1 AND n IS NOT MISSING`,
  `EXISTS(SELECT * FROM "tbl" WHERE pk = 'a' AND sk = 1)`,
];

const soup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 40 }).map((t) => t.join(' '));
const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.nat(), fc.nat(20), fc.string({ maxLength: 4 }))
  .map(([s, at, cut, insert]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + insert + s.slice(Math.min(s.length, i + cut));
  });
const deep = fc
  .tuple(
    fc.constantFrom('(', '[', "{'a':", 'NOT ', '<<', '- '),
    fc.integer({ min: 1, max: 3000 }),
    fc.constantFrom(' AND n = 1', ' + 1', '.a', '[0]', ' OR n = 1'),
    fc.integer({ min: 1, max: 1500 }),
  )
  .map(([open, depth, chain, length]) =>
    `SELECT * FROM "tbl" WHERE pk = ${open.repeat(depth)}1${chain.repeat(length)}`.slice(0, 8192),
  );
const statement = fc.oneof(soup, mutated, deep, fc.string({ maxLength: 200 }));
const params = fc.option(
  fc.array(fc.constantFrom({ S: 'a' }, { N: '1' }, { SS: ['x'] }, { L: [] }, {}), { maxLength: 3 }),
  {
    nil: undefined,
  },
);

describe('PartiQL fuzz', () => {
  let h: Harness;
  let cases = 0;
  beforeAll(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'tbl',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'n', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byN',
            KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    reportCases('partiql', cases);
    await h.close();
  });

  it('the parser answers any string with a statement or a DynamoDBError', () => {
    fc.assert(
      fc.property(statement, (text) => {
        try {
          parseStatement(text);
        } catch (e) {
          expect(e).toBeInstanceOf(DynamoDBError);
        }
      }),
      { ...budget, interruptAfterTimeLimit: budget.interruptAfterTimeLimit / 3 },
    );
  });

  it(
    'ExecuteStatement, BatchExecuteStatement and ExecuteTransaction never answer 500 or hang',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'),
          fc.array(fc.tuple(statement, params), { minLength: 1, maxLength: 3 }),
          async (action, list) => {
            cases++;
            const entries = list.map(([Statement, Parameters]) =>
              Parameters ? { Statement, Parameters } : { Statement },
            );
            const body =
              action === 'ExecuteStatement'
                ? entries[0]
                : action === 'BatchExecuteStatement'
                  ? { Statements: entries }
                  : { TransactStatements: entries };
            const started = Date.now();
            const answer = await rawRequest(h.endpoint, action, body);
            expect(Date.now() - started).toBeLessThan(2000);
            expect([200, 400], JSON.stringify(body).slice(0, 500)).toContain(answer.status);
            if (answer.status === 400) expect(String(answer.json.__type)).toMatch(/#\w+$/);
          },
        ),
        budget,
      );
      const alive = await h.client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "tbl"` }));
      expect(alive.Items).toBeDefined();
    },
    fuzzTimeout,
  );
});
