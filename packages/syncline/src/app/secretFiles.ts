// Files holding secrets (generated API keys, the local issuer's signing key, the dev certificate's private key):
// readable and writable by their owner only, in a folder only the owner can list. Modes set by an older version
// (or by a umask) are tightened whenever such a file is opened.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

/** POSIX modes mean nothing on Windows, where the folder's ACL (the user's profile) protects the files. */
const posix = process.platform !== 'win32';

function tighten(path: string, mode: number): void {
  if (!posix) return;
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}

/** Creates `dir` (with its parents) and makes it owner-only; an existing folder is tightened. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: SECRET_DIR_MODE });
  tighten(dir, SECRET_DIR_MODE);
}

/** A secret file's text, its and its folder's modes tightened; undefined when it does not exist. */
export function readSecretFile(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  tighten(path, SECRET_FILE_MODE);
  tighten(dirname(path), SECRET_DIR_MODE);
  return text;
}

/**
 * Writes a secret file: created owner-only (never briefly readable by others), complete or not at all (written
 * aside, then renamed over the old one), in an owner-only folder.
 */
export function writeSecretFile(path: string, text: string): void {
  ensurePrivateDir(dirname(path));
  const aside = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(aside, text, { mode: SECRET_FILE_MODE, flag: 'wx' });
    tighten(aside, SECRET_FILE_MODE);
    renameSync(aside, path);
  } catch (error) {
    rmSync(aside, { force: true });
    throw error;
  }
}
