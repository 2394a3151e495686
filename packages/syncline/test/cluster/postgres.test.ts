// Syncline on PostgreSQL (docs/cluster.md): a server started with `database:` behaves as with SQLite through the
// real AWS SDK, and several nodes (separate processes) on one database keep DynamoDB's semantics for conditional
// writes and transactions, and share a stream mapping's shards through leases while nodes leave and die.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { createTestDatabase, type TestDatabase } from './postgresDatabase.js';

const clientFor = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });

const until = async (check: () => boolean, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('a server on PostgreSQL', () => {
  let db: TestDatabase;
  let server: SynclineServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await createServer({
      dir: fixtureApp('basic'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      database: db.url,
    });
    client = clientFor(server.endpoints.dynamodb!);
    await client.send(
      new CreateTableCommand({
        TableName: 'Events',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'ts', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'ts', AttributeType: 'N' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    client?.destroy();
    await server?.close();
    await db?.drop();
  });

  it('puts, gets and queries in key order (numbers through the bytea key encoding)', async () => {
    const values = ['-1e10', '-2.5', '-1', '0', '0.001', '1', '2', '10', '1e20'];
    for (const at of [...values].reverse()) {
      await client.send(new PutItemCommand({ TableName: 'Events', Item: { pk: { S: 'p' }, ts: { N: at } } }));
    }
    const got = await client.send(
      new GetItemCommand({ TableName: 'Events', Key: { pk: { S: 'p' }, ts: { N: '2' } }, ConsistentRead: true }),
    );
    expect(got.Item).toEqual({ pk: { S: 'p' }, ts: { N: '2' } });
    const all = await client.send(
      new QueryCommand({
        TableName: 'Events',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: 'p' } },
      }),
    );
    expect(all.Items?.map((i) => i.ts.N)).toEqual([
      '-10000000000',
      '-2.5',
      '-1',
      '0',
      '0.001',
      '1',
      '2',
      '10',
      '100000000000000000000',
    ]);
    const page = await client.send(
      new QueryCommand({
        TableName: 'Events',
        KeyConditionExpression: 'pk = :p AND ts BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '-1' }, ':b': { N: '1' } },
        ScanIndexForward: false,
        Limit: 2,
      }),
    );
    expect(page.Items?.map((i) => i.ts.N)).toEqual(['1', '0.001']);
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, ts: { N: '0.001' } });
  });

  it('a failed condition and a cancelled transaction write nothing', async () => {
    const key = { pk: { S: 'acct' }, ts: { N: '1' } };
    await client.send(new PutItemCommand({ TableName: 'Events', Item: { ...key, balance: { N: '5' } } }));
    await expect(
      client.send(
        new PutItemCommand({
          TableName: 'Events',
          Item: { ...key, balance: { N: '0' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const cancelled = client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'Events', Item: { pk: { S: 'acct' }, ts: { N: '2' }, balance: { N: '10' } } } },
          {
            Update: {
              TableName: 'Events',
              Key: key,
              UpdateExpression: 'SET balance = balance - :ten',
              ConditionExpression: 'balance >= :ten',
              ExpressionAttributeValues: { ':ten': { N: '10' } },
            },
          },
        ],
      }),
    );
    await expect(cancelled).rejects.toBeInstanceOf(TransactionCanceledException);
    const first = await client.send(new GetItemCommand({ TableName: 'Events', Key: key }));
    const second = await client.send(
      new GetItemCommand({ TableName: 'Events', Key: { pk: { S: 'acct' }, ts: { N: '2' } } }),
    );
    expect(first.Item?.balance).toEqual({ N: '5' });
    expect(second.Item).toBeUndefined();
  });

  it('data outlives the server: a new server on the same database sees it (migrations run once)', async () => {
    const again = await createServer({
      dir: fixtureApp('basic'),
      port: 0,
      data: ':memory:',
      log: 'silent',
      database: db.url,
    });
    const other = clientFor(again.endpoints.dynamodb!);
    try {
      const got = await other.send(
        new GetItemCommand({ TableName: 'Events', Key: { pk: { S: 'acct' }, ts: { N: '1' } }, ConsistentRead: true }),
      );
      expect(got.Item?.balance).toEqual({ N: '5' });
    } finally {
      other.destroy();
      await again.close();
    }
  });
});

// ---- three nodes, each its own process ----

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const outDir = join(root, 'node_modules', '.cache', 'syncline-cluster-test');
const nodeScript = join(outDir, 'postgresNode.mjs');

