// Generated secrets shared by a cluster (docs/auth.md, "Secrets"): kept in the `secrets` table of the shared
// database. The first node to need a secret inserts the one it generated; a node racing it loses the insert
// (ON CONFLICT DO NOTHING) and reads the winner's, so every node ends up with the same value.
import type { SecretStore } from '../app/secrets.js';
import type { PostgresStorage } from '../tables/storage/postgres.js';

/** Secrets named `prefix + name` in the shared database. */
export function postgresSecretStore(storage: PostgresStorage, prefix: string): SecretStore {
  const read = (name: string) => storage.execute('SELECT value FROM secrets WHERE name = $1', [name])[0]?.[0];
  return {
    keep(name, generate) {
      const key = prefix + name;
      const kept = read(key);
      if (typeof kept === 'string') return kept;
      const [inserted] = storage.execute(
        'INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value',
        [key, generate()],
      );
      if (inserted) return inserted[0] as string;
      const winner = read(key);
      // Inserted by another node between the two statements; it cannot vanish (nothing deletes secrets) unless an
      // operator removed it at that very moment, and then this node starts over.
      return typeof winner === 'string' ? winner : this.keep(name, generate);
    },
  };
}
