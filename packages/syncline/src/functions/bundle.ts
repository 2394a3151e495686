// Turns a handler file (TS or JS, ESM or CommonJS) into one ES module a worker imports, and builds the worker's
// runtime (worker.ts) the same way. Bundles are written under the app folder, not a temp folder: packages stay
// external and Node resolves them from the bundle's location upwards, i.e. from the app's own node_modules, as
// Lambda resolves them from /var/task. That keeps builds fast (the AWS SDK is not re-bundled per function),
// keeps native addons working, and makes packages behave as they do when deployed with node_modules or a layer.
// Source maps are inline and the workers run with --enable-source-maps: stack traces name the user's lines.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FunctionModel } from '../app/model.js';
import { linkLayerPackages, requireBanner } from './layers.js';
import { packageBoundary } from './packageBoundary.js';
import { packagePatterns } from './packagePatterns.js';
import type { LambdaError } from './types.js';

/** A handler that could not be built: reported on every invocation, as Lambda reports a broken deployment. */
export class HandlerBuildError extends Error {
  constructor(readonly lambdaError: LambdaError) {
    super(lambdaError.errorMessage);
    this.name = 'HandlerBuildError';
  }
}

/**
 * A folder for one server's bundles: `<app>/.syncline/build/<pid>-<random>`. Folders left by processes that are
 * gone are removed first, so a crashed server leaves nothing behind for long.
 */
export function createBuildDir(appDir: string): string {
  const root = removeDeadBuildDirs(appDir);
  const dir = join(root, `${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function removeDeadBuildDirs(folder: string): string {
  const root = join(folder, '.syncline', 'build');
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(join(root, name), { recursive: true, force: true });
  }
  return root;
}

/** `<codeRoot>/.syncline/build/<pid>-code`: one per process, removed by a later start once the process is gone. */
function codeRootBuildDir(codeRoot: string): string {
  const dir = join(removeDeadBuildDirs(codeRoot), `${process.pid}-code`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function bundleHandler(fn: FunctionModel, outDir: string): Promise<string> {
  // A function with its own code folder gets its bundle there, so its own node_modules resolve first.
  const base = fn.codeRoot ? codeRootBuildDir(fn.codeRoot) : outDir;
  const layers = fn.layers ?? [];
  // A function with layers gets a folder of its own: its node_modules holds links to the layers' packages.
  const folder = layers.length ? join(base, fn.name) : base;
  const outfile = join(folder, `${fn.name}.mjs`);
  const source = fn.handler.file;
  if (layers.length) {
    mkdirSync(folder, { recursive: true });
    linkLayerPackages(folder, layers, dirname(source));
  }
  const options = {
    entryPoints: [source],
    outfile,
    bundle: true,
    format: 'esm' as const,
    platform: 'node' as const,
    target: 'node20',
    packages: 'external' as const,
    sourcemap: 'inline' as const,
    logLevel: 'silent' as const,
    plugins: [
      ...(fn.packagePatterns ? [packagePatterns(fn.packagePatterns.root, fn.packagePatterns.patterns)] : []),
      ...(fn.codeRoot ? [packageBoundary(fn.codeRoot)] : []),
    ],
    // CommonJS handlers read the handler's own location, as they would in /var/task.
    define: { __filename: JSON.stringify(source), __dirname: JSON.stringify(dirname(source)) },
  };
  try {
    const first = await build({ ...options, write: false });
    const text = first.outputFiles[0].text;
    // CommonJS code bundled as ESM reaches external packages through esbuild's `__require` shim, which needs a
    // `require` in scope. Only those bundles get one, so ESM handlers keep their own top-level names free.
    if (text.includes('typeof require !== "undefined"')) {
      const banner = layers.length
        ? requireBanner(source, layers)
        : `import { createRequire as __synclineCreateRequire } from 'node:module';\nconst require = __synclineCreateRequire(${JSON.stringify(source)});`;
      await build({ ...options, banner: { js: banner } });
    } else {
      writeFileSync(outfile, text);
    }
  } catch (error) {
    throw new HandlerBuildError(buildError(source, error));
  }
  return outfile;
}

/** The worker runtime, built from worker.ts (tests, `src/`) or worker.js (the published `dist/`). */
export async function bundleWorkerRuntime(outDir: string): Promise<string> {
  const js = fileURLToPath(new URL('./worker.js', import.meta.url));
  const entry = existsSync(js) ? js : fileURLToPath(new URL('./worker.ts', import.meta.url));
  const outfile = join(outDir, '_runtime.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
}

function buildError(file: string, error: unknown): LambdaError {
  const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] })
    .errors;
  const first = errors?.[0];
  if (!first) return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: String(error), trace: [] };
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}` : file;
  const unresolved = /^Could not resolve/.test(first.text);
  return {
    errorType: unresolved ? 'Runtime.ImportModuleError' : 'Runtime.UserCodeSyntaxError',
    errorMessage: `${unresolved ? 'Error' : 'SyntaxError'}: ${first.text} (${where})`,
    trace: (errors ?? []).map((e) =>
      e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text,
    ),
  };
}
