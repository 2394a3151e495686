// Group commit on PostgreSQL (docs/decisions/0005, addendum): the requests of one event-loop turn share one
// transaction, a savepoint each, and are acknowledged only once it commits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage, type PostgresStorage } from '../../src/tables/storage/postgres.js';
import { createTestDatabase, type TestDatabase } from './postgresDatabase.js';

const key = (pk: string, sk = '') => ({ pk: Buffer.from(pk), sk: Buffer.from(sk) });

describe('group commit on PostgreSQL', () => {
  let db: TestDatabase;
  let a: PostgresStorage;
  let b: PostgresStorage;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = openPostgresStorage(db.url);
    b = openPostgresStorage(db.url);
    a.transaction((tx) => tx.putTable('T', '{}'));
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await db?.drop();
  });

  it('gives exactly one winner to conditional writes on one key in one turn', async () => {
    const attempts = Array.from({ length: 8 }, (_, i) =>
      a.grouped(() =>
        a.transaction((tx) => {
          if (tx.get('T', '', key('race')) !== undefined) throw new Error('ConditionalCheckFailed');
          tx.put('T', '', key('race'), `writer ${i}`);
          tx.appendStreamRecord('s', 'race', `record ${i}`);
          return i;
        }),
      ),
    );
    // Nothing is acknowledged before the group's COMMIT, which runs on setImmediate.
    let settled = false;
    void Promise.allSettled(attempts).then(() => {
      settled = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    const results = await Promise.allSettled(attempts);
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toEqual([{ status: 'fulfilled', value: 0 }]);
    for (const r of results.slice(1)) {
      expect(r.status === 'rejected' && (r.reason as Error).message).toBe('ConditionalCheckFailed');
    }
    // Acknowledged: visible from another node, with the winner's stream record only.
    expect(b.read((tx) => tx.get('T', '', key('race')))).toBe('writer 0');
    expect(b.read((tx) => tx.readStreamRecords('s', 0, 10, 'race')).map((r) => r.record)).toEqual(['record 0']);
  });

  it('fails only the failing request of a group', async () => {
    const requests = ['x1', 'x2', 'bad', 'x3'].map((name) =>
      a.grouped(() =>
        a.transaction((tx) => {
          tx.put('T', '', key(name), name);
          tx.appendStreamRecord('s', 'many', name);
          // A read after the write, so the failing request's write reached the database before it was undone.
          tx.get('T', '', key(name));
          if (name === 'bad') throw new Error('rejected');
          return name;
        }),
      ),
    );
    const results = await Promise.allSettled(requests);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const seen = b.read((tx) => ['x1', 'x2', 'bad', 'x3'].map((n) => tx.get('T', '', key(n))));
    expect(seen).toEqual(['x1', 'x2', undefined, 'x3']);
    const records = b.read((tx) => tx.readStreamRecords('s', 0, 10, 'many'));
    expect(records.map((r) => r.record)).toEqual(['x1', 'x2', 'x3']);
    expect(records.map((r) => r.sequence)).toEqual([...records.map((r) => r.sequence)].sort((x, y) => x - y));
  });

  it('commits the open group before any other storage call', async () => {
    const pending = a.grouped(() => a.transaction((tx) => tx.put('T', '', key('early'), 'v')));
    // A transaction of its own commits the group first, so it sees the group's write as committed.
    expect(a.transaction((tx) => tx.get('T', '', key('early')))).toBe('v');
    expect(b.read((tx) => tx.get('T', '', key('early')))).toBe('v');
    await expect(pending).resolves.toBeUndefined();
  });

  it('keeps the winner of a conditional race between two nodes, each in a group', async () => {
    const race = (s: PostgresStorage, who: string) =>
      Array.from({ length: 4 }, () =>
        s.grouped(() =>
          s.transaction((tx) => {
            const n = Number(tx.get('T', '', key('counter')) ?? '0');
            tx.put('T', '', key('counter'), String(n + 1));
            return who;
          }),
        ),
      );
    const results = await Promise.all([...race(a, 'a'), ...race(b, 'b')]);
    expect(results).toHaveLength(8);
    expect(a.read((tx) => tx.get('T', '', key('counter')))).toBe('8');
  });
});
