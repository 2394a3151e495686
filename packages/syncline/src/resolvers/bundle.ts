// Turns a resolver file (JS or TS, as written for AppSync) into one script for the sandbox: checked against the
// APPSYNC_JS restrictions first, then bundled with esbuild with the AppSync modules pointed at our built-ins.
import { readFileSync } from 'node:fs';
import { build, transform } from 'esbuild';
import { checkAppsyncJs } from './restrictions.js';

/** A resolver file AppSync would refuse, or that does not compile. */
export class ResolverCodeError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.join('\n'));
    this.name = 'ResolverCodeError';
  }
}

/** Name of the sandbox global holding the built-ins; the bundle reads it when the AppSync modules are imported. */
export const BUILTINS_GLOBAL = '__synclineBuiltins';
/** Name of the sandbox global the bundle assigns its exports to. */
export const EXPORTS_GLOBAL = '__synclineResolver';

const DYNAMODB_EXPORTS = [
  'get',
  'put',
  'update',
  'remove',
  'query',
  'scan',
  'sync',
  'batchGet',
  'batchPut',
  'batchDelete',
  'transactGet',
  'transactWrite',
  'operations',
  'toDynamoDB',
  'toMapValues',
  'toStringSet',
  'toNumberSet',
  'toBinarySet',
];

const RDS_EXPORTS = [
  'sql',
  'select',
  'insert',
  'update',
  'remove',
  'createPgStatement',
  'createMySQLStatement',
  'typeHint',
  'agg',
  'toJsonObject',
];

/** An AppSync module's exports as reads of the realm's built-ins (`__synclineBuiltins.<key>`). */
const moduleSource = (key: string, names: string[]) =>
  `const m = globalThis.${BUILTINS_GLOBAL}.${key};\n${names.map((n) => `export const ${n} = m.${n};`).join('\n')}`;

export async function bundleResolver(file: string): Promise<string> {
  const source = readFileSync(file, 'utf8');
  let js = source;
  let map: string | undefined;
  if (/\.[cm]?tsx?$/.test(file)) {
    try {
      const out = await transform(source, { loader: 'ts', sourcemap: 'external', sourcefile: file, format: 'esm' });
      js = out.code;
      map = out.map;
    } catch (error) {
      throw compileError(file, error);
    }
  }
  const violations = checkAppsyncJs(js, file, map);
  if (violations.length) {
    throw new ResolverCodeError(
      file,
      violations.map((v) => `${v.file}:${v.line}:${v.column}: ${v.message}`),
    );
  }
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: EXPORTS_GLOBAL,
      platform: 'neutral',
      target: 'es2022',
      logLevel: 'silent',
      plugins: [
        {
          name: 'appsync-modules',
          setup(b) {
            b.onResolve({ filter: /^@aws-appsync\/utils(\/dynamodb|\/rds)?$/ }, (args) => ({
              path: args.path,
              namespace: 'appsync',
            }));
            b.onLoad({ filter: /.*/, namespace: 'appsync' }, (args) => ({
              loader: 'js',
              contents: args.path.endsWith('/dynamodb')
                ? moduleSource('dynamodb', DYNAMODB_EXPORTS)
                : args.path.endsWith('/rds')
                  ? moduleSource('rds', RDS_EXPORTS)
                  : `const b = globalThis.${BUILTINS_GLOBAL};\nexport const util = b.util, runtime = b.runtime, extensions = b.extensions;`,
            }));
          },
        },
      ],
    });
    return result.outputFiles[0].text;
  } catch (error) {
    throw compileError(file, error);
  }
}

function compileError(file: string, error: unknown): ResolverCodeError {
  const errors = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] })
    .errors;
  if (!errors?.length) return new ResolverCodeError(file, [`${file}: ${(error as Error).message}`]);
  return new ResolverCodeError(
    file,
    errors.map((e) =>
      e.location ? `${file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : `${file}: ${e.text}`,
    ),
  );
}
