// Serverless Framework's `package.patterns`: a function's deployment package holds the service's files minus
// those the patterns leave out (`!glob` excludes, `glob` puts back, in order). Code that imports a left-out file
// fails on Lambda with Runtime.ImportModuleError, so the bundle refuses the import here too.
import { relative, sep } from 'node:path';
import type { Plugin } from 'esbuild';

const SKIP = Symbol('package-patterns');

/** A Framework glob (`src/**`, `!tests/**`, `*.md`) as a regular expression over `/`-separated relative paths. */
function globRegex(glob: string): RegExp {
  const source = glob.replace(/^\.\//, '');
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*' && source[i + 1] === '*') {
      const slash = source[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A folder pattern also stands for what is inside it, as the Framework's globbing treats `dir/**`.
  return new RegExp(`^${out}(?:/.*)?$`);
}

/** Whether the patterns leave `file` out of the package built from `root`. */
export function excludedBy(root: string, patterns: readonly string[]): (file: string) => boolean {
  const rules = patterns.map((p) => ({ exclude: p.startsWith('!'), regex: globRegex(p.replace(/^!/, '')) }));
  return (file) => {
    const rel = relative(root, file).split(sep).join('/');
    if (rel.startsWith('../')) return false;
    let included = true;
    for (const rule of rules) if (rule.regex.test(rel)) included = !rule.exclude;
    return !included;
  };
}

export function packagePatterns(root: string, patterns: readonly string[]): Plugin {
  const excluded = excludedBy(root, patterns);
  return {
    name: 'syncline-package-patterns',
    setup(build) {
      build.onResolve({ filter: /^(\.|\/|[A-Za-z]:)/ }, async (args) => {
        if (args.pluginData === SKIP || args.kind === 'entry-point') return undefined;
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: SKIP,
        });
        if (result.errors.length || result.external || !excluded(result.path)) return result;
        return {
          errors: [
            {
              // "Could not resolve" as esbuild words a missing module, so it is reported as Runtime.ImportModuleError.
              text: `Could not resolve "${args.path}": ${relative(root, result.path).split(sep).join('/')} is left out of the function's package by package.patterns, so the import fails on Lambda too`,
            },
          ],
        };
      });
    },
  };
}
