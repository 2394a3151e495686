// Runs the built `syncline` command as a user would, and reads what it prints.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));

const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Kills what `runCli` started and removes what `tempDir` made; call from afterEach. */
export function cleanupCli(): void {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function tempDir(prefix = 'syncline-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  /** The first stdout line (the `--json` endpoints line). */
  const line = () =>
    new Promise<string>((ok, fail) => {
      const check = () => {
        const nl = out.indexOf('\n');
        if (nl >= 0) ok(out.slice(0, nl));
      };
      child.stdout!.on('data', check);
      child.on('exit', () => fail(new Error(`exited before printing: ${err}`)));
      check();
    });
  return { child, exit, line, output: () => ({ out, err }) };
}

export async function eventually<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await fn();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}

export async function graphql(
  url: string,
  apiKey: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}
