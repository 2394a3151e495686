// A cluster's nodes accept the same generated secrets (docs/auth.md, "Secrets"): with `database:` set, a generated
// API key and the functions' injected credentials live in the shared database, created by the first node that
// needs them and read by every other, so a client or a function reaching any node is let in.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSecretStore } from '../../src/cluster/secretsPostgres.js';
import { listFunctionCredentials } from '../../src/functions/index.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { openPostgresStorage } from '../../src/tables/storage/postgres.js';
import { fixtureApp, gql } from '../helpers/server.js';
import { createTestDatabase, type TestDatabase } from './postgresDatabase.js';

describe('secrets shared by the nodes of a cluster', () => {
  let db: TestDatabase;
  const dirs: string[] = [];
  const servers: SynclineServer[] = [];

  const node = async (dir: string) => {
    const server = await createServer({
      dir,
      port: 0,
      // Each node its own data folder, as on separate machines.
      data: mkdtempSync(join(tmpdir(), 'syncline-node-')),
      log: 'silent',
      database: db.url,
      localIssuer: false,
      verifyDynamoDBSignatures: true,
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.SYNCLINE_TEST_GREETING ??= 'hi';
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('two nodes on one database accept the same generated API key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-shared-key-'));
    dirs.push(dir);
    cpSync(fixtureApp('basic'), dir, { recursive: true });
    rmSync(join(dir, 'syncline.config.ts'));
    writeFileSync(
      join(dir, 'syncline.config.json'),
      JSON.stringify({
        name: 'shared',
        graphql: {
          schema: 'schema.graphql',
          authentication: { type: 'API_KEY' },
          dataSources: { none: { type: 'NONE' } },
          resolvers: { 'Query.hello': { dataSource: 'none', code: 'resolvers/hello.js' } },
        },
      }),
    );
    const [a, b] = [await node(dir), await node(dir)];
    expect(a.apiKey).toMatch(/^da2-/);
    expect(b.apiKey).toBe(a.apiKey);
    const hello = await gql(b, '{ hello }', undefined, { 'x-api-key': a.apiKey! });
    expect(hello.body).toEqual({ data: { hello: 'Hello, world!' } });
    // A reload reads the same key again.
    await b.reload();
    expect(b.apiKey).toBe(a.apiKey);
  });

  it('a request signed with a function’s credentials from one node is accepted by another', async () => {
    const [a, b] = [await node(fixtureApp('functions')), await node(fixtureApp('functions'))];
    const fromA = listFunctionCredentials(a.functions).find((c) => c.functionName === 'echo')!;
    const fromB = listFunctionCredentials(b.functions).find((c) => c.functionName === 'echo')!;
    expect(fromB).toEqual(fromA);
    const client = new DynamoDBClient({
      endpoint: b.endpoints.dynamodb,
      region: a.app.region,
      credentials: {
        accessKeyId: fromA.accessKeyId,
        secretAccessKey: fromA.secretAccessKey,
        sessionToken: fromA.sessionToken,
      },
      maxAttempts: 1,
    });
    try {
      const listed = await client.send(new ListTablesCommand({}));
      expect(listed.TableNames).toContain('functions-orders');
    } finally {
      client.destroy();
    }
  });

  it('a DynamoDB resolver’s nextToken from one node continues the page on another', async () => {
    const [a, b] = [await node(fixtureApp('orders-ddb')), await node(fixtureApp('orders-ddb'))];
    for (const id of ['o1', 'o2', 'o3']) {
      const created = await gql(
        a,
        `mutation { createOrder(id: "${id}", customer: "c", item: "tea", quantity: 1) { id } }`,
      );
      expect(created.body.errors).toBeUndefined();
    }
    const page =
      'query($t: String) { ordersByCustomer(customer: "c", limit: 2, nextToken: $t) { items { id } nextToken } }';
    const first = await gql(a, page);
    expect(first.body.data.ordersByCustomer.items).toHaveLength(2);
    const rest = await gql(b, page, { t: first.body.data.ordersByCustomer.nextToken });
    expect(rest.body.errors).toBeUndefined();
    expect(rest.body.data.ordersByCustomer.items).toHaveLength(1);
  });

  it('a node that loses the race to create a secret takes the winner’s', async () => {
    const storages = Array.from({ length: 2 }, () => openPostgresStorage(db.url));
    try {
      const [mine, theirs] = storages.map((s) => postgresSecretStore(s, 'race:'));
      // The other node inserts its value after this one found none, and before this one's insert.
      const kept = mine.keep('k', () => {
        expect(theirs.keep('k', () => 'winner')).toBe('winner');
        return 'loser';
      });
      expect(kept).toBe('winner');
      expect(mine.keep('k', () => 'late')).toBe('winner');
    } finally {
      for (const s of storages) s.close();
    }
  });
});