interface Node {
  name: string;
  child: ChildProcess;
  client: DynamoDBClient;
  port: number;
  /** What the node logged (errors only), to explain a failed request. */
  stderr: () => string;
}

interface Delivery {
  node: string;
  id: string;
  v: number;
}

describe('three nodes on one PostgreSQL database', () => {
  let db: TestDatabase;
  const work = mkdtempSync(join(tmpdir(), 'syncline-cluster-'));
  const logFile = join(work, 'deliveries.log');
  const nodes: Node[] = [];

  const startNode = (name: string): Promise<Node> => {
    const child = spawn(process.execPath, [nodeScript, db.url, logFile, name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_LOG: process.env.NODE_LOG ?? 'error' },
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /READY (\d+)/.exec(out);
        if (m) {
          const node = {
            name,
            child,
            port: Number(m[1]),
            client: clientFor(`http://127.0.0.1:${m[1]}`),
            stderr: () => err,
          };
          nodes.push(node);
          resolve(node);
        }
      });
      child.on('exit', (code) => reject(new Error(`node ${name} exited early (${code}): ${err}`)));
    });
  };

  const stopNode = async (node: Node, signal: 'SIGTERM' | 'SIGKILL') => {
    const exited = new Promise((r) => node.child.once('exit', r));
    node.child.kill(signal);
    await exited;
    node.client.destroy();
    nodes.splice(nodes.indexOf(node), 1);
  };

  const deliveries = (): Delivery[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Delivery)
      : [];

  /** Every (id, v) written was delivered, and each version's first delivery came after every earlier version's. */
  const checkDeliveries = (written: Map<string, number>) => {
    const seen = new Map<string, Set<number>>();
    for (const d of deliveries()) {
      let versions = seen.get(d.id);
      if (!versions) seen.set(d.id, (versions = new Set()));
      if (!versions.has(d.v)) {
        for (let earlier = 1; earlier < d.v; earlier++) {
          expect(versions.has(earlier), `${d.id} v${d.v} delivered before v${earlier}`).toBe(true);
        }
      }
      versions.add(d.v);
    }
    for (const [id, last] of written) {
      for (let v = 1; v <= last; v++) expect(seen.get(id)?.has(v), `${id} v${v} never delivered`).toBe(true);
    }
  };

  const allDelivered = (written: Map<string, number>) => () => {
    const got = new Set(deliveries().map((d) => `${d.id}#${d.v}`));
    for (const [id, last] of written) for (let v = 1; v <= last; v++) if (!got.has(`${id}#${v}`)) return false;
    return true;
  };

  /** Writes versions of `keys` round-robin through the nodes (each key's versions in order). */
  const writeVersions = async (
    written: Map<string, number>,
    keys: string[],
    rounds: number,
    onRound?: (r: number) => Promise<void>,
  ) => {
    for (let r = 0; r < rounds; r++) {
      await onRound?.(r);
      await Promise.all(
        keys.map((id, i) => {
          const v = (written.get(id) ?? 0) + 1;
          written.set(id, v);
          const node = nodes[(r + i) % nodes.length];
          return node.client
            .send(new PutItemCommand({ TableName: 'Storm', Item: { id: { S: id }, v: { N: String(v) } } }))
            .catch((error: Error) => {
              // A failed write says why, from the node's own log.
              throw new Error(`node ${node.name}: ${error.name}: ${error.message}\n${node.stderr().slice(-3000)}`);
            });
        }),
      );
    }
  };

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [fileURLToPath(new URL('./postgresNode.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: nodeScript,
      logLevel: 'silent',
    });
    // The bridge starts its worker from the file next to it, here next to the bundle.
    await build({
      entryPoints: [fileURLToPath(new URL('../../src/tables/storage/postgresWorker.ts', import.meta.url))],
      platform: 'node',
      format: 'esm',
      outfile: join(outDir, 'postgresWorker.js'),
      logLevel: 'silent',
    });
    db = await createTestDatabase();
    // One node first: it applies the migrations and creates the tables the others then find.
    await startNode('a');
    await Promise.all([startNode('b'), startNode('c')]);
  }, 60_000);

  afterAll(async () => {
    for (const node of [...nodes]) await stopNode(node, 'SIGKILL');
    await db?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('concurrent conditional increments from every node: exactly one winner per round', async () => {
    const key = { id: { S: 'counter' } };
    await nodes[0].client.send(new PutItemCommand({ TableName: 'Counters', Item: { ...key, n: { N: '0' } } }));
    const rounds = 15;
    for (let round = 0; round < rounds; round++) {
      // Every node, several times each, tries to move n from `round` to `round + 1`.
      const attempts = nodes.flatMap((node) =>
        Array.from({ length: 3 }, () =>
          node.client
            .send(
              new UpdateItemCommand({
                TableName: 'Counters',
                Key: key,
                UpdateExpression: 'SET n = n + :one',
                ConditionExpression: 'n = :expected',
                ExpressionAttributeValues: { ':one': { N: '1' }, ':expected': { N: String(round) } },
              }),
            )
            .then(
              () => 'won',
              (e) => (e instanceof ConditionalCheckFailedException ? 'lost' : Promise.reject(e)),
            ),
        ),
      );
      const outcomes = await Promise.all(attempts);
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
    }
    const final = await nodes[2].client.send(
      new GetItemCommand({ TableName: 'Counters', Key: key, ConsistentRead: true }),
    );
    expect(final.Item?.n).toEqual({ N: String(rounds) });
  }, 60_000);

  it('concurrent transfers between accounts from every node are all-or-nothing', async () => {
    const accounts = ['acct-1', 'acct-2', 'acct-3'];
    for (const id of accounts) {
      await nodes[0].client.send(
        new PutItemCommand({ TableName: 'Counters', Item: { id: { S: id }, n: { N: '100' } } }),
      );
    }
    const transfer = (node: Node, from: string, to: string, amount: number) =>
      node.client
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: 'Counters',
                  Key: { id: { S: from } },
                  UpdateExpression: 'SET n = n - :a',
                  ConditionExpression: 'n >= :a',
                  ExpressionAttributeValues: { ':a': { N: String(amount) } },
                },
              },
              {
                Update: {
                  TableName: 'Counters',
                  Key: { id: { S: to } },
                  UpdateExpression: 'SET n = n + :a',
                  ExpressionAttributeValues: { ':a': { N: String(amount) } },
                },
              },
            ],
          }),
        )
        .then(
          () => 'done',
          (e) =>
            e.name === 'TransactionCanceledException' || e.name === 'TransactionConflictException'
              ? 'refused'
              : Promise.reject(e),
        );
    const work: Promise<string>[] = [];
    for (let i = 0; i < 60; i++) {
      const from = accounts[i % 3];
      const to = accounts[(i + 1 + (i % 2)) % 3];
      work.push(transfer(nodes[i % nodes.length], from, to, 7 + (i % 5) * 11));
    }
    const outcomes = await Promise.all(work);
    expect(outcomes).toContain('done');
    let total = 0;
    for (const id of accounts) {
      const got = await nodes[1].client.send(
        new GetItemCommand({ TableName: 'Counters', Key: { id: { S: id } }, ConsistentRead: true }),
      );
      const n = Number(got.Item?.n.N);
      expect(n).toBeGreaterThanOrEqual(0);
      total += n;
    }
    expect(total).toBe(300);
  }, 60_000);

  const leasesHeld = () =>
    Promise.all(nodes.map(async (n) => (await (await fetch(`http://127.0.0.1:${n.port}/leases`)).json()) as string[]));

  const written = new Map<string, number>();
  const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);

  it('a stream mapping delivers every record in per-key order while a node leaves', async () => {
    await until(() => nodes.length === 3, 1000, 'three nodes');
    await writeVersions(written, keys, 20, async (round) => {
      // Halfway through, one node shuts down cleanly: its shards are released and resume on the others.
      if (round === 10) await stopNode(nodes[2], 'SIGTERM');
    });
    await until(allDelivered(written), 30_000, 'every record delivered');
    checkDeliveries(written);
    // The leaving node's shards now belong to the living: each shard held by exactly one of them.
    const held = await leasesHeld();
    expect(held.flat().sort()).toEqual([...new Set(held.flat())].sort());
    expect(new Set(held.flat()).size).toBe(4);
  }, 60_000);

  it('kill -9 of a node mid-batch loses nothing: its shards resume on the others from its checkpoint', async () => {
    await startNode('d');
    await writeVersions(written, keys, 20, async (round) => {
      if (round !== 8) return;
      // Kill a node that holds shards, while its batches are in flight.
      const holders = await Promise.all(
        nodes.map(async (n) => ({
          n,
          held: (await (await fetch(`http://127.0.0.1:${n.port}/leases`)).json()) as string[],
        })),
      );
      const victim = holders.find((h) => h.held.length > 0)!.n;
      await stopNode(victim, 'SIGKILL');
    });
    await until(allDelivered(written), 40_000, 'every record delivered after the kill');
    checkDeliveries(written);
  }, 90_000);
});
