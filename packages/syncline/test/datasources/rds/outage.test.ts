// A database that goes away and comes back: requests meanwhile get AppSync's 503 error, the server keeps serving
// other fields, and the pool reconnects once the database answers again. The outage is a local TCP relay in front
// of the real PostgreSQL and MariaDB, closed and reopened by the test.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';
import { resetMariadb, resetPostgres } from './databases.js';

interface Relay {
  port: number;
  /** Stops listening and cuts every relayed connection. */
  down(): Promise<void>;
  up(): Promise<void>;
}

async function relay(target: number): Promise<Relay> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createTcpServer((client) => {
        const upstream = createConnection({ host: '127.0.0.1', port: target });
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  await up();
  return { port, up, down };
}

let dir: string;
let server: SynclineServer;
let pgRelay: Relay;
let myRelay: Relay;
beforeAll(async () => {
  await Promise.all([resetPostgres(), resetMariadb()]);
  [pgRelay, myRelay] = await Promise.all([relay(5432), relay(3306)]);
  dir = mkdtempSync(join(tmpdir(), 'syncline-rds-outage-'));
  cpSync(fixtureApp('rds'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'syncline.config.ts'),
    `import { defineApp } from 'syncline';
export default defineApp({
  name: 'rds-outage',
  graphql: {
    schema: 'schema.graphql',
    authentication: { type: 'API_KEY' },
    apiKeys: [{ name: 'default', value: 'da2-rdsoutagekey000000000000' }],
    dataSources: {
      postgres: { type: 'RELATIONAL_DATABASE', config: { databaseName: 'syncline_rds', connectionUrl: 'postgres://postgres@127.0.0.1:${pgRelay.port}' } },
      mariadb: { type: 'RELATIONAL_DATABASE', config: { databaseName: 'syncline_rds', connectionUrl: 'mysql://root@127.0.0.1:${myRelay.port}' } },
    },
    resolvers: {
      'Query.pgBooks': { dataSource: 'postgres', code: 'resolvers/books.js' },
      'Query.myBooks': { dataSource: 'mariadb', code: 'resolvers/books.js' },
    },
  },
});`,
  );
  server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([pgRelay?.down(), myRelay?.down()]);
  rmSync(dir, { recursive: true, force: true });
});

const ask = (field: string) =>
  gql(server, `{ ${field}(limit: 1) { id } }`, undefined, { 'x-api-key': 'da2-rdsoutagekey000000000000' });

describe.each([
  ['pgBooks', () => pgRelay],
  ['myBooks', () => myRelay],
] as const)('%s while its database goes away and comes back', (field, relayOf) => {
  it('answers 503 during the outage, keeps serving, and reconnects after it', async () => {
    expect((await ask(field)).body).toEqual({ data: { [field]: [] } });
    await relayOf().down();
    const during = await ask(field);
    expect(during.status).toBe(200);
    expect(during.body.data).toEqual({ [field]: null });
    expect(during.body.errors[0]).toMatchObject({
      errorType: '503 Service Unavailable',
      message: expect.stringContaining('Communications link failure'),
    });
    const other = field === 'pgBooks' ? 'myBooks' : 'pgBooks';
    expect((await ask(other)).body.errors).toBeUndefined();
    await relayOf().up();
    expect((await ask(field)).body).toEqual({ data: { [field]: [] } });
  });
});
