// Where generated secrets are kept so that clients holding them keep working: API keys in the data folder on one
// node, and in the shared database in a cluster, so that every node accepts the same ones (cluster/secretsPostgres.ts).
import { readSecretFile, writeSecretFile } from './secretFiles.js';

export interface SecretStore {
  /** The value kept under `name`; the first caller's `generate()` is kept, and every later caller gets that one. */
  keep(name: string, generate: () => string): string;
}

/** Kept for the life of the process (':memory:' data). */
export function memorySecretStore(): SecretStore {
  const kept = new Map<string, string>();
  return {
    keep(name, generate) {
      let value = kept.get(name);
      if (value === undefined) kept.set(name, (value = generate()));
      return value;
    },
  };
}

/** A JSON object of name → value in `file` (0600, in a 0700 folder). */
export function fileSecretStore(file: string): SecretStore {
  const read = (): Record<string, string> => {
    const text = readSecretFile(file);
    return text === undefined ? {} : (JSON.parse(text) as Record<string, string>);
  };
  return {
    keep(name, generate) {
      const kept = read();
      const value = Object.hasOwn(kept, name) ? kept[name] : undefined;
      if (typeof value === 'string' && value) return value;
      const fresh = generate();
      writeSecretFile(file, `${JSON.stringify({ ...kept, [name]: fresh }, null, 2)}\n`);
      return fresh;
    },
  };
}
