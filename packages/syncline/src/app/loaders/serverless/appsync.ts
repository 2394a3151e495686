// The `appSync:` block of serverless-appsync-plugin v2 (and Serverless Framework v4's built-in AppSync), read
// into syncline.config's `graphql`. Inline data sources and pipeline functions get names as the plugin names
// them; VTL templates are refused (another runtime); AWS-only settings are listed as ignored.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ParsedAppConfig } from '../../config.js';
import { RDS_AWS_KEYS } from '../../rdsConfig.js';
import { BEDROCK_REFUSAL } from '../../resolveConfig.js';
import { evaluate, IntrinsicError } from '../intrinsics.js';
import type { KeyPath } from '../yaml.js';
import { keyPath, type Translation } from './index.js';
import { functionLogicalId } from './tables.js';

type Graphql = NonNullable<ParsedAppConfig['graphql']>;
type DataSource = NonNullable<Graphql['dataSources']>[string];
type Resolver = NonNullable<Graphql['resolvers']>[string];
type PipelineFunction = NonNullable<Graphql['pipelineFunctions']>[string];

const AWS_ONLY = new Set([
  'logging',
  'xrayEnabled',
  'waf',
  'domain',
  'visibility',
  'tags',
  'enhancedMetrics',
  'esbuild',
  'apiId',
]);
const READ = new Set([
  'name',
  'schema',
  'authentication',
  'additionalAuthentications',
  'apiKeys',
  'dataSources',
  'resolvers',
  'pipelineFunctions',
  'substitutions',
  'environment',
  'introspection',
  'queryDepthLimit',
  'resolverCountLimit',
  'caching',
]);

