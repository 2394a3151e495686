// Where the local CA gets trusted, and how: the system store (Debian's update-ca-certificates, Fedora's
// update-ca-trust) and the NSS databases that Chromium (~/.pki/nssdb) and Firefox (each profile) read on Linux.
// Every step reports what it changed; a failed step names its fix and the others still run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The NSS nickname of the CA: one per user, so `trust` replaces an older CA of the same user. */
export const NSS_NICKNAME = 'Syncline development CA';
export const SYSTEM_CA_FILE = 'syncline-dev-ca.crt';

export interface StepResult {
  /** What was touched: a file or an NSS database (`sql:<dir>`). */
  target: string;
  /** What happened, in words: "added", "already trusted", "removed", "not present". */
  change: string;
  error?: string;
}

interface SystemStore {
  dir: string;
  /** The command that rebuilds the bundle from `dir`; none when the folder is overridden (tests). */
  update?: string[];
}

/** The system store of this machine, or undefined when Syncline does not know how to change it. */
export function systemStore(env: NodeJS.ProcessEnv = process.env): SystemStore | undefined {
  if (env.SYNCLINE_SYSTEM_CA_DIR) return { dir: env.SYNCLINE_SYSTEM_CA_DIR };
  if (process.platform !== 'linux') return undefined;
  if (existsSync('/usr/local/share/ca-certificates') || onPath('update-ca-certificates')) {
    return { dir: '/usr/local/share/ca-certificates', update: ['update-ca-certificates'] };
  }
  if (existsSync('/etc/pki/ca-trust/source/anchors')) {
    return { dir: '/etc/pki/ca-trust/source/anchors', update: ['update-ca-trust', 'extract'] };
  }
  return undefined;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

const home = (env: NodeJS.ProcessEnv) => env.HOME || homedir();

/** ~/.pki/nssdb (Chromium, Chrome, and other NSS users) and every Firefox profile with a certificate database. */
export function nssDatabases(env: NodeJS.ProcessEnv = process.env): { dir: string; create: boolean }[] {
  const h = home(env);
  const found: { dir: string; create: boolean }[] = [{ dir: join(h, '.pki', 'nssdb'), create: true }];
  for (const root of [join(h, '.mozilla', 'firefox'), join(h, 'snap', 'firefox', 'common', '.mozilla', 'firefox')]) {
    let entries: string[];
    try {
      entries = readdirSync(root);
    } catch {
      continue;
    }
    for (const name of entries) {
      const dir = join(root, name);
      if (existsSync(join(dir, 'cert9.db'))) found.push({ dir, create: false });
    }
  }
  return found;
}

class StepError extends Error {}

function certutil(args: string[]): { status: number; out: string; err: string } {
  const r = spawnSync('certutil', args, { encoding: 'utf8' });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StepError(
        'certutil not found: install it (Debian/Ubuntu: apt-get install libnss3-tools; Fedora: dnf install nss-tools)',
      );
    }
    throw new StepError(`certutil failed: ${r.error.message}`);
  }
  return { status: r.status ?? 1, out: r.stdout, err: r.stderr.trim() };
}

const normalize = (pem: string) => pem.replace(/\s+/g, '');

/** The PEM under our nickname in an NSS database, or undefined. */
function nssCertificate(db: string): string | undefined {
  const r = certutil(['-L', '-d', db, '-n', NSS_NICKNAME, '-a']);
  return r.status === 0 ? r.out : undefined;
}

const denied = (error: unknown) => ['EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '');

function step(target: string, run: () => string): StepResult {
  try {
    return { target, change: run() };
  } catch (error) {
    return { target, change: 'failed', error: (error as Error).message };
  }
}

function runUpdate(update: string[] | undefined): string {
  if (!update) return '';
  const [command, ...args] = update as [string, ...string[]];
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new StepError(`${update.join(' ')} failed: ${r.error?.message ?? r.stderr.trim() ?? `exit ${r.status}`}`);
  }
  return `; ran ${update.join(' ')}`;
}

