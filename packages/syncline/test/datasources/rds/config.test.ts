// A RELATIONAL_DATABASE data source in syncline.config: its keys are checked at load, and one that no database is
// mapped to still loads, answering each request with the variable to set.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The rds fixture with its data sources replaced. */
function app(dataSources: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-rds-'));
  dirs.push(dir);
  cpSync(fixtureApp('rds'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'syncline.config.ts'),
    `import { defineApp } from 'syncline';
export default defineApp({
  name: 'rds-config',
  graphql: {
    schema: 'schema.graphql',
    authentication: { type: 'API_KEY' },
    apiKeys: [{ name: 'default', value: 'da2-rdsconfigkey000000000000' }],
    dataSources: { ${dataSources} },
    resolvers: { 'Query.pgBooks': { dataSource: 'books', code: 'resolvers/books.js' } },
  },
});`,
  );
  return dir;
}

const start = (dir: string) => createServer({ dir, port: 0, data: ':memory:', log: 'silent' });

describe('RELATIONAL_DATABASE in syncline.config', () => {
  it('names a wrong key, URL or pool size', async () => {
    await expect(start(app("books: { type: 'RELATIONAL_DATABASE', config: { dbClusterId: 'x' } }"))).rejects.toThrow(
      /graphql\.dataSources\.books\.config\.dbClusterId: is not a RELATIONAL_DATABASE config key/,
    );
    await expect(
      start(app("books: { type: 'RELATIONAL_DATABASE', config: { connectionUrl: 'http://h' } }")),
    ).rejects.toThrow(/config\.connectionUrl: must be a postgres:\/\//);
    await expect(
      start(app("books: { type: 'RELATIONAL_DATABASE', config: { maxConnections: 1000 } }")),
    ).rejects.toThrow(/config\.maxConnections: must be an integer from 1 to 100/);
  });

  it('loads without a mapped database and says which variable to set', async () => {
    const server = await start(
      app(
        "books: { type: 'RELATIONAL_DATABASE', config: { databaseName: 'x', dbClusterIdentifier: 'arn:aws:rds:us-east-1:1:cluster:c' } }",
      ),
    );
    try {
      const res = await gql(server, '{ pgBooks { id } }', undefined, { 'x-api-key': 'da2-rdsconfigkey000000000000' });
      expect(res.body.errors[0]).toMatchObject({
        errorType: '503 Service Unavailable',
        message: expect.stringContaining('SYNCLINE_RDS_BOOKS_URL'),
      });
    } finally {
      await server.close();
    }
  });
});

/** Connections PostgreSQL has open for this test's application name. */
async function openConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    const r = await admin.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'syncline_rds_reload'",
    );
    return r.rows[0].n;
  } finally {
    await admin.end();
  }
}

describe('RELATIONAL_DATABASE pools across reloads', () => {
  it("a reload releases the replaced version's connections; the new version opens its own on first use", async () => {
    const server = await start(
      app(
        "books: { type: 'RELATIONAL_DATABASE', config: { databaseName: 'postgres', connectionUrl: 'postgres://postgres@127.0.0.1:5432?application_name=syncline_rds_reload' } }",
      ),
    );
    const key = { 'x-api-key': 'da2-rdsconfigkey000000000000' };
    try {
      // The books table need not exist here: the request opens a connection either way.
      await gql(server, '{ pgBooks { id } }', undefined, key);
      expect(await openConnections()).toBeGreaterThanOrEqual(1);
      await server.reload();
      expect(await openConnections()).toBe(0);
      await gql(server, '{ pgBooks { id } }', undefined, key);
      expect(await openConnections()).toBeGreaterThanOrEqual(1);
    } finally {
      await server.close();
    }
    expect(await openConnections()).toBe(0);
  });
});
