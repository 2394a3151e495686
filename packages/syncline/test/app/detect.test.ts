import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectDefinition, loadApp } from '../../src/app/index.js';
import { fixtureApp } from '../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-detect-'));
  dirs.push(dir);
  return dir;
};

describe('picking the loader for a path', () => {
  it('finds syncline.config.ts in a folder', () => {
    const found = detectDefinition(fixtureApp('basic'));
    expect(found.loader.format).toBe('syncline.config');
    expect(found.file).toBe(join(fixtureApp('basic'), 'syncline.config.ts'));
  });

  it('loads the same app from the folder and from the file named', async () => {
    const byDir = await loadApp(fixtureApp('basic'), { data: ':memory:' });
    const byFile = await loadApp(join(fixtureApp('basic'), 'syncline.config.ts'), { data: ':memory:' });
    expect(byFile.name).toBe(byDir.name);
    expect(byFile.dir).toBe(byDir.dir);
    expect(byFile.graphql?.resolvers).toEqual(byDir.graphql?.resolvers);
  });

  it('names the folder and every file it looked for when there is none', () => {
    const dir = tmp();
    expect(() => detectDefinition(dir)).toThrow(/no app definition found \(looked for syncline\.config\.ts.*\)/);
  });

  it('refuses a file that is no definition format it reads, naming it', () => {
    const file = join(tmp(), 'notes.yml');
    writeFileSync(file, 'hello: world\n');
    expect(() => detectDefinition(file)).toThrow(/notes\.yml: not an app definition Syncline reads/);
  });

  it('refuses a path that does not exist', () => {
    expect(() => detectDefinition(join(tmp(), 'nope'))).toThrow(/nope: no such file or folder/);
  });
});
