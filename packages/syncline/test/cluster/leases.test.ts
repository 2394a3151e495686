// Shard leases and schedule claims on PostgreSQL, node against node (each with its own connection).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresLeaseStore } from '../../src/cluster/leasesPostgres.js';
import { postgresScheduleClaims } from '../../src/cluster/leasesSchedules.js';
import { openPostgresStorage, type PostgresStorage } from '../../src/tables/storage/postgres.js';
import { createTestDatabase, type TestDatabase } from './postgresDatabase.js';

describe('leases and schedule claims on PostgreSQL', () => {
  let db: TestDatabase;
  const storages: PostgresStorage[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    for (let i = 0; i < 3; i++) storages.push(openPostgresStorage(db.url));
  });
  afterAll(async () => {
    for (const s of storages) s.close();
    await db?.drop();
  });

  it('a lease goes to one node; after it expires another takes it with a higher token, and the stale checkpoint is refused', () => {
    const [a, b] = storages.map(postgresLeaseStore);
    const name = 'fn:T|arn#0';
    // A 1 ms lease: expired by the time B asks.
    const first = a.acquire([name], 'a', 1, 1);
    expect(first.get(name)).toBeGreaterThan(0);
    expect(a.putMetaFenced('cp', 'from a', { lease: name, token: first.get(name)! })).toBe(true);
    while (b.acquire([name], 'b', 60_000, 1).size === 0) {
      /* the 1 ms lease expires on the database's clock */
    }
    const [row] = storages[1].execute('SELECT token, owner FROM leases WHERE name = $1', [name]);
    expect(row[1]).toBe('b');
    expect(row[0]).toBe(first.get(name)! + 1);
    // A paused node wakes up and writes with its old token: refused; the new holder's write lands.
    expect(a.putMetaFenced('cp', 'stale from a', { lease: name, token: first.get(name)! })).toBe(false);
    expect(a.renew(new Map([[name, first.get(name)!]]), 'a', 5000).size).toBe(0);
    expect(b.putMetaFenced('cp', 'from b', { lease: name, token: row[0] as number })).toBe(true);
    expect(storages[2].read((tx) => tx.getMeta('cp'))).toBe('from b');
    // A held lease is not taken by a third node.
    expect(postgresLeaseStore(storages[2]).acquire([name], 'c', 5000, 1).size).toBe(0);
  });

  it('shares leases fairly: each node takes at most its share, and a released lease is free at once', () => {
    const stores = storages.map(postgresLeaseStore);
    const names = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
    const taken = stores.map((s, i) => s.acquire(names, `n${i}`, 60_000, 2));
    const all = taken.flatMap((m) => [...m.keys()]);
    expect(all.sort()).toEqual(names);
    const [n0] = taken;
    const [releasedName, token] = [...n0.entries()][0];
    stores[0].release(releasedName, 'n0', token);
    expect(stores[1].acquire(names, 'n1', 60_000, 1).has(releasedName)).toBe(true);
  });

  it('a schedule fire is claimed by exactly one node, and every node counts rates from the same anchor', () => {
    const claims = storages.map((s, i) => postgresScheduleClaims(s, `n${i}`));
    const anchors = claims.map((c, i) => c.anchor('rule-1|rate(1 minute)', 1000 + i));
    expect(anchors).toEqual([1000, 1000, 1000]);
    for (const due of [61_000, 121_000, 181_000]) {
      expect(claims.map((c) => c.claim('rule-1|rate(1 minute)', due)).filter(Boolean)).toHaveLength(1);
    }
  });
});
