// In a cluster the HTTP data sources' role credentials live in the shared database: a resolver on one node signs
// with them, and another node's door accepts the signature (docs/graphql.md, "HTTP data sources").

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../cluster/postgresDatabase.js';
import { fixtureApp, gql } from '../helpers/server.js';

let db: TestDatabase;
const servers: SynclineServer[] = [];
const dirs: string[] = [];

async function freePort(): Promise<number> {
  const probe = createHttpServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

const node = async (port: number) => {
  const data = mkdtempSync(join(tmpdir(), 'syncline-eb-node-'));
  dirs.push(data);
  const server = await createServer({
    dir: fixtureApp('eventbridge'),
    port,
    data,
    log: 'silent',
    database: db.url,
    localIssuer: false,
    requireSignatures: true,
  });
  servers.push(server);
  return server;
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await db?.drop();
  delete process.env.SYNCLINE_TEST_SELF_ENDPOINT;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('HTTP data source signing in a cluster', () => {
  it('a signature made on node A with the data source role passes node B’s door', async () => {
    const portB = await freePort();
    // Both nodes load the app whose HTTP data source points at node B.
    process.env.SYNCLINE_TEST_SELF_ENDPOINT = `http://127.0.0.1:${portB}`;
    const a = await node(0);
    const b = await node(portB);
    const res = await gql(
      a,
      'mutation { placeOrderOverHttp(id: "c-1", total: 900) { Entries { EventId } FailedEntryCount } }',
    );
    expect(res.body.errors).toBeUndefined();
    const id = res.body.data.placeOrderOverHttp.Entries[0].EventId;
    // Node B received the PutEvents, so its rule invoked its function.
    const seen = () =>
      b.functions
        .logs('bigOrders')
        .filter((l) => l.message.startsWith('EVENT '))
        .map((l) => JSON.parse(l.message.slice('EVENT '.length)).event.id);
    await expect.poll(seen, { timeout: 10_000 }).toContain(id);
  });
});