export function translateAppSync(root: Record<string, unknown>, t: Translation): Graphql {
  const a = root.appSync as Record<string, unknown>;
  const at: KeyPath = ['appSync'];
  if (typeof a !== 'object' || a === null) t.fail(at, 'expected the AppSync API definition');
  for (const key of Object.keys(a)) {
    if (AWS_ONLY.has(key)) t.ignored.push(`appSync.${key}`);
    else if (!READ.has(key)) t.fail([...at, key], 'not a serverless-appsync-plugin v2 setting');
  }
  if (a.authentication === undefined)
    t.fail([...at, 'authentication'], 'is required ({ type: API_KEY | AWS_IAM | … })');
  t.origins.push(['graphql', at]);
  t.origins.push(['graphql.schema', [...at, 'schema']]);

  const functionNames = Object.keys((root.functions ?? {}) as object);
  const functionRef = (v: unknown, path: KeyPath): string => {
    const s = String(evaluate(v, t.scope, path));
    const name = functionNames.find((n) => n === s || s.endsWith(`:function:${n}`) || functionLogicalId(n) === s);
    if (!name) t.fail(path, `${s}: no function of that name under functions`);
    return name as string;
  };

  const graphql: Graphql = {
    schema: schemaFiles(a.schema, t),
    authentication: auth(a.authentication, [...at, 'authentication'], t, functionRef),
    additionalAuthentications: ((a.additionalAuthentications ?? []) as unknown[]).map((p, i) => {
      t.origins.push([`graphql.additionalAuthentications[${i}]`, [...at, 'additionalAuthentications', i]]);
      return auth(p, [...at, 'additionalAuthentications', i], t, functionRef);
    }),
  };
  t.origins.push(['graphql.authentication', [...at, 'authentication']]);
  // The plugin's API-level limits are AppSync's own, which Syncline enforces (docs/graphql.md, "Limits").
  for (const key of ['introspection', 'queryDepthLimit', 'resolverCountLimit'] as const) {
    if (a[key] === undefined) continue;
    (graphql as Record<string, unknown>)[key] = evaluate(a[key], t.scope, [...at, key]);
    t.origins.push([`graphql.${key}`, [...at, key]]);
  }

  if (a.caching !== undefined) graphql.caching = apiCaching(a.caching, [...at, 'caching'], t);

  if (a.apiKeys !== undefined) {
    graphql.apiKeys = (a.apiKeys as unknown[]).map((k, i) => {
      const path: KeyPath = [...at, 'apiKeys', i];
      t.origins.push([`graphql.apiKeys[${i}]`, path]);
      if (typeof k === 'string') return { name: k };
      const key = k as Record<string, unknown>;
      for (const p of Object.keys(key)) {
        if (p === 'wafRules') t.ignored.push(`${keyPath(path)}.wafRules`);
        else if (!['name', 'description', 'expiresAfter', 'expiresAt'].includes(p))
          t.fail([...path, p], 'not an API key setting');
      }
      return {
        name: String(key.name),
        description: key.description === undefined ? undefined : String(key.description),
        expiresAfter:
          key.expiresAfter === undefined ? undefined : duration(String(key.expiresAfter), [...path, 'expiresAfter'], t),
        expiresAt: key.expiresAt === undefined ? undefined : String(key.expiresAt),
      };
    });
  }

  const dataSources: Record<string, DataSource> = {};
  const addDataSource = (name: string, ds: unknown, path: KeyPath) => {
    if (dataSources[name]) t.fail(path, `a data source named ${name} is already defined`);
    dataSources[name] = dataSource(ds, path, t, functionRef);
    t.origins.push([`graphql.dataSources.${name}`, path]);
  };
  for (const [name, ds, path] of entries(a.dataSources, [...at, 'dataSources'], t)) addDataSource(name, ds, path);
  const dataSourceRef = (v: unknown, path: KeyPath, inlineName: string): string => {
    if (typeof v === 'string') return v;
    addDataSource(inlineName, v, path);
    return inlineName;
  };

  const substitutions = strings(a.substitutions, [...at, 'substitutions'], t);
  const pipelineFunctions: Record<string, PipelineFunction> = {};
  const addFunction = (name: string, f: unknown, path: KeyPath) => {
    if (pipelineFunctions[name]) t.fail(path, `a pipeline function named ${name} is already defined`);
    const spec = (typeof f === 'string' ? { dataSource: f } : f) as Record<string, unknown>;
    for (const k of Object.keys(spec)) {
      if (k === 'sync') t.ignored.push(`${keyPath(path)}.${k}`);
      else if (
        !['dataSource', 'description', 'code', 'request', 'response', 'substitutions', 'name', 'maxBatchSize'].includes(
          k,
        )
      ) {
        t.fail([...path, k], 'not a pipeline function setting');
      }
    }
    // Without code or templates it is a direct Lambda function: resolveConfig checks its data source is a Lambda.
    checkSubstitutions(spec, path, t, substitutions);
    pipelineFunctions[name] = {
      dataSource: dataSourceRef(spec.dataSource, [...path, 'dataSource'], name),
      code: spec.code === undefined ? undefined : String(spec.code),
      request: template(spec.request),
      response: template(spec.response),
      description: spec.description === undefined ? undefined : String(spec.description),
      ...(spec.maxBatchSize !== undefined && { maxBatchSize: spec.maxBatchSize as number }),
    };
    t.origins.push([`graphql.pipelineFunctions.${name}`, path]);
  };
  for (const [name, f, path] of entries(a.pipelineFunctions, [...at, 'pipelineFunctions'], t))
    addFunction(name, f, path);

  const resolvers: Record<string, Resolver> = {};
  for (const [key, r, path] of entries(a.resolvers, [...at, 'resolvers'], t)) {
    const spec = (typeof r === 'string' ? { dataSource: r, kind: 'UNIT' } : r) as Record<string, unknown>;
    for (const k of Object.keys(spec)) {
      if (['sync', 'metricsConfig'].includes(k)) t.ignored.push(`${keyPath(path)}.${k}`);
      else if (
        ![
          'type',
          'field',
          'kind',
          'dataSource',
          'functions',
          'code',
          'request',
          'response',
          'substitutions',
          'maxBatchSize',
          'caching',
        ].includes(k)
      ) {
        t.fail([...path, k], 'not a resolver setting');
      }
    }
    const dot = key.indexOf('.');
    const typeName = String(spec.type ?? (dot > 0 ? key.slice(0, dot) : ''));
    const fieldName = String(spec.field ?? (dot > 0 ? key.slice(dot + 1) : ''));
    if (!typeName || !fieldName) t.fail(path, 'a resolver is keyed "Type.field" or has type and field');
    const field = `${typeName}.${fieldName}`;
    if (resolvers[field]) t.fail(path, `${field} already has a resolver`);
    checkSubstitutions(spec, path, t, substitutions);
    // The plugin's default kind is PIPELINE; a resolver naming only a data source is the common UNIT shorthand.
    const kind =
      (spec.kind as string | undefined) ??
      (spec.dataSource !== undefined && spec.functions === undefined ? 'UNIT' : 'PIPELINE');
    if (kind !== 'UNIT' && kind !== 'PIPELINE') t.fail([...path, 'kind'], 'is UNIT or PIPELINE');
    const base = `${typeName}_${fieldName}`;
    t.origins.push([`graphql.resolvers["${field}"]`, path]);
    if (kind === 'UNIT') {
      resolvers[field] = {
        kind,
        dataSource:
          spec.dataSource === undefined ? undefined : dataSourceRef(spec.dataSource, [...path, 'dataSource'], base),
        code: spec.code === undefined ? undefined : String(spec.code),
        request: template(spec.request),
        response: template(spec.response),
        ...(spec.maxBatchSize !== undefined && { maxBatchSize: spec.maxBatchSize as number }),
        ...(spec.caching !== undefined && { caching: spec.caching as Resolver['caching'] }),
      };
    } else {
      const fns = (spec.functions ?? []) as unknown[];
      resolvers[field] = {
        kind,
        code: spec.code === undefined ? undefined : String(spec.code),
        request: template(spec.request),
        response: template(spec.response),
        dataSource: spec.dataSource === undefined ? undefined : String(spec.dataSource),
        ...(spec.caching !== undefined && { caching: spec.caching as Resolver['caching'] }),
        functions: fns.map((f, i) => {
          if (typeof f === 'string') return f;
          const name = `${base}_${i}`;
          addFunction(name, f, [...path, 'functions', i]);
          return name;
        }),
      };
    }
  }

  graphql.dataSources = dataSources;
  graphql.pipelineFunctions = pipelineFunctions;
  graphql.resolvers = resolvers;
  if (a.environment !== undefined) {
    graphql.environment = strings(a.environment, [...at, 'environment'], t);
    for (const [k, v] of Object.entries(graphql.environment)) {
      if (v.includes('${'))
        t.fail([...at, 'environment', k], `${v}: a runtime URL or ARN cannot be given to ctx.env locally`);
    }
    t.origins.push(['graphql.environment', [...at, 'environment']]);
  }
  return graphql;
}

