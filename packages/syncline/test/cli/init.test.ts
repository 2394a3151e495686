import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupCli, graphql, runCli, tempDir } from '../helpers/cli.js';

afterEach(cleanupCli);

describe('syncline --version', () => {
  it("prints the package's version", async () => {
    const p = runCli(['--version']);
    expect(await p.exit).toBe(0);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(p.output().out.trim()).toBe(version);
  });
});

describe('syncline init', () => {
  const start = async (dir: string) => {
    const p = runCli(['start', dir, '--port', '0', '--data', ':memory:', '--json']);
    return JSON.parse(await p.line()) as { graphql: string; apiKey: string };
  };

  it('writes a chat app that starts and answers a mutation and a query', async () => {
    const dir = join(tempDir(), 'my-chat');
    const init = runCli(['init', dir, '--template', 'chat']);
    expect(await init.exit).toBe(0);
    expect(init.output().out).toContain('Created the chat app');
    const { graphql: url, apiKey } = await start(dir);
    const sent = await graphql(
      url,
      apiKey,
      'mutation($t: String!) { sendMessage(room: "lobby", author: "ada", text: $t) { id room author text sentAt } }',
      { t: 'hello' },
    );
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendMessage).toMatchObject({ room: 'lobby', author: 'ada', text: 'hello' });
    await graphql(url, apiKey, 'mutation { sendMessage(room: "lobby", author: "bob", text: "hi") { id } }');
    const read = await graphql(url, apiKey, '{ messages(room: "lobby") { items { author text } } }');
    expect(read.data.messages.items).toEqual([
      { author: 'ada', text: 'hello' },
      { author: 'bob', text: 'hi' },
    ]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts.dev).toContain('syncline dev');
  });

  it('writes a todo app that starts and answers a mutation and a query', async () => {
    const dir = tempDir();
    const init = runCli(['init', '--template', 'todo'], process.env, dir);
    expect(await init.exit).toBe(0);
    const { graphql: url, apiKey } = await start(dir);
    const added = await graphql(url, apiKey, 'mutation { addTodo(title: "milk") { id title done } }');
    expect(added.data.addTodo).toMatchObject({ title: 'milk', done: false });
    const done = await graphql(url, apiKey, 'mutation($id: ID!) { setDone(id: $id, done: true) { done } }', {
      id: added.data.addTodo.id,
    });
    expect(done.data.setDone.done).toBe(true);
    const list = await graphql(url, apiKey, '{ todos { items { title done } } }');
    expect(list.data.todos.items).toEqual([{ title: 'milk', done: true }]);
  });

  it('copies the reference app without its installed packages, data or tests', async () => {
    const dir = join(tempDir(), 'orders');
    const init = runCli(['init', dir, '--template', 'realtime-orders']);
    expect(await init.exit).toBe(0);
    expect(existsSync(join(dir, 'syncline.config.ts'))).toBe(true);
    expect(existsSync(join(dir, 'functions', 'createOrder.ts'))).toBe(true);
    expect(existsSync(join(dir, 'web', 'src', 'main.ts'))).toBe(true);
    expect(existsSync(join(dir, 'test'))).toBe(false);
    expect(existsSync(join(dir, 'web', 'dist'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies['aws-amplify']).toBeDefined();
  });

  it('refuses a folder that is not empty and leaves it untouched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const init = runCli(['init', dir, '--template', 'todo']);
    expect(await init.exit).toBe(1);
    expect(init.output().err).toContain('is not empty');
    expect(existsSync(join(dir, 'syncline.config.ts'))).toBe(false);
  });

  it('refuses an unknown template', async () => {
    const init = runCli(['init', tempDir(), '--template', 'blog']);
    expect(await init.exit).not.toBe(0);
    expect(init.output().err).toContain('realtime-orders, chat, todo');
  });
});
