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

// Well-formed WHERE clauses: every one must translate into expressions the engine accepts.
const path = fc.constantFrom('n', 's', 'm.x', 'l[0]', '"quoted name"', "m['k']");
const literal = fc.constantFrom("'a'", "'b c'", '1', '-2.5', 'true', 'null', '?');
const atom = fc.oneof(
  fc
    .tuple(path, fc.constantFrom('=', '<>', '!=', '<', '<=', '>', '>='), literal)
    .map(([p, op, v]) => `${p} ${op} ${v}`),
  path.map((p) => `${p} BETWEEN 1 AND 5`),
  fc.tuple(path, fc.boolean()).map(([p, not]) => `${p} ${not ? 'NOT ' : ''}IN [1, 'a', ?]`),
  fc.constantFrom(
    "begins_with(s, 'a')",
    'contains(l, 1)',
    'attribute_exists(n)',
    'attribute_not_exists(m.x)',
    'size(s) > 1',
    "attribute_type(n, 'N')",
  ),
  fc
    .tuple(path, fc.boolean(), fc.constantFrom('MISSING', 'NULL', 'STRING', 'NUMERIC', 'LIST', 'TUPLE'))
    .map(([p, not, type]) => `${p} IS ${not ? 'NOT ' : ''}${type}`),
);
const { where } = fc.letrec<{ where: string }>((tie) => ({
  where: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('where'), tie('where')).map(([a, b]) => `${a} AND ${b}`),
    fc.tuple(tie('where'), tie('where')).map(([a, b]) => `(${a}) OR (${b})`),
    tie('where').map((a) => `NOT (${a})`),
    tie('where').map((a) => `((${a}))`),
  ),
}));
const countParams = (text: string) => (text.match(/\?/g) ?? []).length;
const shapes = [
  (w: string) => `SELECT * FROM "tbl" WHERE ${w}`,
  (w: string) => `SELECT s FROM "tbl" WHERE pk = 'a' AND (${w})`,
  (w: string) => `SELECT * FROM "tbl" WHERE pk IN ['a', 'b'] AND sk > 0 AND (${w})`,
  (w: string) => `UPDATE "tbl" SET z = 1 WHERE pk = 'a' AND sk = 1 AND (${w})`,
  (w: string) => `DELETE FROM "tbl" WHERE pk = 'zz' AND sk = 1 AND (${w})`,
];

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

  it(
    'the parser answers any string with a statement or a DynamoDBError',
    () => {
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
    },
    fuzzTimeout,
  );

  const operandTypeRule = (e: unknown) =>
    e instanceof DynamoDBError && e.type === 'ValidationException' && /Incorrect operand type/.test(e.message);

  it(
    'every well-formed WHERE clause translates into expressions the engine accepts',
    () => {
      h.engine.executeStatement({
        Statement: `INSERT INTO "tbl" VALUE {'pk': 'a', 'sk': 1, 'n': 3, 's': 'abc', 'm': {'x': 1, 'k': 'v'}, 'l': [1, 2]}`,
      });
      fc.assert(
        fc.property(where, fc.nat(shapes.length - 1), (w, shape) => {
          cases++;
          const Statement = shapes[shape](w);
          const n = countParams(Statement);
          try {
            h.engine.executeStatement(
              n ? { Statement, Parameters: Array.from({ length: n }, () => ({ N: '1' })) } : { Statement },
            );
          } catch (e) {
            expect(e).toBeInstanceOf(DynamoDBError);
            // An ordering comparison with a NULL, BOOL, list or map literal is refused by DynamoDB's operand rule.
            if (!operandTypeRule(e)) {
              expect((e as DynamoDBError).type, `${Statement}: ${(e as Error).message}`).toBe(
                'ConditionalCheckFailedException',
              );
            }
          }
          const tx = `EXISTS(SELECT * FROM "tbl" WHERE pk = 'a' AND sk = 1 AND (${w}))`;
          const m = countParams(tx);
          try {
            h.engine.executeTransaction({
              TransactStatements: [
                m ? { Statement: tx, Parameters: Array.from({ length: m }, () => ({ S: 'a' })) } : { Statement: tx },
              ],
            });
          } catch (e) {
            if (!operandTypeRule(e)) {
              expect((e as DynamoDBError).type, `${tx}: ${(e as Error).message}`).toBe('TransactionCanceledException');
            }
          }
        }),
        { ...budget, interruptAfterTimeLimit: budget.interruptAfterTimeLimit / 2 },
      );
    },
    fuzzTimeout,
  );

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