/**
 * The plugin's `caching`: behavior and ttl are run (in memory on each node); the cache instance's type and
 * encryption exist only on AWS. `enabled: false` turns it off, as the plugin does.
 */
function apiCaching(value: unknown, path: KeyPath, t: Translation): Graphql['caching'] {
  if (typeof value !== 'object' || value === null) return t.fail(path, 'expected { behavior, ttl?, type? }');
  const c = value as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    if (['type', 'atRestEncryption', 'transitEncryption'].includes(k)) t.ignored.push(`${keyPath(path)}.${k}`);
    else if (!['behavior', 'ttl', 'enabled'].includes(k)) t.fail([...path, k], 'not a caching setting');
  }
  if (c.enabled === false) return undefined;
  t.origins.push(['graphql.caching', path]);
  return {
    behavior: evaluate(c.behavior, t.scope, [...path, 'behavior']) as 'FULL_REQUEST_CACHING',
    ...(c.ttl !== undefined && { ttl: Number(evaluate(c.ttl, t.scope, [...path, 'ttl'])) }),
  };
}

/** A map of name → definition, or (the plugin allows it for `${file()}` includes) a list of such maps. */
function entries(value: unknown, path: KeyPath, t: Translation): [string, unknown, KeyPath][] {
  if (value === undefined) return [];
  const maps = Array.isArray(value) ? value : [value];
  return maps.flatMap((m, i) => {
    if (typeof m !== 'object' || m === null)
      t.fail(Array.isArray(value) ? [...path, i] : path, 'expected a mapping of name → definition');
    return Object.entries(m as object).map(([k, v]): [string, unknown, KeyPath] => [
      k,
      v,
      Array.isArray(value) ? [...path, i, k] : [...path, k],
    ]);
  });
}

function strings(value: unknown, path: KeyPath, t: Translation): Record<string, string> {
  if (value === undefined) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as object)) {
    const r = evaluate(v, t.scope, [...path, k]);
    if (typeof r === 'object' && r !== null) t.fail([...path, k], 'expected a string');
    out[k] = String(r);
  }
  return out;
}

/** The plugin's `request`/`response`: a VTL mapping template file, or `false` for none. */
function template(value: unknown): string | undefined {
  return value === undefined || value === false ? undefined : String(value);
}

