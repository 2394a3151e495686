// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and the Framework's reference syntax, not a template.
// Serverless Framework `serverless.yml` (v3, v4) with the AppSync block of serverless-appsync-plugin v2 (or v4's
// built-in `appSync:`): variables resolved, CloudFormation intrinsics evaluated to local values, then translated
// into the syncline.config shape so the same checks and the same model come out. What only AWS provides is
// accepted and listed in one notice; what Syncline does not run yet is refused with the key, file and line.
import { readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { apiIdFor, DEFAULT_ACCOUNT_ID } from '../../../auth/authenticate.js';
import { type AppConfig, appConfigSchema } from '../../config.js';
import { AppConfigError } from '../../errors.js';
import type { AppModel } from '../../model.js';
import { resolveModel } from '../../resolveConfig.js';
import { IntrinsicError, type IntrinsicScope } from '../intrinsics.js';
import { evaluateConfig, zodError } from '../synclineConfig.js';
import type { AppLoader, LoadOptions } from '../types.js';
import { type KeyPath, parseYamlDefinition, type SourceDocument } from '../yaml.js';
import { translateAppSync } from './appsync.js';
import { eventBusesOf, translateFunctions } from './functions.js';
import { functionPackages } from './package.js';
import { translateTables } from './tables.js';
import { resolveVariables, VariableError } from './variables.js';

export const SERVERLESS_FILES = ['serverless.yml', 'serverless.yaml', 'serverless.json', 'serverless.ts'];

export const serverlessLoader: AppLoader = {
  format: 'serverless',
  files: SERVERLESS_FILES,
  recognises: (file, text) =>
    /\.(ya?ml|json)$/.test(file) && /^\s*"?service"?\s*:/m.test(text) && /^\s*"?provider"?\s*:/m.test(text),
  load: loadServerless,
};

/** What the translation steps share: where errors point, what is ignored, how intrinsics resolve. */
export interface Translation {
  file: string;
  dir: string;
  doc: SourceDocument;
  service: string;
  stage: string;
  region: string;
  apiName: string;
  /** Keys read but only meaningful on AWS, listed once when the app starts. */
  ignored: string[];
  /** syncline.config key prefix → where it was written, so errors from the shared checks point at the file. */
  origins: [string, KeyPath][];
  scope: IntrinsicScope;
  fail(path: KeyPath, detail: string): never;
}

async function loadServerless(file: string, options: LoadOptions): Promise<AppModel> {
  const dir = dirname(file);
  const doc = await readDefinition(file);
  const raw = doc.value;
  const fail = (path: KeyPath, detail: string): never => {
    throw new AppConfigError(file, keyPath(path), detail, doc.lineOf(path));
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail([], 'expected a mapping of keys');
  const root = raw as Record<string, unknown>;
  const custom = root.custom as Record<string, unknown> | undefined;
  if (custom && typeof custom === 'object' && 'appSync' in custom && !('appSync' in root)) {
    fail(
      ['custom', 'appSync'],
      'this is serverless-appsync-plugin v1 configuration; Syncline reads the v2 block: move it to a top-level `appSync:` key (v2 renamed authenticationType to authentication.type, mappingTemplates to resolvers, functionConfigurations to pipelineFunctions; see the plugin’s v1→v2 migration guide)',
    );
  }

  const service = typeof root.service === 'string' ? root.service : String((root.service as { name?: unknown })?.name);
  const rawApiName = (root.appSync as { name?: unknown } | undefined)?.name;
  const apiName = safeName(
    typeof rawApiName === 'string' && !rawApiName.includes('${') ? rawApiName : service,
    service,
  );
  const region = (): string => options.region ?? 'us-east-1';
  let resolved: Record<string, unknown>;
  try {
    resolved = resolveVariables(root, {
      dir,
      options: { stage: options.stage, region: options.region, params: options.params ?? {} },
      env: options.env ?? process.env,
      accountId: DEFAULT_ACCOUNT_ID,
      appsync: (address) => {
        if (address === 'url') return '${graphql.url}';
        if (address === 'id') return apiIdFor(apiName);
        if (address === 'arn') return `arn:aws:appsync:${region()}:${DEFAULT_ACCOUNT_ID}:apis/${apiIdFor(apiName)}`;
        // Functions receive the first key's value (`${graphql.apiKey}`); other keys have no local reference yet.
        if (address.startsWith('apiKey.')) {
          const first = ((root.appSync as { apiKeys?: unknown[] } | undefined)?.apiKeys ?? [])[0];
          const firstName = typeof first === 'string' ? first : (first as { name?: unknown } | undefined)?.name;
          if (address.slice('apiKey.'.length) === firstName) return '${graphql.apiKey}';
          throw new VariableError(
            [],
            `\${appsync:${address}}: locally only the first API key (${String(firstName)}) can be given to a function`,
          );
        }
        return undefined;
      },
    });
  } catch (error) {
    if (error instanceof VariableError) fail(error.path, error.message);
    throw error;
  }
  const provider = (resolved.provider ?? {}) as Record<string, unknown>;
  if (provider.name !== undefined && provider.name !== 'aws') {
    fail(['provider', 'name'], `provider ${String(provider.name)}: Syncline runs AWS apps (provider.name: aws)`);
  }
  const stage = options.stage ?? (typeof provider.stage === 'string' ? provider.stage : 'dev');
  const appRegion = options.region ?? (typeof provider.region === 'string' ? provider.region : 'us-east-1');

  const t: Translation = {
    file,
    dir,
    doc,
    service,
    stage,
    region: appRegion,
    apiName: safeName((resolved.appSync as { name?: string } | undefined)?.name ?? service, service),
    ignored: [],
    origins: [],
    // Filled in by translateTables, which knows the resources.
    scope: undefined as unknown as IntrinsicScope,
    fail,
  };
  const config: AppConfig = { name: safeName(t.apiName, service), region: appRegion };
  try {
    config.tables = translateTables(resolved, t, options.params ?? {});
    const { functions, cors } = translateFunctions(resolved, t);
    config.functions = functions;
    const buses = eventBusesOf(functions);
    if (buses.length) config.eventBuses = buses;
    if (cors) config.http = { cors };
    if (resolved.appSync !== undefined) config.graphql = translateAppSync(resolved, t);
    // `custom` is free-form in the Framework; `custom.syncline.web` is where a service asks Syncline to serve
    // its browser app (what S3 + CloudFront do on AWS).
    const web = (resolved.custom as { syncline?: { web?: { dir?: unknown; build?: unknown } } } | undefined)?.syncline
      ?.web;
    if (web) {
      config.web = { dir: String(web.dir), build: web.build === undefined ? undefined : String(web.build) };
      t.origins.push(['web', ['custom', 'syncline', 'web']]);
    }
  } catch (error) {
    if (error instanceof IntrinsicError) fail(error.path, error.message);
    throw error;
  }

  // The same checks as a syncline.config (ranges, formats, defaults), reported at the serverless.yml key.
  const parsed = appConfigSchema.safeParse(config);
  if (!parsed.success) throw relocate(zodError(file, parsed.error), t);
  let model: AppModel;
  try {
    model = resolveModel(parsed.data, dir, file, options);
  } catch (error) {
    if (error instanceof AppConfigError && error.file === file && error.key) throw relocate(error, t);
    throw error;
  }
  const packages = functionPackages(
    resolved,
    Object.fromEntries(Object.entries(model.functions).map(([name, f]) => [name, f.handler.file])),
    t,
  );
  for (const [name, patterns] of Object.entries(packages.patterns)) {
    model.functions[name].packagePatterns = { root: dir, patterns };
  }
  model.format = 'serverless';
  model.notices = t.ignored.length
    ? [`${file}: accepted but not run locally (AWS only): ${[...new Set(t.ignored)].join(', ')}`]
    : [];
  if (packages.notice) model.notices.push(`${file}: ${packages.notice}`);
  return model;
}

async function readDefinition(file: string): Promise<SourceDocument> {
  if (['.ts', '.js', '.mjs', '.cjs'].includes(extname(file))) {
    const value = await evaluateConfig(file);
    return { file, value, lineOf: () => undefined };
  }
  return parseYamlDefinition(file, readFileSync(file, 'utf8'));
}

/** An error from the shared checks, keyed in syncline.config terms, pointed back at the serverless.yml key. */
function relocate(error: AppConfigError, t: Translation): AppConfigError {
  const key = error.key ?? '';
  let best: [string, KeyPath] | undefined;
  for (const origin of t.origins) {
    const [prefix] = origin;
    const matches = key === prefix || key.startsWith(`${prefix}.`) || key.startsWith(`${prefix}[`);
    if (matches && (!best || prefix.length > best[0].length)) best = origin;
  }
  if (!best) return new AppConfigError(t.file, key, error.detail);
  const rest = key.slice(best[0].length);
  const extra = rest
    .split(/\.|\[|\]/)
    .filter(Boolean)
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k.replace(/^"|"$/g, '')));
  const path = [...best[1], ...extra];
  const line = t.doc.lineOf(path);
  return new AppConfigError(t.file, keyPath(best[1]) + rest, error.detail, line);
}

/** `functions.createOrder.events[0]`, `appSync.resolvers["Query.getOrder"]`. */
export function keyPath(path: KeyPath): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$-]*$/.test(k) ? (i ? `.${k}` : k) : `["${k}"]`))
    .join('');
}

/** The app's name as Syncline uses it (the API id derives from it): the API name when it is a plain one. */
function safeName(apiName: string, service: string): string {
  const ok = (s: string) => /^[A-Za-z0-9_-]{1,64}$/.test(s);
  if (ok(apiName)) return apiName;
  if (ok(service)) return service;
  return apiName.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'app';
}
