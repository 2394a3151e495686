// Failover on PostgreSQL (docs/cluster.md, "When a node dies"): three nodes, each its own process, under a steady
// write load, while lease holders are killed, frozen and resumed, every session is terminated by the database, and
// a stuck peer holds the rows table locked past the nodes' round-trip timeout. Every expired lease is taken over
// within the lease time plus one renew interval (and a margin for a loaded machine), every acknowledged write
// reaches the stream mapping's function at least once, and no node ever answers with something other than the
// truth or an AWS error.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgresDatabase.js';

const LEASE_TTL_MS = 1500;
const LEASE_RENEW_MS = 300;
const CALL_TIMEOUT_MS = 2000;
/** Lease takeover is promised within TTL + one renew interval; this margin absorbs a loaded test machine. */
const MARGIN_MS = 5000;
const KEYS = Array.from({ length: 12 }, (_, i) => `key-${i}`);

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const outDir = join(root, 'node_modules', '.cache', 'syncline-failover-test');
const nodeScript = join(outDir, 'failoverNode.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node {
  name: string;
  child: ChildProcess;
  client: DynamoDBClient;
  /** Killed, or frozen: no request is sent to it. */
  down: boolean;
  inFlight: number;
  stderr: () => string;
}

interface LogLine {
  level: number;
  msg: string;
  err?: { type?: string; message?: string };
}

const logLines = (node: Node): LogLine[] =>
  node
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

