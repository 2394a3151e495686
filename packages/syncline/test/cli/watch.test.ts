// `syncline dev`'s watcher with the ways files really change: rename-saves (editors, `sed -i`) again and again,
// editors' swap files, new files, deletes; and a dev started on a broken app that starts once it is fixed.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupCli, eventually, graphql, runCli, tempDir } from '../helpers/cli.js';
import { fixtureApp } from '../helpers/server.js';

afterEach(cleanupCli);

function copyBasic(): string {
  const dir = tempDir();
  cpSync(fixtureApp('basic'), dir, { recursive: true });
  return dir;
}

const HELLO = 'resolvers/hello.js';
const greeting = (word: string) =>
  `export function request(ctx) {\n  return { payload: \`${word}, \${ctx.args.name ?? 'world'}!\` };\n}\n\nexport function response(ctx) {\n  return ctx.result;\n}\n`;

async function dev(dir: string) {
  const p = runCli(['dev', dir, '--port', '0', '--data', ':memory:', '--json']);
  const ready = JSON.parse(await p.line()) as { graphql: string; apiKey: string };
  const hello = async () => (await graphql(ready.graphql, ready.apiKey, '{ hello }')).data?.hello as string | undefined;
  const becomes = (expected: string) => eventually(hello, (v) => v === expected, 20_000);
  const reloads = () => (p.output().err.match(/reloaded after a change/g) ?? []).length;
  return { p, hello, becomes, reloads };
}

describe('syncline dev watching', { timeout: 60_000 }, () => {
  it('follows a file saved by rename, again and again', async () => {
    const dir = copyBasic();
    const { becomes } = await dev(dir);
    for (const word of ['One', 'Two', 'Three']) {
      // What atomic-saving editors do: write a temporary file, rename it over the original.
      const tmp = join(dir, 'resolvers', `.hello.js.${word}.tmp`);
      writeFileSync(tmp, greeting(word));
      renameSync(tmp, join(dir, HELLO));
      expect(await becomes(`${word}, world!`)).toBe(`${word}, world!`);
    }
  });

  it('follows `sed -i` edits, again and again', async () => {
    const dir = copyBasic();
    const { becomes } = await dev(dir);
    execFileSync('sed', ['-i', 's/Hello, /Howdy, /', join(dir, HELLO)]);
    expect(await becomes('Howdy, world!')).toBe('Howdy, world!');
    execFileSync('sed', ['-i', 's/Howdy, /Hi, /', join(dir, HELLO)]);
    expect(await becomes('Hi, world!')).toBe('Hi, world!');
    execFileSync('sed', ['-i', 's/Hi, /Hey, /', join(dir, HELLO)]);
    expect(await becomes('Hey, world!')).toBe('Hey, world!');
  });

  it("ignores editors' swap and backup files", async () => {
    const dir = copyBasic();
    const { reloads, becomes } = await dev(dir);
    writeFileSync(join(dir, 'resolvers', '.hello.js.swp'), 'swap');
    writeFileSync(join(dir, 'resolvers', 'hello.js~'), 'backup');
    writeFileSync(join(dir, 'resolvers', '4913'), '');
    await new Promise((r) => setTimeout(r, 700));
    expect(reloads()).toBe(0);
    // …while a real change right after is still seen.
    writeFileSync(join(dir, HELLO), greeting('Still'));
    expect(await becomes('Still, world!')).toBe('Still, world!');
  });

  it('sees new files and deletes', async () => {
    const dir = copyBasic();
    const { becomes, hello } = await dev(dir);
    // A new resolver file, then the config pointing at it.
    writeFileSync(join(dir, 'resolvers', 'hello2.js'), greeting('New'));
    const config = join(dir, 'syncline.config.ts');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        "'Query.hello': { dataSource: 'none', code: 'resolvers/hello.js' }",
        "'Query.hello': { dataSource: 'none', code: 'resolvers/hello2.js' }",
      ),
    );
    expect(await becomes('New, world!')).toBe('New, world!');
    // Deleting it breaks the app: the last good version keeps serving…
    rmSync(join(dir, 'resolvers', 'hello2.js'));
    await new Promise((r) => setTimeout(r, 700));
    expect(await hello()).toBe('New, world!');
    // …and writing it back (a new file again) reloads.
    writeFileSync(join(dir, 'resolvers', 'hello2.js'), greeting('Back'));
    expect(await becomes('Back, world!')).toBe('Back, world!');
  });

  it('started on a broken app, waits, and starts once it is fixed', async () => {
    const dir = copyBasic();
    const schema = readFileSync(join(dir, 'schema.graphql'), 'utf8');
    writeFileSync(join(dir, 'schema.graphql'), 'type Broken {');
    const p = runCli(['dev', dir, '--port', '0', '--data', ':memory:', '--json']);
    await eventually(
      () => p.output().err,
      (e) => e.includes('waiting for a change'),
      20_000,
    );
    expect(p.child.exitCode).toBeNull();
    expect(p.output().out).toBe('');
    writeFileSync(join(dir, 'schema.graphql'), schema);
    const ready = JSON.parse(await p.line());
    expect((await graphql(ready.graphql, ready.apiKey, '{ hello }')).data.hello).toBe('Hello, world!');
  });

  it('start on a broken app still exits', async () => {
    const dir = copyBasic();
    writeFileSync(join(dir, 'schema.graphql'), 'type Broken {');
    const p = runCli(['start', dir, '--port', '0', '--data', ':memory:']);
    expect(await p.exit).toBe(1);
  });
});
