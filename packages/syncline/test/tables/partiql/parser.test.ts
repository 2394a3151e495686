// The PartiQL parser and translator as pure functions: what each statement becomes, and DynamoDB's words for
// what is refused. Cheap cases, many of them; the black-box tests beside this file cover behaviour end to end.
import { describe, expect, it } from 'vitest';
import { createTableEngine, DynamoDBError, openSqliteStorage } from '../../../src/tables/index.js';
import { parseStatement } from '../../../src/tables/partiql/parser.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const refusal = (text: string) => {
  try {
    parseStatement(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DynamoDBError);
    return (e as DynamoDBError).message;
  }
  throw new Error(`parsed: ${text}`);
};

describe('PartiQL parser', () => {
  it('reads SELECT projections, sources, parameters and ORDER BY', () => {
    const { statement, parameterCount } = parseStatement(
      `select a.b[2]."c d", x['k'] FROM "T"."I" WHERE pk = ? AND n BETWEEN ? AND 3 ORDER BY sk DESC;`,
    );
    expect(parameterCount).toBe(2);
    expect(statement).toMatchObject({
      kind: 'select',
      source: { table: 'T', index: 'I' },
      projection: [
        { kind: 'path', steps: ['a', 'b', 2, 'c d'] },
        { kind: 'path', steps: ['x', 'k'] },
      ],
      orderBy: [{ name: 'sk', descending: true }],
    });
  });

  it('reads literals of every kind, comments and escaped quotes', () => {
    const { statement } = parseStatement(
      `INSERT INTO t VALUE {'s': 'it''s', 'n': -1.5e3, 'b': true, 'z': null, 'l': [1, 'a'], 'm': {'x': <<1, 2>>}} -- done`,
    );
    expect(statement).toMatchObject({
      kind: 'insert',
      table: 't',
      value: {
        kind: 'map',
        entries: [
          ['s', { kind: 'literal', value: { S: "it's" } }],
          ['n', { kind: 'literal', value: { N: '-1.5e3' } }],
          ['b', { kind: 'literal', value: { BOOL: true } }],
          ['z', { kind: 'literal', value: { NULL: true } }],
          ['l', { kind: 'list' }],
          ['m', { kind: 'map' }],
        ],
      },
    });
  });

  it('gives AND precedence over OR and binds NOT tighter', () => {
    const { statement } = parseStatement(`SELECT * FROM t WHERE a = 1 OR NOT b = 2 AND c IS NOT MISSING`);
    expect(statement).toMatchObject({
      where: {
        kind: 'or',
        left: { kind: 'compare' },
        right: { kind: 'and', left: { kind: 'not' }, right: { kind: 'is', negated: true } },
      },
    });
  });

  it.each([
    ['SELECT * FROM', "Statement wasn't well formed, can't be processed: Expected table name at end of statement"],
    ['SELEC * FROM t', "Statement wasn't well formed, can't be processed: Expected data manipulation, found 'SELEC'"],
    ["SELECT * FROM t WHERE a = 'x", "Statement wasn't well formed, can't be processed: Unterminated string literal"],
    [
      'SELECT * FROM t WHERE a = `{}`',
      "Statement wasn't well formed, can't be processed: Ion literals are not supported",
    ],
    ['SELECT * FROM t x', 'Aliasing is not supported'],
    ['SELECT a AS b FROM t', 'Aliasing is not supported'],
    ['SELECT * FROM a, b', 'Only select from a single table or index is supported.'],
    ['SELECT VALUE a FROM t', "Select projection doesn't support value or pivot keywords"],
    ['SELECT a, * FROM t', "Other attributes should not be present in the projection when '*' is used."],
    ['SELECT a[*].b FROM t', 'Wildcard path component like a[*].b are not supported'],
    ['SELECT a.*.b FROM t', 'Unpivot path component like a.*.b are not supported'],
    ['SELECT * FROM t; SELECT * FROM t', 'Only one operation is allowed in a statement.'],
    [
      'SELECT * FROM t WHERE a IN []',
      'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
    ],
    ['SELECT * FROM t WHERE a = <<>>', 'Empty bags are not supported'],
    [
      "INSERT INTO t VALUES ('a')",
      'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
    ],
    [
      "INSERT INTO t.i VALUE {'a': 1}",
      'FROM clause may only contain a single table name in data manipulation statements',
    ],
    ["INSERT INTO t VALUE {'a': 1} RETURNING ALL OLD *", 'RETURNING is not supported in INSERT'],
    ['UPDATE t SET a = 1', 'Where clause does not contain a mandatory equality on all key attributes'],
    ['UPDATE t ADD a 1 WHERE pk = 1', 'Only SET and REMOVE are supported in update expressions at this time'],
    [
      'UPDATE t SET a = 1 WHERE pk = 1 RETURNING ALL',
      "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
    ],
    [
      'DELETE FROM t WHERE pk = 1 RETURNING ALL NEW *',
      'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
    ],
    ['DELETE FROM t', 'Where clause does not contain a mandatory equality on all key attributes'],
    [
      `SELECT * FROM t WHERE a = ${'('.repeat(400)}1${')'.repeat(400)}`,
      "Statement wasn't well formed, can't be processed: Statement nesting is too deep",
    ],
    [
      `SELECT * FROM t WHERE ${Array.from({ length: 400 }, () => 'a = 1').join(' AND ')}`,
      "Statement wasn't well formed, can't be processed: Statement nesting is too deep",
    ],
  ])('refuses %s', (text, message) => {
    expect(refusal(text)).toBe(message);
  });
});