describe('failover of a three-node cluster on PostgreSQL under write load', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const work = mkdtempSync(join(tmpdir(), 'syncline-failover-'));
  const logFile = join(work, 'deliveries.log');
  const nodes: Node[] = [];
  /** Every node ever started, dead ones included: their logs are checked too. */
  const everyNode: Node[] = [];
  let counter = 0;

  const startNode = (): Promise<Node> => {
    const name = `n${counter++}`;
    const child = spawn(process.execPath, [nodeScript, db.url, logFile, name], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LEASE_TTL_MS: String(LEASE_TTL_MS),
        LEASE_RENEW_MS: String(LEASE_RENEW_MS),
        CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
        IDLE_TX_MS: '2000',
      },
    });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /READY (\d+)/.exec(out);
        if (!m || nodes.some((n) => n.child === child)) return;
        const node: Node = {
          name,
          child,
          client: new DynamoDBClient({
            endpoint: `http://127.0.0.1:${m[1]}`,
            region: 'us-east-1',
            credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
            maxAttempts: 1,
            requestHandler: { requestTimeout: 8000, connectionTimeout: 2000 },
          }),
          down: false,
          inFlight: 0,
          stderr: () => err,
        };
        nodes.push(node);
        everyNode.push(node);
        resolve(node);
      });
      child.on('exit', (code, signal) => {
        if (!nodes.some((n) => n.child === child))
          reject(new Error(`node ${name} exited early (${code ?? signal}): ${err}`));
      });
    });
  };

  const leaseOwners = async () =>
    (
      await admin.query<{ name: string; owner: string | null; live: boolean }>(
        'SELECT name, owner, expires_at > now() AS live FROM syncline.leases ORDER BY name',
      )
    ).rows;

  /** The living node holding the most leases. */
  const topHolder = async (): Promise<Node> => {
    const counts = new Map<string, number>();
    for (const l of await leaseOwners()) if (l.owner && l.live) counts.set(l.owner, (counts.get(l.owner) ?? 0) + 1);
    const up = nodes.filter((n) => !n.down);
    up.sort((a, b) => (counts.get(b.name) ?? 0) - (counts.get(a.name) ?? 0));
    expect(counts.get(up[0].name) ?? 0, 'some node holds leases').toBeGreaterThan(0);
    return up[0];
  };

  /** Waits until `victim` owns no lease; returns how long that took. */
  const takenOver = async (victim: Node, since: number): Promise<number> => {
    const bound = LEASE_TTL_MS + LEASE_RENEW_MS + MARGIN_MS;
    for (;;) {
      const held = (await leaseOwners()).filter((l) => l.owner === victim.name);
      const elapsed = Date.now() - since;
      if (held.length === 0) return elapsed;
      if (elapsed > bound)
        throw new Error(`leases ${held.map((l) => l.name)} of ${victim.name} not taken over in ${elapsed} ms`);
      await sleep(50);
    }
  };

  /** Waits until every lease is held, unexpired, by a node that is up. */
  const allLeasesLive = async () => {
    const end = Date.now() + LEASE_TTL_MS + LEASE_RENEW_MS + MARGIN_MS;
    for (;;) {
      const up = new Set(nodes.filter((n) => !n.down).map((n) => n.name));
      const leases = await leaseOwners();
      if (leases.length > 0 && leases.every((l) => l.owner && up.has(l.owner) && l.live)) return;
      if (Date.now() > end) throw new Error(`leases not all held by live nodes: ${JSON.stringify(leases)}`);
      await sleep(50);
    }
  };

  const settle = async (node: Node) => {
    while (node.inFlight > 0) await sleep(10);
  };

  const kill = async (node: Node) => {
    node.down = true;
    const exited = new Promise((r) => node.child.once('exit', r));
    node.child.kill('SIGKILL');
    await exited;
    node.client.destroy();
    nodes.splice(nodes.indexOf(node), 1);
  };

  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    await build({
      entryPoints: [fileURLToPath(new URL('./failoverNode.ts', import.meta.url))],
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
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    // One node first: it applies the migrations and creates the table the others then find.
    await startNode();
    await Promise.all([startNode(), startNode()]);
  }, 60_000);

  afterAll(async () => {
    for (const node of [...nodes]) {
      if (node.child.exitCode === null) node.child.kill('SIGKILL');
      node.client.destroy();
    }
    await admin?.end();
    await db?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('takes over every lease in time, delivers every acknowledged write, and never answers wrongly', async () => {
    /** `id#v` of every acknowledged write. */
    const acknowledged = new Set<string>();
    const sent = new Map<string, number>();
    const busy = new Set<string>();
    const wrong: string[] = [];
    let failed = 0;
    let turn = 0;

    const pick = (offset: number) => {
      const up = nodes.filter((n) => !n.down);
      return up[(turn + offset) % up.length];
    };
    /** One write (and, once acknowledged, one read on another node) of a key that has nothing in flight. */
    const writeOnce = async () => {
      const id = KEYS.find((k) => !busy.has(k));
      if (!id) return;
      busy.add(id);
      turn++;
      const v = (sent.get(id) ?? 0) + 1;
      sent.set(id, v);
      const writer = pick(0);
      writer.inFlight++;
      try {
        const out = await writer.client.send(
          new UpdateItemCommand({
            TableName: 'Storm',
            Key: { id: { S: id } },
            UpdateExpression: 'SET v = :v',
            ExpressionAttributeValues: { ':v': { N: String(v) } },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const expected = { id: { S: id }, v: { N: String(v) } };
        if (JSON.stringify(out.Attributes) !== JSON.stringify(expected)) {
          wrong.push(`${writer.name} answered UpdateItem ${id} v${v} with ${JSON.stringify(out.Attributes)}`);
          return;
        }
        acknowledged.add(`${id}#${v}`);
      } catch (error) {
        // Failing a request is allowed (with an AWS error, or a dropped connection from a node going down).
        failed++;
        const e = error as Error & { $metadata?: { httpStatusCode?: number } };
        if (e.$metadata?.httpStatusCode === 200) wrong.push(`${writer.name}: ${e.name} on a 200 answer`);
        return;
      } finally {
        writer.inFlight--;
      }
      const reader = pick(1);
      reader.inFlight++;
      try {
        const got = await reader.client.send(
          new GetItemCommand({ TableName: 'Storm', Key: { id: { S: id } }, ConsistentRead: true }),
        );
        const seen = Number(got.Item?.v?.N);
        if (got.Item?.id?.S !== id || !(seen >= v) || seen > (sent.get(id) ?? 0)) {
          wrong.push(`${reader.name} answered GetItem ${id} (acknowledged v${v}) with ${JSON.stringify(got.Item)}`);
        }
      } catch {
        failed++;
      } finally {
        reader.inFlight--;
        busy.delete(id);
      }
    };
    // Writes keep flowing through every phase: 20 a second.
    const inFlight = new Set<Promise<void>>();
    const load = setInterval(() => {
      const p = writeOnce().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }, 50);

    const takeovers: number[] = [];
    try {
      await allLeasesLive();

      // 1. kill -9 of the node holding the most leases; a new node joins.
      let victim = await topHolder();
      victim.down = true;
      let since = Date.now();
      await kill(victim);
      takeovers.push(await takenOver(victim, since));
      await startNode();

      // 2. The holder freezes (its sockets stay open, as a node on a paused VM), its leases move, it comes back.
      victim = await topHolder();
      victim.down = true;
      await settle(victim);
      victim.child.kill('SIGSTOP');
      since = Date.now();
      takeovers.push(await takenOver(victim, since));
      await sleep(2500);
      victim.child.kill('SIGCONT');
      // Back once it answers again (its first round trips may time out: the clock moved while it was frozen).
      for (let answered = false; !answered; ) {
        answered = await victim.client
          .send(new GetItemCommand({ TableName: 'Storm', Key: { id: { S: KEYS[0] } } }))
          .then(
            () => true,
            () => sleep(100).then(() => false),
          );
      }
      victim.down = false;
      await allLeasesLive();

      // 3. The database terminates every session: each node reconnects and says so.
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      const reconnected = (n: Node) => logLines(n).some((l) => l.level === 40 && l.msg === 'reconnected to PostgreSQL');
      for (const end = Date.now() + 10_000; !nodes.every(reconnected) && Date.now() < end; ) await sleep(50);
      expect(
        nodes.filter((n) => !reconnected(n)).map((n) => n.name),
        `nodes that did not log a reconnect: ${nodes
          .filter((n) => !reconnected(n))
          .flatMap((n) => logLines(n).map((l) => `${l.level} ${l.msg} ${l.err?.message ?? ''}`))
          .join('\n')}`,
      ).toEqual([]);

      // 4. A stuck peer holds the rows table past the nodes' round-trip timeout; then lets go.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE syncline.rows IN EXCLUSIVE MODE');
      await sleep(CALL_TIMEOUT_MS + 1000);
      await admin.query('COMMIT');

      // 5. Another kill -9 of the busiest holder, once the leases the stuck peer let lapse are held again (on a
      //    loaded machine the renewal round after the lock can take a moment; a lapse past the bound still fails).
      await allLeasesLive();
      victim = await topHolder();
      victim.down = true;
      since = Date.now();
      await kill(victim);
      takeovers.push(await takenOver(victim, since));
      await sleep(1000);
    } finally {
      clearInterval(load);
      await Promise.all(inFlight);
    }
    await allLeasesLive();

    expect(wrong).toEqual([]);
    // The load was real: writes kept being acknowledged through every phase (a loaded machine acknowledges fewer).
    const total = acknowledged.size;
    expect(total, `writes acknowledged (${failed} requests failed)`).toBeGreaterThan(40);
    expect(takeovers).toHaveLength(3);

    // Every acknowledged version reached the function at least once.
    const delivered = () =>
      new Set(
        (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const d = JSON.parse(l) as { id: string; v: number };
            return `${d.id}#${d.v}`;
          }),
      );
    const missing = () => {
      const got = delivered();
      return [...acknowledged].filter((key) => !got.has(key));
    };
    for (const end = Date.now() + 20_000; missing().length && Date.now() < end; ) await sleep(100);
    expect(missing()).toEqual([]);

    // No node ever worked from a broken state: no lease round, sweep or request failed on a wrong answer.
    for (const node of everyNode) {
      const broken = logLines(node).filter((l) => /TypeError|not valid JSON|SyntaxError/.test(JSON.stringify(l.err)));
      expect(broken, `${node.name} failed on a wrong answer`).toEqual([]);
    }
  }, 90_000);
});
