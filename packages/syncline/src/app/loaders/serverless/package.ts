// The Framework's `package` settings (service-level and per function) as they decide what a function's
// deployment package holds. Syncline runs functions from the service folder, so what matters locally is what
// the package leaves out: `patterns` (and the deprecated `include`/`exclude`) become per-function patterns whose
// left-out files cannot be imported (functions/packagePatterns.ts). `artifact` zips are not run: the handler's
// source is. `individually` decides whether a function's own patterns count, as in the Framework.
import { resolve } from 'node:path';
import { excludedBy } from '../../../functions/packagePatterns.js';
import type { KeyPath } from '../yaml.js';
import type { Translation } from './index.js';

const KEYS = ['individually', 'patterns', 'include', 'exclude', 'artifact', 'excludeDevDependencies'];

interface PackageSettings {
  individually?: boolean;
  patterns: string[];
  artifact?: string;
}

function read(value: unknown, at: KeyPath, t: Translation): PackageSettings {
  if (value === undefined) return { patterns: [] };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) t.fail(at, 'is a map of package settings');
  const p = value as Record<string, unknown>;
  for (const k of Object.keys(p))
    if (!KEYS.includes(k)) t.fail([...at, k], 'not a Serverless Framework package setting');
  const list = (k: string) => {
    const v = p[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) t.fail([...at, k], 'is a list of globs');
    return v as string[];
  };
  // v1's include/exclude are the same rules as patterns: exclusions first, then what is put back.
  const patterns = [...list('exclude').map((g) => `!${g}`), ...list('include'), ...list('patterns')];
  if (p.excludeDevDependencies !== undefined) t.ignored.push(`${at.join('.')}.excludeDevDependencies`);
  return {
    individually: p.individually === undefined ? undefined : p.individually === true,
    patterns,
    artifact: p.artifact === undefined ? undefined : String(p.artifact),
  };
}

/**
 * Each function's package patterns (only for functions whose package leaves something out), after checking that
 * its handler file is in its package.
 */
export function functionPackages(
  root: Record<string, unknown>,
  handlers: Record<string, string>,
  t: Translation,
): { patterns: Record<string, string[]>; notice?: string } {
  const service = read(root.package, ['package'], t);
  if (service.artifact !== undefined) t.ignored.push('package.artifact (functions run from their handler source)');
  const patterns: Record<string, string[]> = {};
  for (const [name, handlerFile] of Object.entries(handlers)) {
    const at: KeyPath = ['functions', name, 'package'];
    const fn = read(((root.functions ?? {}) as Record<string, Record<string, unknown>>)[name]?.package, at, t);
    if (fn.artifact !== undefined) t.ignored.push(`functions.${name}.package.artifact (run from the handler source)`);
    const individually = fn.individually ?? service.individually ?? false;
    const list = [...service.patterns, ...(individually ? fn.patterns : [])];
    if (!list.length) continue;
    if (excludedBy(t.dir, list)(resolve(handlerFile))) {
      t.fail(
        fn.patterns.length && individually ? [...at, 'patterns'] : ['package', 'patterns'],
        `leave functions.${name}'s handler out of its package, so it cannot run on Lambda either`,
      );
    }
    patterns[name] = list;
  }
  return {
    patterns,
    notice: Object.keys(patterns).length
      ? `package.patterns are read: an import of a file they leave out of a function's package is refused, as it fails on Lambda (${Object.keys(patterns).join(', ')})`
      : undefined,
  };
}
