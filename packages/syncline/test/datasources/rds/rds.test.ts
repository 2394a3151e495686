// RELATIONAL_DATABASE data sources against the machine's real PostgreSQL and MariaDB, through GraphQL over HTTP.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../../src/index.js';
import { gql, startFixture } from '../../helpers/server.js';
import { mariadbRows, postgresRows, resetMariadb, resetPostgres } from './databases.js';

let server: SynclineServer | undefined;
beforeAll(async () => {
  await Promise.all([resetPostgres(), resetMariadb()]);
  server = await startFixture('rds');
});
afterAll(async () => {
  await server?.close();
});
const api = () => server!;

const rowsOf = { pg: postgresRows, my: mariadbRows };
const BOOK = 'id title author price';

describe.each(['pg', 'my'] as const)('the RELATIONAL_DATABASE data source on %s', (engine) => {
  const q = (field: string) => `${engine}${field}`;
  const ids: number[] = [];

  it('inserts with bound values and answers the new row', async () => {
    for (const [title, author, price] of [
      ['Dune', 'Herbert', '9.99'],
      ['Emma', 'Austen', '5.50'],
      ['Persuasion', 'Austen', null],
      ['Ulysses', 'Joyce', '12.00'],
    ]) {
      const res = await gql(
        api(),
        `mutation A($t: String!, $a: String, $p: String) { ${q('Add')}(title: $t, author: $a, price: $p) { ${BOOK} } }`,
        { t: title, a: author, p: price },
      );
      expect(res.body.errors).toBeUndefined();
      const book = res.body.data[q('Add')];
      expect(book).toMatchObject({ title, author, price });
      expect(book.id).toEqual(expect.any(Number));
      ids.push(book.id);
    }
    const stored = await rowsOf[engine]('SELECT title FROM books ORDER BY id');
    expect(stored.map((r) => r.title)).toEqual(['Dune', 'Emma', 'Persuasion', 'Ulysses']);
  });

  it('selects with where, orderBy, limit, offset and columns', async () => {
    const austen = await gql(api(), `{ ${q('Books')}(author: "Austen") { ${BOOK} } }`);
    expect(austen.body.data[q('Books')]).toEqual([
      { id: ids[1], title: 'Emma', author: 'Austen', price: '5.50' },
      { id: ids[2], title: 'Persuasion', author: 'Austen', price: null },
    ]);
    const page = await gql(api(), `{ ${q('Books')}(limit: 2, offset: 1, desc: true) { id title } }`);
    expect(page.body.data[q('Books')]).toEqual([
      { id: ids[2], title: 'Persuasion' },
      { id: ids[1], title: 'Emma' },
    ]);
    // `published` is not among the selected columns: it comes back null, not from the row.
    const columns = await gql(api(), `{ ${q('Books')}(limit: 1) { title published } }`);
    expect(columns.body.data[q('Books')]).toEqual([{ title: 'Dune', published: null }]);
  });

  it('updates and removes, answering the changed row', async () => {
    const renamed = await gql(api(), `mutation { ${q('Rename')}(id: ${ids[0]}, title: "Dune Messiah") { id title } }`);
    expect(renamed.body).toEqual({ data: { [q('Rename')]: { id: ids[0], title: 'Dune Messiah' } } });
    const removed = await gql(api(), `mutation { ${q('Remove')}(id: ${ids[3]}) { id title } }`);
    expect(removed.body).toEqual({ data: { [q('Remove')]: { id: ids[3], title: 'Ulysses' } } });
    expect(await rowsOf[engine]('SELECT title FROM books ORDER BY id')).toEqual([
      { title: 'Dune Messiah' },
      { title: 'Emma' },
      { title: 'Persuasion' },
    ]);
    const gone = await gql(api(), `mutation { ${q('Remove')}(id: ${ids[3]}) { id } }`);
    expect(gone.body).toEqual({ data: { [q('Remove')]: null } });
  });

  it('sends type hints (UUID, TIMESTAMP, JSON, DECIMAL, DATE) as typed parameters', async () => {
    const ref = '3f333df6-90a4-4fda-8dd3-9485d27cee36';
    const res = await gql(
      api(),
      `query T($m: String!) { ${q('Typed')}(ref: "${ref}", at: "2024-02-29 13:14:15", meta: $m, price: "10.25") { ref at meta price second } }`,
      { m: JSON.stringify({ k: 'v"\'' }) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data[q('Typed')]).toEqual({
      ref,
      at: '2024-02-29 13:14:15',
      meta: 'v"\'',
      price: '20.50',
      second: engine === 'pg' ? 'uuid' : '2024-02-29',
    });
  });

  it('runs the document a VTL template renders: named variables used twice, util.rds.toJsonObject', async () => {
    const res = await gql(api(), `{ ${q('Template')}(title: "Emma") { id title } }`);
    expect(res.body).toEqual({ data: { [q('Template')]: [{ id: ids[1], title: 'Emma' }] } });
  });

  it('reports a failing statement as AppSync does (RDSHttp, 400 Bad Request) and keeps serving', async () => {
    const res = await gql(api(), `{ ${q('Broken')} { id } }`);
    expect(res.status).toBe(200);
    expect(res.body.errors[0].errorType).toBe('400 Bad Request');
    expect(res.body.errors[0].message).toMatch(/^RDSHttp:\{"message":".*no_such_table/);
    expect(res.body.errors[0].message).toMatch(engine === 'pg' ? /SQLState: 42P01/ : /Database error code: 1146/);
    const after = await gql(api(), `{ ${q('Books')}(limit: 1) { id } }`);
    expect(after.body.errors).toBeUndefined();
  });

  it('holds at most maxConnections connections however many requests wait', async () => {
    const counts = await Promise.all(
      Array.from({ length: 8 }, () => gql(api(), `{ ${q('Connections')} }`).then((r) => r.body.data[q('Connections')])),
    );
    // The fixture's pool has 3 connections: 8 requests share them, none opens a fourth.
    expect(Math.max(...counts)).toBeLessThanOrEqual(3);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(2);
  });

  it('keeps hostile arguments bound: they are matched as data and change nothing', async () => {
    const before = await rowsOf[engine]('SELECT id, title FROM books ORDER BY id');
    const hostile = fc.oneof(
      fc.constantFrom(
        "' OR '1'='1",
        "x'; DROP TABLE books; --",
        '" OR ""="',
        '`; DELETE FROM books; #',
        "\\'; DELETE FROM books; --",
        ':TITLE',
        '$1',
        '?',
        '/* */ OR 1=1',
      ),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (title) => {
        const res = await gql(api(), `query B($t: String!) { ${q('BooksByTitle')}(title: $t) { id title } }`, {
          t: title,
        });
        expect(res.body.errors).toBeUndefined();
        const expected = before.filter((r) => r.title === title);
        expect(res.body.data[q('BooksByTitle')]).toEqual(expected);
      }),
      { numRuns: 40 },
    );
    expect(await rowsOf[engine]('SELECT id, title FROM books ORDER BY id')).toEqual(before);
  });
});

describe('a RELATIONAL_DATABASE data source whose database is down', () => {
  it('answers an AppSync-shaped error naming no host, and the server keeps serving', async () => {
    const res = await gql(api(), '{ downBooks { id } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ downBooks: null });
    expect(res.body.errors[0]).toMatchObject({
      errorType: '503 Service Unavailable',
      message: expect.stringMatching(/^RDSHttp:.*Communications link failure.*data source 'down'/),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|at .*\.js/);
    const ok = await gql(api(), '{ pgBooks(limit: 1) { id } }');
    expect(ok.body.errors).toBeUndefined();
  });
});

describe('closing the server', () => {
  it('releases every pooled connection', async () => {
    await gql(api(), '{ pgBooks(limit: 1) { id } myBooks(limit: 1) { id } }');
    const closing = server!;
    server = undefined;
    await closing.close();
    const pgOpen = await postgresRows(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'syncline_rds' AND pid <> pg_backend_pid()",
    );
    expect(pgOpen).toEqual([{ n: 0 }]);
    const myOpen = await mariadbRows(
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = 'syncline_rds' AND ID <> CONNECTION_ID()",
    );
    expect(Number(myOpen[0].n)).toBe(0);
  });
});