function nssAdd(dir: string, create: boolean, caPath: string, ca: string): StepResult {
  const db = `sql:${dir}`;
  return step(db, () => {
    let created = '';
    if (!existsSync(join(dir, 'cert9.db'))) {
      if (!create) return 'no database';
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const r = certutil(['-N', '--empty-password', '-d', db]);
      if (r.status !== 0) throw new StepError(`certutil -N failed: ${r.err}`);
      created = 'created the database; ';
    }
    const present = nssCertificate(db);
    if (present !== undefined && normalize(present) === normalize(ca)) return `${created}already trusted`;
    if (present !== undefined) certutil(['-D', '-d', db, '-n', NSS_NICKNAME]);
    const r = certutil(['-A', '-d', db, '-t', 'C,,', '-n', NSS_NICKNAME, '-i', caPath]);
    if (r.status !== 0) throw new StepError(`certutil -A failed: ${r.err}`);
    return `${created}${present !== undefined ? 'replaced an older Syncline CA' : 'added the CA'}`;
  });
}

function nssRemove(dir: string): StepResult {
  const db = `sql:${dir}`;
  return step(db, () => {
    if (!existsSync(join(dir, 'cert9.db'))) return 'no database';
    if (nssCertificate(db) === undefined) return 'not present';
    const r = certutil(['-D', '-d', db, '-n', NSS_NICKNAME]);
    if (r.status !== 0) throw new StepError(`certutil -D failed: ${r.err}`);
    return 'removed the CA';
  });
}

/** Installs the CA everywhere Syncline knows; each result says what changed or why it failed. */
export function trustCa(caPath: string, env: NodeJS.ProcessEnv = process.env): StepResult[] {
  const ca = readFileSync(caPath, 'utf8');
  const results: StepResult[] = [];
  const store = systemStore(env);
  if (store) {
    const file = join(store.dir, SYSTEM_CA_FILE);
    results.push(
      step(file, () => {
        if (existsSync(file) && normalize(readFileSync(file, 'utf8')) === normalize(ca)) return 'already trusted';
        try {
          copyFileSync(caPath, file);
        } catch (error) {
          // Not root: say the two commands rather than run sudo ourselves (`sudo syncline trust` would use root's
          // config folder, hence another CA, and root's NSS databases).
          if (!denied(error)) throw error;
          const update = store.update ? ` && sudo ${store.update.join(' ')}` : '';
          throw new StepError(`permission denied; run: sudo cp ${caPath} ${file}${update}`);
        }
        return `copied the CA${runUpdate(store.update)}`;
      }),
    );
  } else {
    results.push({
      target: 'system store',
      change: 'skipped',
      error: `Syncline cannot change this system's store (${process.platform}); add ${caPath} to it by hand`,
    });
  }
  for (const { dir, create } of nssDatabases(env)) results.push(nssAdd(dir, create, caPath, ca));
  return results;
}

/** Removes the CA from the places `trustCa` installs it. */
export function untrustCa(env: NodeJS.ProcessEnv = process.env): StepResult[] {
  const results: StepResult[] = [];
  const store = systemStore(env);
  if (store) {
    const file = join(store.dir, SYSTEM_CA_FILE);
    results.push(
      step(file, () => {
        if (!existsSync(file)) return 'not present';
        try {
          rmSync(file);
        } catch (error) {
          if (!denied(error)) throw error;
          const update = store.update ? ` && sudo ${store.update.join(' ')}` : '';
          throw new StepError(`permission denied; run: sudo rm ${file}${update}`);
        }
        return `removed the CA${runUpdate(store.update)}`;
      }),
    );
  }
  for (const { dir } of nssDatabases(env)) results.push(nssRemove(dir));
  return results;
}

/** Where the CA is trusted now, for the dev banner: cheap checks only (a file compare, one certutil call). */
export function trustStatus(ca: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const places: string[] = [];
  const store = systemStore(env);
  if (store) {
    const file = join(store.dir, SYSTEM_CA_FILE);
    try {
      if (normalize(readFileSync(file, 'utf8')) === normalize(ca)) places.push('system store');
    } catch {
      // Not installed.
    }
  }
  const nssdb = join(home(env), '.pki', 'nssdb');
  try {
    if (existsSync(join(nssdb, 'cert9.db'))) {
      const present = nssCertificate(`sql:${nssdb}`);
      if (present !== undefined && normalize(present) === normalize(ca)) places.push('NSS (~/.pki/nssdb)');
    }
  } catch {
    // certutil missing: unknown, said as not trusted there.
  }
  return places;
}
