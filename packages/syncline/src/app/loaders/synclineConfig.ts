// `syncline.config.ts|mjs|js|json`: evaluated (TypeScript bundled with esbuild), checked with zod, resolved.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { z } from 'zod';
import { appConfigSchema } from '../config.js';
import { AppConfigError } from '../errors.js';
import { resolveModel } from '../resolveConfig.js';
import type { AppLoader } from './types.js';

export const CONFIG_FILES = ['syncline.config.ts', 'syncline.config.mjs', 'syncline.config.js', 'syncline.config.json'];

export const synclineConfigLoader: AppLoader = {
  format: 'syncline.config',
  files: CONFIG_FILES,
  async load(file, options) {
    const raw = await evaluateConfig(file);
    const parsed = appConfigSchema.safeParse(raw);
    if (!parsed.success) throw zodError(file, parsed.error);
    return resolveModel(parsed.data, dirname(file), file, options);
  },
};

/** Evaluates a config module (TS or JS, bundled) or reads a JSON file; its default export is the config. */
export async function evaluateConfig(file: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AppConfigError(file, null, `invalid JSON: ${(error as Error).message}`);
    }
  }
  // Bundled so TypeScript and relative imports work without a loader; `syncline` itself is replaced by the one
  // function a config needs, so the config never loads a second copy of the engine.
  let code: string;
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      plugins: [
        {
          name: 'syncline-define-app',
          setup(b) {
            b.onResolve({ filter: /^syncline$/ }, () => ({ path: 'syncline', namespace: 'syncline' }));
            b.onLoad({ filter: /.*/, namespace: 'syncline' }, () => ({
              contents: 'export const defineApp = (config) => config;',
              loader: 'js',
            }));
          },
        },
      ],
    });
    code = result.outputFiles[0].text;
  } catch (error) {
    const messages = (error as { errors?: { text: string; location?: { line: number; column: number } }[] }).errors;
    const first = messages?.[0];
    const where = first?.location ? `${first.location.line}:${first.location.column}: ` : '';
    throw new AppConfigError(file, null, `${where}${first?.text ?? (error as Error).message}`);
  }
  const folder = join(tmpdir(), 'syncline-config');
  mkdirSync(folder, { recursive: true });
  const out = join(folder, `${randomBytes(6).toString('hex')}.mjs`);
  writeFileSync(out, code);
  try {
    const mod = await import(pathToFileURL(out).href);
    return mod.default ?? mod.app;
  } catch (error) {
    throw new AppConfigError(file, null, `failed to evaluate: ${(error as Error).message}`);
  } finally {
    rmSync(out, { force: true });
  }
}

export function zodError(file: string, error: z.ZodError): AppConfigError {
  const issue = error.issues[0];
  const path = issue.path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : isIdentifier(String(p))
          ? i
            ? `.${String(p)}`
            : String(p)
          : `["${String(p)}"]`,
    )
    .join('');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const at = keys.map((k) => (path ? `${path}.${k}` : k));
    return new AppConfigError(
      file,
      at[0],
      `unknown key${keys.length > 1 ? `s ${at.join(', ')}` : ''} (check the spelling; unknown keys are not ignored)`,
    );
  }
  return new AppConfigError(file, path || null, issue.message);
}

const isIdentifier = (s: string) => /^[A-Za-z_$][\w$]*$/.test(s);