/** `#name#` substitutions rewrite resolver code text at build time; Syncline does not rewrite code yet. */
function checkSubstitutions(
  spec: Record<string, unknown>,
  path: KeyPath,
  t: Translation,
  global: Record<string, string>,
) {
  const own = spec.substitutions as Record<string, unknown> | undefined;
  if ((own && Object.keys(own).length) || (Object.keys(global).length && spec.code !== undefined)) {
    t.fail(
      own ? [...path, 'substitutions'] : ['appSync', 'substitutions'],
      'substitutions (deprecated by the plugin) are not applied by Syncline; pass the values with appSync.environment and read them from ctx.env',
    );
  }
}

function auth(
  value: unknown,
  path: KeyPath,
  t: Translation,
  functionRef: (v: unknown, path: KeyPath) => string,
): Graphql['authentication'] {
  const p = value as { type?: unknown; config?: Record<string, unknown> };
  const type = String(p?.type);
  if (!['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA'].includes(type)) {
    t.fail([...path, 'type'], 'is API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT or AWS_LAMBDA');
  }
  if (p.config === undefined) return { type: type as Graphql['authentication']['type'] };
  const config = evaluate(p.config, t.scope, [...path, 'config']) as Record<string, unknown>;
  if (type === 'AWS_LAMBDA') {
    const { functionName, functionArn, function: inline, functionAlias, ...rest } = config;
    if (inline !== undefined)
      t.fail(
        [...path, 'config', 'function'],
        'an inline authorizer function is not run by Syncline yet; declare it under functions and use functionName',
      );
    if (functionAlias !== undefined) t.ignored.push(`${keyPath(path)}.config.functionAlias`);
    const at = functionName !== undefined ? 'functionName' : 'functionArn';
    return {
      type: 'AWS_LAMBDA',
      config: { ...rest, functionName: functionRef(functionName ?? functionArn, [...path, 'config', at]) },
    };
  }
  return { type: type as Graphql['authentication']['type'], config };
}

function dataSource(
  value: unknown,
  path: KeyPath,
  t: Translation,
  functionRef: (v: unknown, path: KeyPath) => string,
): DataSource {
  const ds = value as { type?: unknown; description?: unknown; config?: Record<string, unknown> };
  for (const k of Object.keys(ds ?? {})) {
    if (!['type', 'description', 'config', 'name'].includes(k)) t.fail([...path, k], 'not a data source setting');
  }
  const type = String(ds?.type);
  const config = (ds.config ?? {}) as Record<string, unknown>;
  const cpath: KeyPath = [...path, 'config'];
  const ignore = (keys: string[]) => {
    for (const k of keys) if (config[k] !== undefined) t.ignored.push(`${keyPath(cpath)}.${k}`);
  };
  const allow = (keys: string[]) => {
    for (const k of Object.keys(config))
      if (!keys.includes(k)) t.fail([...cpath, k], `not a ${type} data source setting`);
  };
  switch (type) {
    case 'NONE':
      return { type: 'NONE', description: ds.description === undefined ? undefined : String(ds.description) };
    case 'AMAZON_DYNAMODB': {
      const aws = ['region', 'serviceRoleArn', 'iamRoleStatements', 'useCallerCredentials'];
      allow(['tableName', 'versioned', 'deltaSyncConfig', ...aws]);
      ignore(aws);
      if (config.versioned)
        t.fail([...cpath, 'versioned'], 'versioned (conflict detection) data sources are not run by Syncline yet');
      if (config.tableName === undefined) t.fail([...cpath, 'tableName'], 'is required');
      const tableName = String(evaluate(config.tableName, t.scope, [...cpath, 'tableName']));
      return { type: 'AMAZON_DYNAMODB', config: { tableName } };
    }
    case 'AWS_LAMBDA': {
      const aws = ['serviceRoleArn', 'iamRoleStatements', 'functionAlias'];
      allow(['functionName', 'functionArn', 'function', ...aws]);
      ignore(aws);
      if (config.function !== undefined)
        t.fail(
          [...cpath, 'function'],
          'an inline function is not run by Syncline yet; declare it under functions and use functionName',
        );
      const key = config.functionName !== undefined ? 'functionName' : 'functionArn';
      if (config[key] === undefined) t.fail(cpath, 'needs functionName (a function under functions) or functionArn');
      return { type: 'AWS_LAMBDA', config: { functionName: functionRef(config[key], [...cpath, key]) } };
    }
    case 'RELATIONAL_DATABASE': {
      // The cluster and secret name AWS resources; the database on this machine comes from SYNCLINE_RDS_<NAME>_URL.
      const aws = ['serviceRoleArn', 'iamRoleStatements', 'relationalDatabaseSourceType'];
      allow([...RDS_AWS_KEYS, ...aws]);
      ignore(aws);
      const out: Record<string, unknown> = {};
      for (const k of RDS_AWS_KEYS) {
        if (config[k] === undefined) continue;
        // `!Ref AuroraCluster` names an AWS resource Syncline does not run: kept out, never a load failure.
        let v: unknown;
        try {
          v = evaluate(config[k], t.scope, [...cpath, k]);
        } catch (error) {
          if (!(error instanceof IntrinsicError)) throw error;
        }
        if (typeof v === 'string') out[k] = v;
        else t.ignored.push(`${keyPath(cpath)}.${k}`);
      }
      return { type: 'RELATIONAL_DATABASE', config: out };
    }
    case 'AMAZON_OPENSEARCH_SERVICE':
    case 'AMAZON_ELASTICSEARCH': {
      // Proxied to the OpenSearch the user runs (`endpoint`); a `domain` reference names an AWS domain only.
      const aws = ['serviceRoleArn', 'iamRoleStatements', 'region', 'domain'];
      allow(['endpoint', ...aws]);
      if (config.endpoint === undefined) {
        t.fail(
          [...cpath, 'endpoint'],
          `is required locally: Syncline has no search engine of its own for ${type}; set endpoint to an OpenSearch you run, e.g. http://127.0.0.1:9200`,
        );
      }
      ignore(aws);
      return { type, config: { endpoint: String(evaluate(config.endpoint, t.scope, [...cpath, 'endpoint'])) } };
    }
    case 'HTTP': {
      const aws = ['serviceRoleArn', 'iamRoleStatements'];
      allow(['endpoint', 'authorizationConfig', ...aws]);
      ignore(aws);
      const endpoint = evaluate(config.endpoint, t.scope, [...cpath, 'endpoint']);
      const auth = config.authorizationConfig;
      return {
        type: 'HTTP',
        config: {
          endpoint,
          ...(auth === undefined
            ? {}
            : { authorizationConfig: evaluate(auth, t.scope, [...cpath, 'authorizationConfig']) }),
        },
      };
    }
    case 'AMAZON_EVENTBRIDGE': {
      const aws = ['serviceRoleArn', 'iamRoleStatements'];
      allow(['eventBusArn', ...aws]);
      ignore(aws);
      return {
        type: 'AMAZON_EVENTBRIDGE',
        config: { eventBusArn: evaluate(config.eventBusArn, t.scope, [...cpath, 'eventBusArn']) },
      };
    }
    case 'AMAZON_BEDROCK_RUNTIME':
      return t.fail([...path, 'type'], BEDROCK_REFUSAL);
    default:
      return t.fail([...path, 'type'], 'is a data source type such as NONE, AMAZON_DYNAMODB or AWS_LAMBDA');
  }
}

