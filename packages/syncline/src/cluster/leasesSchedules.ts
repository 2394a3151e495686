// Schedules across a cluster: every node arms the app's schedules, and each due fire is claimed by inserting its
// (rule, due time) row; the node whose insert lands invokes the function, the others skip that fire. A rate's
// periods count from one anchor shared by all nodes (the first node's start), so every node computes the same
// due times.
import type { PostgresStorage } from '../tables/storage/postgres.js';
import type { ScheduleClaims } from '../triggers/schedules.js';

export function postgresScheduleClaims(storage: PostgresStorage, node: string): ScheduleClaims {
  return {
    anchor(rule, started) {
      const key = `schedule-anchor:${rule}`;
      storage.execute('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        key,
        String(started),
      ]);
      const [row] = storage.execute('SELECT value FROM meta WHERE key = $1', [key]);
      return Number(row?.[0] ?? started);
    },
    claim(rule, due) {
      const rows = storage.execute(
        'INSERT INTO schedule_fires (rule, due, node) VALUES ($1, $2, $3) ON CONFLICT (rule, due) DO NOTHING RETURNING 1',
        [rule, due, node],
      );
      return rows.length > 0;
    },
  };
}
