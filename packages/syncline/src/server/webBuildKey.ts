// What decides whether the app's `web.build` must run again: the command, and every file of the app folder by
// path, size and modification time (as make decides), except what builds write or tools keep (the build's own
// output, node_modules, .git, .syncline, cdk.out). Any change anywhere in the app rebuilds: a build may import code
// from outside its web folder, and a rebuild too many costs seconds where a stale page costs a confused hour.
import { createHash } from 'node:crypto';
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIPPED = new Set(['node_modules', '.git', '.syncline', 'cdk.out']);
/** Past this many files the walk costs more than it saves: always build. */
const MAX_FILES = 20_000;

/** The key of the app folder's current state for this build, or undefined to build regardless. */
export function webBuildKey(appDir: string, webDir: string, command: string): string | undefined {
  const hash = createHash('sha256').update(command).update('\0');
  let count = 0;
  const walk = (dir: string): boolean => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIPPED.has(entry.name) || path === webDir) continue;
        if (!walk(path)) return false;
      } else if (entry.isFile()) {
        if (++count > MAX_FILES) return false;
        const stats = statSync(path, { throwIfNoEntry: false });
        if (!stats) continue;
        hash.update(`${relative(appDir, path)}\0${stats.size}\0${stats.mtimeMs}\0`);
      }
    }
    return true;
  };
  return walk(appDir) ? hash.digest('hex') : undefined;
}
