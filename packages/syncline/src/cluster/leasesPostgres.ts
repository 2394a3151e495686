// The lease store on PostgreSQL: the `leases` and `cluster_nodes` tables of the storage schema
// (tables/storage/postgresSchema.ts). Expiry is judged by the database's clock, so nodes' clocks need not agree.
// Each method is one statement in its own transaction; row locks make a takeover and a fenced write exclusive.
import type { PostgresStorage } from '../tables/storage/postgres.js';
import type { Fence, LeaseStore } from './leases.js';

/** `now() + interval` of the milliseconds in parameter `$n`. */
const until = (n: number) => `now() + $${n}::bigint * interval '1 millisecond'`;

export function postgresLeaseStore(storage: PostgresStorage): LeaseStore {
  const run = (sql: string, params: unknown[]) => storage.execute(sql, params);
  return {
    heartbeat(node, ttlMs) {
      run(
        `INSERT INTO cluster_nodes (node, expires_at) VALUES ($1, ${until(2)})
         ON CONFLICT (node) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [node, ttlMs],
      );
      const [row] = run('SELECT count(*) FROM cluster_nodes WHERE expires_at > now() OR node = $1', [node]);
      return Math.max(1, Number(row[0]));
    },
    leave(node) {
      run('DELETE FROM cluster_nodes WHERE node = $1', [node]);
    },
    acquire(names, node, ttlMs, limit) {
      if (!names.length || limit <= 0) return new Map();
      run('INSERT INTO leases (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING', [names]);
      // SKIP LOCKED: two nodes acquiring at once take different leases instead of queueing on the same ones.
      // A lease renewed meanwhile is re-checked after its lock and skipped.
      const rows = run(
        `WITH free AS (
           SELECT name FROM leases
           WHERE name = ANY($1::text[]) AND (owner IS NULL OR expires_at < now())
           ORDER BY name LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE leases l SET owner = $2, token = l.token + 1, expires_at = ${until(4)}
         FROM free WHERE l.name = free.name
         RETURNING l.name, l.token`,
        [names, node, limit, ttlMs],
      );
      return new Map(rows.map((r) => [r[0] as string, Number(r[1])]));
    },
    renew(held, node, ttlMs) {
      const rows = run(
        `UPDATE leases l SET expires_at = ${until(4)}
         FROM unnest($2::text[], $3::bigint[]) AS h(name, token)
         WHERE l.name = h.name AND l.token = h.token AND l.owner = $1
         RETURNING l.name`,
        [node, [...held.keys()], [...held.values()], ttlMs],
      );
      return new Set(rows.map((r) => r[0] as string));
    },
    release(name, node, token) {
      run(`UPDATE leases SET owner = NULL, expires_at = '-infinity' WHERE name = $1 AND owner = $2 AND token = $3`, [
        name,
        node,
        token,
      ]);
    },
    putMetaFenced(key, value, fence: Fence) {
      // FOR SHARE holds off a takeover until this write commits; a takeover that committed first changed the
      // token, and the row is re-checked after the lock, so the write is refused.
      const rows = run(
        `INSERT INTO meta (key, value)
         SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM leases WHERE name = $3 AND token = $4 FOR SHARE)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
         RETURNING 1`,
        [key, value, fence.lease, fence.token],
      );
      return rows.length > 0;
    },
  };
}