describe('PartiQL translation', () => {
  const engine = createTableEngine({ storage: openSqliteStorage(':memory:') });
  engine.createTable({
    TableName: 'Tab',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
  engine.executeStatement({ Statement: `INSERT INTO Tab VALUE {'pk': 'a', 'sk': 1, 'z': null}` });
  engine.executeStatement({ Statement: `INSERT INTO Tab VALUE {'pk': 'a', 'sk': 2, 'n': 5}` });
  const failure = (Statement: string, Parameters?: unknown[]) => {
    try {
      engine.executeStatement(Parameters ? { Statement, Parameters } : { Statement });
    } catch (e) {
      return `${(e as DynamoDBError).type}: ${(e as DynamoDBError).message}`;
    }
    throw new Error(`ran: ${Statement}`);
  };
  const sks = (Statement: string) =>
    (engine.executeStatement({ Statement }).Items as { sk: { N: string } }[]).map((i) => i.sk.N);

  it('treats a missing attribute as NULL and checks types with IS', () => {
    expect(sks(`SELECT sk FROM Tab WHERE pk = 'a' AND n IS NULL`)).toEqual(['1']);
    expect(sks(`SELECT sk FROM Tab WHERE pk = 'a' AND z IS NOT MISSING`)).toEqual(['1']);
    expect(sks(`SELECT sk FROM Tab WHERE pk = 'a' AND n IS NUMERIC`)).toEqual(['2']);
    expect(sks(`SELECT sk FROM Tab WHERE 2 = sk`)).toEqual(['2']);
  });

  it.each([
    [
      `UPDATE Tab SET n = 1 WHERE pk = 'a'`,
      undefined,
      'ValidationException: Where clause does not contain a mandatory equality on all key attributes',
    ],
    [
      `UPDATE Tab SET n = 1 WHERE pk = 'a' AND sk = 1 AND sk = 2`,
      undefined,
      'ValidationException: Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported',
    ],
    [
      `INSERT INTO Tab VALUE {'pk': 'a'}`,
      undefined,
      'ValidationException: Key attribute should be present in the item: Key sk',
    ],
    [
      `INSERT INTO Tab VALUE {'pk': 'a', 'sk': '1'}`,
      undefined,
      "ValidationException: Key attribute's data type should match its data type in table's schema: Key sk",
    ],
    [
      `INSERT INTO Tab VALUE 'x'`,
      undefined,
      'ValidationException: Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
    ],
    [
      `INSERT INTO Tab VALUE {'pk': 'a', 'sk': 1, 'x': 1, 'x': 2}`,
      undefined,
      'ValidationException: Duplicate keys in tuple. Key: x',
    ],
    [
      `SELECT * FROM Tab WHERE n = 1e400`,
      undefined,
      'ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    [
      `SELECT * FROM Tab WHERE pk = 'a' ORDER BY n`,
      undefined,
      'ValidationException: Variable reference n in ORDER BY clause must be part of the primary key',
    ],
    [
      `SELECT * FROM Tab ORDER BY sk`,
      undefined,
      'ValidationException: Must have WHERE clause in the statement when using ORDER BY clause.',
    ],
    [
      `SELECT * FROM Tab WHERE n = 1 ORDER BY sk`,
      undefined,
      'ValidationException: Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
    ],
    [
      `SELECT * FROM Tab WHERE n IS DATE`,
      undefined,
      'ValidationException: Unsupported data type for IS operator: DATE. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]',
    ],
    [`SELECT * FROM Tab WHERE nope(n)`, undefined, 'ValidationException: Unrecognized function: nope'],
    [
      `SELECT * FROM Tab WHERE n + 1 = 2`,
      undefined,
      'ValidationException: Unsupported operator in Condition Expression. Operator: +',
    ],
    [
      `SELECT * FROM Tab WHERE n`,
      undefined,
      'ValidationException: WHERE clause must contain an expression that resolves to a boolean',
    ],
    [`SELECT a.x, b.x FROM Tab`, undefined, 'ValidationException: Duplicate identifiers in select clause: x'],
    [
      `UPDATE Tab SET s = set_add(t, <<1>>) WHERE pk = 'a' AND sk = 1`,
      undefined,
      'ValidationException: The first argument to SET_ADD must equal the assignment value',
    ],
    [
      `UPDATE Tab SET s = set_delete(s, [1]) WHERE pk = 'a' AND sk = 1`,
      undefined,
      'ValidationException: The second argument to SET_DELETE must be a value with type SET',
    ],
    [
      `UPDATE Tab SET s = set_add(s) WHERE pk = 'a' AND sk = 1`,
      undefined,
      'ValidationException: SET_ADD must have exactly two arguments',
    ],
    [
      `SELECT * FROM Tab WHERE pk = ?`,
      [],
      'ValidationException: 1 validation error detected: *failed to satisfy constraint: Member must have length greater than or equal to 1',
    ],
    [
      `SELECT * FROM Tab WHERE pk = ?`,
      undefined,
      "ValidationException: Number of parameters in request and statement don't match.",
    ],
    [
      `SELECT * FROM Tab WHERE pk = ? AND sk = ?`,
      [{ S: 'a' }],
      "ValidationException: Number of parameters in request and statement don't match.",
    ],
    [
      `SELECT * FROM Tab WHERE pk = ?`,
      [{ N: 'x' }],
      'ValidationException: The parameter cannot be converted to a numeric value: x',
    ],
    [`SELECT * FROM "Tab"."nope"`, undefined, 'ValidationException: The table does not have the specified index: nope'],
  ])('%s is refused', (statement, params, message) => {
    // `*` stands for the constraint's member rendering, which the shared request validator owns.
    const [head, tail] = message.split('*');
    if (tail === undefined) expect(failure(statement, params)).toBe(message);
    else expect(failure(statement, params)).toMatch(new RegExp(`^${escapeRegExp(head)}.*${escapeRegExp(tail)}$`));
  });
});
