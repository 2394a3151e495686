// The statements `@aws-appsync/utils/rds` builds, compared with the ones AppSync's documentation of the module shows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAppsyncJs } from '../../../src/resolvers/restrictions.js';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const { util, rds } = createBuiltins(fakeHost().slot);
const { sql, select, insert, update, remove, createPgStatement: pg, createMySQLStatement: mysql, typeHint, agg } = rds;

describe('@aws-appsync/utils/rds', () => {
  it('may be imported by resolver code, as on AppSync', () => {
    const code =
      "import { sql, createPgStatement } from '@aws-appsync/utils/rds';\nexport const request = () => createPgStatement(sql`select 1`);";
    expect(checkAppsyncJs(code, 'r.js')).toEqual([]);
  });

  it('turns sql template values into :P<n> variables', () => {
    expect(pg(sql`select count(*) from album where artist_id = ${134}`)).toEqual({
      statements: ['select count(*) from album where artist_id = :P0'],
      variableMap: { ':P0': 134 },
      variableTypeHintMap: {},
    });
  });

  it('quotes identifiers per dialect and binds where, orderBy, limit and offset', () => {
    const s = select({
      table: 'private.album',
      columns: ['album_id', { name: 'album.title' }],
      where: {
        title: { beginsWith: 'W' },
        artist_id: { between: [1, 2] },
        or: [{ price: { lt: 1 } }, { composer: { attributeExists: false } }],
      },
      orderBy: [{ column: 'artist_id' }, { column: 'title', dir: 'desc' }],
      limit: 10,
      offset: 40,
    });
    expect(pg(s)).toEqual({
      statements: [
        'SELECT "album_id", "album"."title" AS "name" FROM "private"."album" WHERE "title" LIKE :P0 AND "artist_id" BETWEEN :P1 AND :P2 AND (("price" < :P3) OR ("composer" IS NULL)) ORDER BY "artist_id", "title" DESC LIMIT :P4 OFFSET :P5',
      ],
      variableMap: { ':P0': 'W%', ':P1': 1, ':P2': 2, ':P3': 1, ':P4': 10, ':P5': 40 },
      variableTypeHintMap: {},
    });
    expect(mysql(s).statements[0]).toMatch(
      /^SELECT `album_id`, `album`.`title` AS `name` FROM `private`.`album` WHERE/,
    );
  });

  it('builds insert, update and remove with returning, numbering variables across both statements', () => {
    const req = pg(
      insert({ table: 'persons', values: { name: 'Ada', born: typeHint.DATE('1815-12-10') }, returning: '*' }),
      update({ table: 'persons', values: { name: 'Jon' }, where: { id: { eq: 3 } }, returning: ['id', 'name'] }),
    );
    expect(req).toEqual({
      statements: [
        'INSERT INTO "persons" ("name", "born") VALUES (:P0, :P1) RETURNING *',
        'UPDATE "persons" SET "name" = :P2 WHERE "id" = :P3 RETURNING "id", "name"',
      ],
      variableMap: { ':P0': 'Ada', ':P1': '1815-12-10', ':P2': 'Jon', ':P3': 3 },
      variableTypeHintMap: { ':P1': 'DATE' },
    });
    expect(mysql(remove({ table: 'persons', where: { id: { eq: 3 } } })).statements).toEqual([
      'DELETE FROM `persons` WHERE `id` = :P0',
    ]);
  });

  it('casts with type hints (JSON values are sent as their JSON text) and nests sql in conditions', () => {
    const req = pg(
      select({ table: 't', where: sql`length(title) > ${typeHint.DECIMAL(2.5)}`, columns: [{ n: agg.count('*') }] }),
      sql`select ${typeHint.JSON([1, 2, 3])}->2 as value, ${typeHint.UUID('a')}`,
    );
    expect(req.statements).toEqual([
      'SELECT COUNT(*) AS "n" FROM "t" WHERE length(title) > :P0',
      'select :P1->2 as value, :P2',
    ]);
    expect(req.variableMap).toEqual({ ':P0': '2.5', ':P1': '[1,2,3]', ':P2': 'a' });
    expect(req.variableTypeHintMap).toEqual({ ':P0': 'DECIMAL', ':P1': 'JSON', ':P2': 'UUID' });
  });

  it('keeps hostile names quoted and hostile values out of the SQL text', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1 }).filter((n) => !['and', 'or', 'not'].includes(n)),
        (value, name) => {
          const req = mysql(select({ table: `t${name}`, where: { [name]: { eq: value } } }));
          const [text] = req.statements;
          expect(req.variableMap[':P0']).toBe(value);
          // The column, with any backtick doubled, is the only thing between the quotes.
          expect(text).toContain(
            `WHERE ${name
              .split('.')
              .map((p) => `\`${p.replaceAll('`', '``')}\``)
              .join('.')} = :P0`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses malformed payloads with a message naming the helper', () => {
    expect(() => select({ table: 't', limit: -1 })).toThrow(/select: limit must be a non-negative integer/);
    expect(() => select({ table: 't', orderBy: [{ column: 'a', dir: 'SIDEWAYS' }] })).toThrow(ResolverError);
    expect(() => select({ table: 't', where: { a: { regex: 'x' } } })).toThrow(/unknown condition operator 'regex'/);
    expect(() => insert({ table: 't', values: {} })).toThrow(/insert: values must be a non-empty object/);
    expect(() => pg({ statement: 'x' })).toThrow(/createPgStatement: a statement is a string/);
  });

  it('toJsonObject maps each statement result to records keyed by column label, in JS and as util.rds', () => {
    const result = {
      sqlStatementResults: [
        {
          numberOfRecordsUpdated: 0,
          records: [
            [{ stringValue: 'Mark Twain' }, { longValue: 1 }, { isNull: true }],
            [{ stringValue: 'Jack London' }, { longValue: 2 }, { booleanValue: true }],
          ],
          columnMetadata: [{ label: 'author', name: 'author' }, { label: 'id' }, { label: 'flag' }],
        },
        { numberOfRecordsUpdated: 1, generatedFields: [] },
      ],
    };
    const expected = [
      [
        { author: 'Mark Twain', id: 1, flag: null },
        { author: 'Jack London', id: 2, flag: true },
      ],
      [],
    ];
    expect(rds.toJsonObject(JSON.stringify(result))).toEqual(expected);
    expect(util.rds.toJsonObject(result)).toEqual(expected);
    expect(() => rds.toJsonObject('{nope')).toThrow(/toJsonObject: the result string is not JSON/);
  });
});
