// Named Data API variables become driver positions only where they are SQL code, never inside literals or comments.
import { describe, expect, it } from 'vitest';
import { rdsConnectionUrl, rdsEnvName } from '../../../src/datasources/rds.js';
import { toPositional } from '../../../src/datasources/rdsPlaceholders.js';

describe('toPositional', () => {
  it('numbers PostgreSQL parameters once per name and keeps :: casts', () => {
    expect(toPositional('SELECT :a::text, :b, :a FROM t WHERE x = :b', 'postgres')).toEqual({
      text: 'SELECT $1::text, $2, $1 FROM t WHERE x = $2',
      names: [':a', ':b'],
    });
  });

  it('gives MySQL one ? per occurrence', () => {
    expect(toPositional('SELECT :a, :b, :a', 'mysql')).toEqual({ text: 'SELECT ?, ?, ?', names: [':a', ':b', ':a'] });
  });

  it('leaves names inside strings, quoted names, comments and dollar quotes alone', () => {
    const pgSql = `SELECT ':a', "x:b", E'\\':c', $$ :d $$, $t$ :e $t$ -- :f\n/* :g */ , :h`;
    expect(toPositional(pgSql, 'postgres')).toEqual({
      text: `SELECT ':a', "x:b", E'\\':c', $$ :d $$, $t$ :e $t$ -- :f\n/* :g */ , $1`,
      names: [':h'],
    });
    const mySql = "SELECT ':a', 'it\\'s :b', `c:d`, \"e:f\" # :g\n, :h";
    expect(toPositional(mySql, 'mysql')).toEqual({
      text: "SELECT ':a', 'it\\'s :b', `c:d`, \"e:f\" # :g\n, ?",
      names: [':h'],
    });
  });

  it('writes a type hint cast after the parameter', () => {
    expect(toPositional('SELECT :id', 'postgres', (n) => (n === ':id' ? '::uuid' : '')).text).toBe('SELECT $1::uuid');
  });
});

describe('the connection of a RELATIONAL_DATABASE data source', () => {
  const config = { databaseName: 'shop', connectionUrl: 'postgres://app@db.local:5432' };

  it('comes from SYNCLINE_RDS_<NAME>_URL, then SYNCLINE_RDS_URL, then config.connectionUrl', () => {
    expect(rdsEnvName('books-db.v2')).toBe('SYNCLINE_RDS_BOOKS_DB_V2_URL');
    const env = { SYNCLINE_RDS_BOOKS_URL: 'mysql://root@127.0.0.1:3306', SYNCLINE_RDS_URL: 'postgres://x@h/other' };
    expect(rdsConnectionUrl('books', config, env)).toBe('mysql://root@127.0.0.1:3306/shop');
    expect(rdsConnectionUrl('other', config, env)).toBe('postgres://x@h/other');
    expect(rdsConnectionUrl('other', config, {})).toBe('postgres://app@db.local:5432/shop');
    expect(rdsConnectionUrl('other', {}, {})).toBeUndefined();
    expect(rdsConnectionUrl('m', { connectionUrl: 'mariadb://root@h:3306' }, {})).toBe('mysql://root@h:3306');
  });

  it('refuses a URL of another scheme without echoing it', () => {
    expect(() => rdsConnectionUrl('x', { connectionUrl: 'http://secret@h' }, {})).toThrow(/postgres:\/\//);
    expect(() => rdsConnectionUrl('x', { connectionUrl: 'not a url secret' }, {})).toThrow(/^(?!.*secret).*not a URL/);
  });
});
