// Lambda reads a function's code folder as the whole deployment: a `.js` file there is CommonJS unless a
// package.json inside the folder says `"type": "module"`. esbuild would instead take the module type from the
// nearest package.json even when it lies above the folder (the app's own, often `"type": "module"`), which the
// deployed function never sees — CDK's bundled `index.js` then fails with "module is not defined". This plugin
// loads such files outside esbuild's file namespace, where the type comes from the code's syntax, as on Lambda.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Plugin } from 'esbuild';

const NAMESPACE = 'lambda-code-folder';
const SKIP = Symbol('package-boundary');

export function packageBoundary(codeRoot: string): Plugin {
  const inside = (path: string) => path.startsWith(codeRoot + sep) && !path.includes(`${sep}node_modules${sep}`);
  /** Whether a package.json between the file and the code folder (inclusive) decides the file's type. */
  const typedWithin = (file: string): boolean => {
    for (let dir = dirname(file); dir.length >= codeRoot.length; dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json'))) return true;
      if (dir === codeRoot) break;
    }
    return false;
  };
  return {
    name: 'syncline-package-boundary',
    setup(build) {
      build.onResolve({ filter: /^(\.|\/|[A-Za-z]:)/ }, async (args) => {
        if (args.pluginData === SKIP) return undefined;
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: SKIP,
        });
        if (result.errors.length || result.external) return result;
        if (!result.path.endsWith('.js') || !inside(result.path) || typedWithin(result.path)) return result;
        return { path: result.path, namespace: NAMESPACE };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: readFileSync(args.path, 'utf8'),
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}
