// Loads a resolver's or function's VTL mapping templates as a resolver module: a realm of its own (sandbox.ts)
// running velocityjs and vtl/engine.ts under the same tick budget as APPSYNC_JS code. The engine bundle is built
// and instrumented once per process; each module's realm evaluates it and compiles its own templates.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { build } from 'esbuild';
import { BUILTINS_GLOBAL, ResolverCodeError } from '../bundle.js';
import { instrument } from '../realm/instrument.js';
import {
  DEFAULT_RESOLVER_LIMITS,
  loadRealmModule,
  type ResolverLimits,
  type ResolverModule,
  type SandboxConsole,
} from '../sandbox.js';
import type { VtlOptions } from './engine.js';

export interface VtlTemplates {
  /** Where the templates come from (file path or resolver name), for errors and logs. */
  source: string;
  request?: string;
  response?: string;
  /** `unit` resolver, pipeline `function`, or a `pipeline` resolver's before/after templates. */
  kind: VtlOptions['kind'];
}

/** AppSync's limit on a mapping template (EvaluateMappingTemplate's `template`: 65,536 characters). */
export const MAX_TEMPLATE_LENGTH = 65_536;

// One tick name per process for every VTL realm: templates cannot name JavaScript identifiers, so unlike resolver
// code they cannot shadow or call it, and one instrumented engine text serves every realm.
const TICK = `__synclineVtlTick${randomBytes(8).toString('hex')}`;
const ENGINE_GLOBAL = '__synclineVtl';
/**
 * The first run of a VTL realm initializes velocityjs (its parser tables) under the ticks before it parses the
 * templates: Syncline's code, not the app's, and slow on a loaded machine; a server must not fail to start for it.
 */
const LOAD_MS = 2000;
const LEXER_MATCH = 'tempMatch = this._input.match(this.rules[rules[i]]);';
const LEXER_MATCH_AFTER_DOT =
  'tempMatch = this.matched.endsWith(".") && /^\\^\\(\\?:(?:in|le|ge|gt|lt|eq|or|and|ne|not)\\\\b\\)$/.test(this.rules[rules[i]].source) ? null : this._input.match(this.rules[rules[i]]);';
let engine: Promise<{ engine: Script; bind: Script }> | undefined;

function sibling(name: string): string {
  for (const ext of ['.js', '.ts']) {
    const path = fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`VTL engine: ${name} not found next to ${import.meta.url}`);
}

function engineScripts() {
  engine ??= build({
    entryPoints: [sibling('engine')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: ENGINE_GLOBAL,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
    plugins: [
      {
        // velocityjs logs through `debug`, which reads process and tty: nothing to log inside a realm.
        name: 'no-debug',
        setup(b) {
          b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'vtl-stub' }));
          b.onLoad({ filter: /.*/, namespace: 'vtl-stub' }, () => ({
            contents: 'export default function debug() { return function log() {}; }',
            loader: 'js',
          }));
        },
      },
      {
        // Velocity reads `eq`, `lt`, `and`… as operators only where an operator can stand: after a dot they are
        // property names (`$ctx.args.name.eq`, which every Amplify key condition reads). velocityjs's lexer
        // tokenizes them as operators everywhere; here a keyword rule is skipped right after a dot.
        name: 'keywords-after-dot',
        setup(b) {
          b.onLoad({ filter: /velocityjs[\\/]dist[\\/]esm[\\/]parse[\\/]index\.mjs$/ }, async (args) => {
            const text = await readFile(args.path, 'utf8');
            const patched = text.replace(LEXER_MATCH, LEXER_MATCH_AFTER_DOT);
            if (patched === text) throw new Error(`VTL engine: velocityjs's lexer changed (${args.path})`);
            return { contents: patched, loader: 'js' };
          });
        },
      },
    ],
  }).then((r) => {
    const code = instrument(
      `(function () {\n"use strict";\n${r.outputFiles[0].text}\nreturn ${ENGINE_GLOBAL}.compile;\n})`,
      TICK,
    );
    return {
      engine: new Script(code, { filename: 'syncline:vtl-engine' }),
      bind: new Script('(function (load, options) { return function () { return load()(options); }; })', {
        filename: 'syncline:vtl-bind',
      }),
    };
  });
  return engine;
}

/** The mapping template version a request template declares (`"version": "..."`); functions are 2018-05-29. */
export function templateVersion(templates: VtlTemplates): VtlOptions['version'] {
  if (templates.kind === 'function') return '2018-05-29';
  const declared = /"version"\s*:\s*"(2017-02-28|2018-05-29)"/.exec(templates.request ?? '');
  return (declared?.[1] as VtlOptions['version'] | undefined) ?? '2018-05-29';
}

export async function loadVtlModule(
  templates: VtlTemplates,
  console: SandboxConsole,
  limits: ResolverLimits = DEFAULT_RESOLVER_LIMITS,
): Promise<ResolverModule> {
  for (const which of ['request', 'response'] as const) {
    const text = templates[which];
    if (text !== undefined && text.length > MAX_TEMPLATE_LENGTH) {
      throw new ResolverCodeError(templates.source, [
        `${templates.source}: the ${which} mapping template is ${text.length} characters; AppSync allows ${MAX_TEMPLATE_LENGTH}`,
      ]);
    }
  }
  const scripts = await engineScripts();
  const options: VtlOptions = {
    builtinsGlobal: BUILTINS_GLOBAL,
    request: templates.request,
    response: templates.response,
    version: templateVersion(templates),
    kind: templates.kind,
  };
  return loadRealmModule(
    templates.source,
    console,
    limits,
    TICK,
    (context) => {
      const load = scripts.engine.runInContext(context);
      const bind = scripts.bind.runInContext(context) as (load: unknown, options: string) => unknown;
      return bind(load, JSON.stringify(options));
    },
    Math.max(limits.cpuMs, LOAD_MS),
    templates.kind !== 'unit',
  );
}
