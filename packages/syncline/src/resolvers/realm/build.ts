// Bundles the realm's runtime (inside.ts with the built-ins it creates) into one script for V8 contexts. The text
// depends only on Syncline's own source, so it is built and compiled once per process and run in every context.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { build } from 'esbuild';

const RUNTIME_GLOBAL = '__synclineRealmRuntime';
let runtime: Promise<Script> | undefined;

function sibling(name: string): string {
  // Under dist/ the sources are .js; under src/ (tests run from source) they are .ts.
  for (const ext of ['.js', '.ts']) {
    const path = fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`resolver realm runtime: ${name} not found next to ${import.meta.url}`);
}

/** A compiled script whose value, run in a context, is that realm's `createRealm` function. */
export function realmRuntimeScript(): Promise<Script> {
  runtime ??= build({
    entryPoints: [sibling('inside')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: RUNTIME_GLOBAL,
    platform: 'neutral',
    target: 'es2022',
    logLevel: 'silent',
    plugins: [
      {
        name: 'realm-crypto',
        setup(b) {
          b.onResolve({ filter: /^node:crypto$/ }, () => ({ path: sibling('random') }));
        },
      },
    ],
  }).then(
    (r) =>
      new Script(`(() => {\n"use strict";\n${r.outputFiles[0].text}\nreturn ${RUNTIME_GLOBAL}.createRealm;\n})()`, {
        filename: 'syncline:resolver-realm',
      }),
  );
  return runtime;
}
