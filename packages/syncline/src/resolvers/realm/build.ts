// Bundles the realm's runtime (inside.ts with the built-ins it creates) into one script for V8 contexts. The text
// depends only on Syncline's own source, so it is built once per process and shared by every server.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const RUNTIME_GLOBAL = '__synclineRealmRuntime';
let runtime: Promise<string> | undefined;

function sibling(name: string): string {
  // Under dist/ the sources are .js; under src/ (tests run from source) they are .ts.
  for (const ext of ['.js', '.ts']) {
    const path = fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`resolver realm runtime: ${name} not found next to ${import.meta.url}`);
}

/** A script whose value is the realm's `createRealm` function. */
export function realmRuntimeScript(): Promise<string> {
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
  }).then((r) => `(() => {\n"use strict";\n${r.outputFiles[0].text}\nreturn ${RUNTIME_GLOBAL}.createRealm;\n})()`);
  return runtime;
}