/** The plugin's durations (`30d`, `24h`, `1M`, `1y`) as syncline.config's (`h`, `d`, `y`). */
function duration(value: string, path: KeyPath, t: Translation): string {
  const m = /^(\d+)\s*([hdMy])$/.exec(value.trim());
  if (!m) return t.fail(path, "is a duration such as '30d', '24h', '1M' or '1y'");
  return m[2] === 'M' ? `${Number(m[1]) * 30}d` : `${m[1]}${m[2]}`;
}

/** `schema`: a file, a list of files, or globs; default schema.graphql. */
function schemaFiles(value: unknown, t: Translation): string[] {
  const list = value === undefined ? ['schema.graphql'] : Array.isArray(value) ? value.map(String) : [String(value)];
  const out: string[] = [];
  list.forEach((pattern, i) => {
    if (!/[*?]/.test(pattern)) {
      out.push(pattern);
      return;
    }
    const matches = glob(t.dir, pattern);
    if (!matches.length)
      t.fail(Array.isArray(value) ? ['appSync', 'schema', i] : ['appSync', 'schema'], `no file matches ${pattern}`);
    out.push(...matches);
  });
  return out;
}

function glob(dir: string, pattern: string): string[] {
  const source = pattern.replace(/^\.\//, '');
  const regex = new RegExp(
    `^${source
      .split('/')
      .map((part) =>
        part === '**'
          ? '(?:.*/)?'
          : `${part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '[^/]*')
              .replace(/\?/g, '[^/]')}/`,
      )
      .join('')
      .replace(/\/$/, '')
      .replace(/\(\?:\.\*\/\)\?\//g, '(?:.*/)?')}$`,
  );
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = relative(dir, full).split(sep).join('/');
        if (regex.test(rel)) files.push(rel);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return files.sort();
}
