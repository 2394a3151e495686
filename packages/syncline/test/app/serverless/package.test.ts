// serverless.yml `package.individually` / `package.patterns`: a function whose package leaves a folder out
// cannot import from it on Lambda, so it cannot here either; a function whose package keeps it runs.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigError } from '../../../src/app/errors.js';
import { loadApp } from '../../../src/app/index.js';
import { bundleHandler, HandlerBuildError } from '../../../src/functions/bundle.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({ dir: fixtureApp('serverless-package'), port: 0, data: ':memory:', log: 'silent' });
});
afterAll(() => server?.close());

describe('package.patterns of functions packaged individually', { timeout: 60_000 }, () => {
  it('runs a function whose package keeps the folder it imports', async () => {
    const res = await fetch(`${server.endpoints.http}/internal`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ item: 'kettle', price: 40, path: '/internal' });
  });

  it('refuses the import of a file the function’s own patterns leave out, as Lambda would fail it', async () => {
    const res = await fetch(`${server.endpoints.http}/public`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
    const out = mkdtempSync(join(tmpdir(), 'syncline-package-build-'));
    try {
      const error = await bundleHandler(server.app.functions.public, out).catch((e) => e);
      expect(error).toBeInstanceOf(HandlerBuildError);
      expect(error.lambdaError.errorType).toBe('Runtime.ImportModuleError');
      expect(error.lambdaError.errorMessage).toContain(
        "src/internal/price.mjs is left out of the function's package by package.patterns",
      );
      await expect(bundleHandler(server.app.functions.internal, out)).resolves.toMatch(/internal\.mjs$/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('says in one notice line that the patterns are read, and lists what is AWS-only', () => {
    const notices = server.app.notices ?? [];
    expect(
      notices.some((n) => n.endsWith("a function's package is refused, as it fails on Lambda (public, internal)")),
    ).toBe(true);
    expect(notices.some((n) => n.includes('package.excludeDevDependencies'))).toBe(true);
    expect(server.app.functions.public.packagePatterns?.patterns).toEqual(['!tests/**', '!src/internal/**']);
    expect(server.app.functions.internal.packagePatterns?.patterns).toEqual(['!tests/**']);
  });

  it('ignores a function’s own patterns when it is not packaged individually, as the Framework does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-package-'));
    try {
      cpSync(fixtureApp('serverless-package'), dir, { recursive: true });
      const file = join(dir, 'serverless.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('individually: true', 'individually: false'));
      const app = await loadApp(dir, { data: ':memory:' });
      expect(app.functions.public.packagePatterns?.patterns).toEqual(['!tests/**']);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"!tests/**"', '"!src/**"'));
      const error = await loadApp(dir, { data: ':memory:' }).catch((e) => e);
      expect(error).toBeInstanceOf(AppConfigError);
      expect(error.message).toMatch(
        /serverless\.yml:\d+: package\.patterns: leave functions\.public's handler out of its package/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
