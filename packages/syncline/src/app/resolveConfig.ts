// Resolves a validated `syncline.config` shape into the AppModel: files found, names checked, defaults applied.
// The other formats' loaders translate into the same shape and come through here, so every format gets the
// same checks and the same defaults for what it does not say.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { parseAuthConfig } from '../auth/config.js';
import { CACHE_TTL, parseCachingKey } from '../graphql/apiCache.js';
import { parseScheduleExpression, ScheduleExpressionError } from '../triggers/scheduleExpression.js';
import type { ParsedAppConfig } from './config.js';
import { checkEventBridgeDataSource, checkHttpDataSource } from './dataSourceConfig.js';
import { AppConfigError } from './errors.js';
import { eventBridgeRule, resolveEventBuses } from './eventBusConfig.js';
import type { LoadOptions } from './loaders/types.js';
import type {
  ApiKeyModel,
  AppModel,
  AuthProviderModel,
  AuthType,
  CorsModel,
  DataSourceModel,
  FunctionEventModel,
  FunctionModel,
  GraphqlModel,
  ResolverCachingModel,
  ResolverModel,
  TableModel,
  WebModel,
} from './model.js';
import { checkRdsConfig } from './rdsConfig.js';
import { fileSecretStore, memorySecretStore, type SecretStore } from './secrets.js';

export function resolveModel(config: ParsedAppConfig, dir: string, file: string, options: LoadOptions): AppModel {
  const tables = resolveTables(config);
  const functions = resolveFunctions(config, dir, file, tables);
  const model: AppModel = {
    name: config.name,
    dir,
    configFile: file,
    region: config.region ?? 'us-east-1',
    tables,
    functions,
    httpCors: resolveCors(config.http?.cors),
  };
  if (config.eventBuses?.length) model.eventBuses = resolveEventBuses(config, file);
  if (config.web) model.web = resolveWeb(config.web, dir, file);
  if (config.graphql)
    model.graphql = resolveGraphql(
      config.graphql,
      dir,
      file,
      options,
      tables,
      Object.keys(functions),
      config.eventBuses,
    );
  return model;
}

function resolveTables(config: ParsedAppConfig): Record<string, TableModel> {
  const tables: Record<string, TableModel> = {};
  const key = (k: string | { name: string; type: 'S' | 'N' | 'B' }) =>
    typeof k === 'string' ? { name: k, type: 'S' as const } : k;
  for (const [id, t] of Object.entries(config.tables ?? {})) {
    const index = (i: NonNullable<typeof t.globalIndexes>[string]) => ({
      partitionKey: key(i.partitionKey),
      sortKey: i.sortKey ? key(i.sortKey) : undefined,
      projection: i.projection,
    });
    tables[id] = {
      name: t.name ?? id,
      partitionKey: key(t.partitionKey),
      sortKey: t.sortKey ? key(t.sortKey) : undefined,
      globalIndexes: Object.fromEntries(Object.entries(t.globalIndexes ?? {}).map(([n, i]) => [n, index(i)])),
      localIndexes: Object.fromEntries(Object.entries(t.localIndexes ?? {}).map(([n, i]) => [n, index(i)])),
      ttl: t.ttl,
      stream: t.stream,
    };
  }
  return tables;
}

type GraphqlConfig = NonNullable<ParsedAppConfig['graphql']>;

function resolveGraphql(
  g: GraphqlConfig,
  dir: string,
  file: string,
  options: LoadOptions,
  tables: Record<string, TableModel>,
  functionNames: string[],
  eventBuses: string[] = [],
): GraphqlModel {
  const schemaFiles = (Array.isArray(g.schema) ? g.schema : [g.schema]).map((s, i) => {
    const path = resolve(dir, s);
    if (!existsSync(path)) {
      throw new AppConfigError(
        file,
        Array.isArray(g.schema) ? `graphql.schema[${i}]` : 'graphql.schema',
        `file not found: ${s}`,
      );
    }
    return path;
  });

  const auth = (p: { type: AuthType; config?: Record<string, unknown> }, key: string): AuthProviderModel => {
    const parsed = parseAuthConfig(p.type, p.config);
    if (!parsed.ok) {
      const issue = parsed.issues[0];
      throw new AppConfigError(file, issue.path ? `${key}.config.${issue.path}` : `${key}.config`, issue.message);
    }
    const config: Record<string, unknown> = { ...parsed.config };
    if (typeof config.jwksFile === 'string') {
      const jwksFile = resolve(dir, config.jwksFile);
      if (!existsSync(jwksFile)) throw new AppConfigError(file, `${key}.config.jwksFile`, 'file not found');
      config.jwksFile = jwksFile;
    }
    if (p.type === 'AWS_LAMBDA' && !functionNames.includes(String(config.functionName))) {
      throw new AppConfigError(
        file,
        `${key}.config.functionName`,
        `no function "${config.functionName}" under functions`,
      );
    }
    return { type: p.type, config };
  };
  const authentication = auth(g.authentication, 'graphql.authentication');
  const additionalAuthentications = (g.additionalAuthentications ?? []).map((p, i) =>
    auth(p, `graphql.additionalAuthentications[${i}]`),
  );
  const modes = [authentication, ...additionalAuthentications].map((p) => p.type);
  if (new Set(modes).size !== modes.length) {
    throw new AppConfigError(file, 'graphql.additionalAuthentications', 'each authentication type may appear once');
  }
  // AppSync refuses DENY for a default user pool once other providers exist: their requests would have no field to read.
  if (authentication.config?.defaultAction === 'DENY' && additionalAuthentications.length) {
    throw new AppConfigError(
      file,
      'graphql.authentication.config.defaultAction',
      'must be ALLOW when additionalAuthentications are configured',
    );
  }

  const apiKeys = modes.includes('API_KEY') ? resolveApiKeys(g.apiKeys ?? [], file, options) : [];

  const dataSources: GraphqlModel['dataSources'] = {};
  for (const [name, ds] of Object.entries(g.dataSources ?? {})) {
    const at = `graphql.dataSources.${name}`;
    if (ds.type === 'AMAZON_DYNAMODB') {
      const tableName = ds.config?.tableName;
      if (typeof tableName !== 'string') throw new AppConfigError(file, `${at}.config.tableName`, 'is required');
      const known = Object.values(tables).some((t) => t.name === tableName) || tableName in tables;
      if (!known) {
        throw new AppConfigError(file, `${at}.config.tableName`, `no table "${tableName}" is declared under tables`);
      }
    } else if (ds.type === 'AWS_LAMBDA') {
      const functionName = ds.config?.functionName;
      if (typeof functionName !== 'string') {
        throw new AppConfigError(
          file,
          `${at}.config.functionName`,
          'is required: the key of a function under functions',
        );
      }
      if (!functionNames.includes(functionName)) {
        throw new AppConfigError(file, `${at}.config.functionName`, `no function "${functionName}" under functions`);
      }
    } else if (ds.type === 'RELATIONAL_DATABASE') {
      checkRdsConfig(ds.config ?? {}, (key, problem) => {
        throw new AppConfigError(file, `${at}.config.${key}`, problem);
      });
    } else if (ds.type === 'AMAZON_OPENSEARCH_SERVICE' || ds.type === 'AMAZON_ELASTICSEARCH') {
      openSearchEndpoint(ds.type, ds.config?.endpoint, file, `${at}.config.endpoint`);
    } else if (ds.type === 'AMAZON_BEDROCK_RUNTIME') {
      throw new AppConfigError(file, `${at}.type`, BEDROCK_REFUSAL);
    } else if (ds.type === 'HTTP') {
      checkHttpDataSource(ds.config ?? {}, file, at);
    } else if (ds.type === 'AMAZON_EVENTBRIDGE') {
      checkEventBridgeDataSource(ds.config ?? {}, eventBuses, file, at);
    } else if (ds.type !== 'NONE') {
      throw new AppConfigError(
        file,
        `${at}.type`,
        `${ds.type} data sources are not supported yet by this version of Syncline`,
      );
    }
    dataSources[name] = { name, type: ds.type as DataSourceModel['type'], config: ds.config ?? {} };
  }

  const code = (path: string, key: string) => {
    const abs = isAbsolute(path) ? path : resolve(dir, path);
    if (!existsSync(abs)) throw new AppConfigError(file, key, `file not found: ${path}`);
    return { file: abs };
  };

  // VTL: the request/response template files, read here; a resolver or function is APPSYNC_JS or VTL, not both.
  const templates = (r: { code?: string; request?: string; response?: string }, at: string) => {
    if (r.request === undefined && r.response === undefined) return undefined;
    if (r.code !== undefined)
      throw new AppConfigError(
        file,
        `${at}.code`,
        'is APPSYNC_JS code; a resolver has code or request/response VTL templates, not both',
      );
    const read = (path: string | undefined, key: string) =>
      path === undefined ? undefined : readFileSync(code(path, key).file, 'utf8');
    return {
      source: (r.request ?? r.response) as string,
      request: read(r.request, `${at}.request`),
      response: read(r.response, `${at}.response`),
    };
  };

  const pipelineFunctions: GraphqlModel['pipelineFunctions'] = {};
  for (const [name, f] of Object.entries(g.pipelineFunctions ?? {})) {
    const at = `graphql.pipelineFunctions.${name}`;
    if (!dataSources[f.dataSource])
      throw new AppConfigError(file, `${at}.dataSource`, `unknown data source "${f.dataSource}"`);
    const vtl = templates(f, at);
    // No code and no templates: a direct Lambda function, sent the whole context as a direct Lambda resolver is.
    if (!vtl && f.code === undefined && dataSources[f.dataSource].type !== 'AWS_LAMBDA')
      throw new AppConfigError(
        file,
        at,
        `a pipeline function needs code (APPSYNC_JS) or request/response (VTL); only on an AWS_LAMBDA data source is a function without them run (a direct Lambda function), and ${f.dataSource} is ${dataSources[f.dataSource].type}`,
      );
    pipelineFunctions[name] = {
      name,
      dataSource: f.dataSource,
      code: f.code === undefined ? undefined : code(f.code, `${at}.code`),
      templates: vtl,
    };
    if (f.maxBatchSize !== undefined) pipelineFunctions[name].maxBatchSize = f.maxBatchSize;
  }

  const resolvers: ResolverModel[] = [];
  for (const [field, r] of Object.entries(g.resolvers ?? {})) {
    const at = `graphql.resolvers["${field}"]`;
    const caching = resolverCaching(r.caching, g.caching !== undefined, file, `${at}.caching`);
    const m = /^([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)$/.exec(field);
    if (!m) throw new AppConfigError(file, at, 'a resolver key is "Type.field", e.g. "Query.getOrder"');
    const [, typeName, fieldName] = m;
    const kind = r.kind ?? (r.functions ? 'PIPELINE' : 'UNIT');
    if (kind === 'PIPELINE') {
      if (!r.functions?.length)
        throw new AppConfigError(file, `${at}.functions`, 'a PIPELINE resolver lists 1 to 10 functions');
      if (r.functions.length > 10)
        throw new AppConfigError(file, `${at}.functions`, 'a pipeline has at most 10 functions');
      if (r.dataSource)
        throw new AppConfigError(file, `${at}.dataSource`, 'a PIPELINE resolver has no data source; its functions do');
      r.functions.forEach((f, i) => {
        if (!pipelineFunctions[f])
          throw new AppConfigError(file, `${at}.functions[${i}]`, `unknown pipeline function "${f}"`);
      });
      resolvers.push({
        kind,
        typeName,
        fieldName,
        functions: r.functions,
        code: r.code ? code(r.code, `${at}.code`) : undefined,
        templates: templates(r, at),
        ...(caching && { caching }),
      });
    } else {
      if (!r.dataSource) throw new AppConfigError(file, `${at}.dataSource`, 'a UNIT resolver needs a data source');
      if (!dataSources[r.dataSource])
        throw new AppConfigError(file, `${at}.dataSource`, `unknown data source "${r.dataSource}"`);
      if (r.functions) throw new AppConfigError(file, `${at}.functions`, 'only PIPELINE resolvers have functions');
      resolvers.push({
        kind,
        typeName,
        fieldName,
        dataSource: r.dataSource,
        code: r.code ? code(r.code, `${at}.code`) : undefined,
        templates: templates(r, at),
        ...(r.maxBatchSize !== undefined && { maxBatchSize: r.maxBatchSize }),
        ...(caching && { caching }),
      });
    }
  }

  const environment = g.environment ?? {};
  for (const [k, v] of Object.entries(environment)) {
    if (!/^[A-Za-z][A-Za-z0-9_]+$/.test(k)) {
      throw new AppConfigError(
        file,
        `graphql.environment.${k}`,
        'a variable name starts with a letter, is at least 2 characters of letters, digits and _',
      );
    }
    if (v.length > 512) throw new AppConfigError(file, `graphql.environment.${k}`, 'a value is at most 512 characters');
  }
  if (Object.keys(environment).length > 50) {
    throw new AppConfigError(file, 'graphql.environment', 'at most 50 environment variables');
  }

  return {
    schemaFiles,
    authentication,
    additionalAuthentications,
    apiKeys,
    dataSources,
    resolvers,
    pipelineFunctions,
    environment,
    limits: {
      queryDepthLimit: g.queryDepthLimit ?? 0,
      resolverCountLimit: g.resolverCountLimit ?? 0,
      introspection: g.introspection ?? true,
    },
    ...(g.caching && {
      caching: {
        behavior: g.caching.behavior,
        ttl: g.caching.ttl ?? CACHE_TTL.default,
        maxEntries: g.caching.maxEntries,
      },
    }),
  };
}

export const BEDROCK_REFUSAL =
  'AMAZON_BEDROCK_RUNTIME calls foundation models that run only on AWS, and Syncline has no local model runtime; ' +
  'call the model (or a local one) from a function behind an AWS_LAMBDA data source instead';

/**
 * OpenSearch runs nowhere in Syncline: the data source proxies to the OpenSearch the user runs, so `endpoint` is
 * required; an AWS-hosted domain would need SigV4 signing for service `es`, which this data source does not do.
 */
function openSearchEndpoint(type: string, endpoint: unknown, file: string, at: string): void {
  const local =
    'point it at an OpenSearch you run, e.g. http://127.0.0.1:9200 (docker run opensearchproject/opensearch)';
  if (typeof endpoint !== 'string' || !endpoint) {
    throw new AppConfigError(file, at, `is required: Syncline has no search engine of its own for ${type}; ${local}`);
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new AppConfigError(file, at, `${endpoint} is not a URL; ${local}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppConfigError(file, at, `${endpoint} is not an http(s) URL; ${local}`);
  }
  if (url.hostname.endsWith('.amazonaws.com')) {
    throw new AppConfigError(
      file,
      at,
      `${endpoint} is an AWS-hosted domain, which needs requests signed with SigV4 for service es that this data source does not send; ${local}`,
    );
  }
}

/** A resolver's `caching` as the model holds it; keys must name ctx.arguments, ctx.source or ctx.identity. */
function resolverCaching(
  caching: NonNullable<GraphqlConfig['resolvers']>[string]['caching'],
  apiCached: boolean,
  file: string,
  at: string,
): ResolverCachingModel | undefined {
  if (caching === undefined) return undefined;
  if (caching === true) return apiCached ? {} : undefined;
  (caching.keys ?? []).forEach((k, i) => {
    if (!parseCachingKey(k)) {
      throw new AppConfigError(
        file,
        `${at}.keys[${i}]`,
        `"${k}" is not a caching key: use $context.arguments.<name>, $context.source.<name> or $context.identity.<name>`,
      );
    }
  });
  // Without an API cache a resolver's caching does nothing, as on AppSync (a stage may turn the cache off).
  if (!apiCached) return undefined;
  return { ...(caching.ttl !== undefined && { ttl: caching.ttl }), ...(caching.keys && { keys: caching.keys }) };
}

function resolveApiKeys(keys: GraphqlConfig['apiKeys'] & object, file: string, options: LoadOptions): ApiKeyModel[] {
  const list = keys.length ? keys : [{ name: 'default' }];
  return list.map((k, i) => {
    const at = `graphql.apiKeys[${i}]`;
    let expiresAt: number | undefined;
    if (k.expiresAt !== undefined) {
      expiresAt = typeof k.expiresAt === 'number' ? k.expiresAt : Math.floor(Date.parse(k.expiresAt) / 1000);
      if (!Number.isFinite(expiresAt)) throw new AppConfigError(file, `${at}.expiresAt`, 'not a date');
    } else if (k.expiresAfter) {
      const n = Number(k.expiresAfter.slice(0, -1));
      const unit = { h: 3600, d: 86400, y: 365 * 86400 }[k.expiresAfter.slice(-1) as 'h' | 'd' | 'y'];
      expiresAt = Math.floor(Date.now() / 1000) + n * unit;
    }
    return { name: k.name, value: k.value ?? keptApiKeys(options).keep(k.name, generateApiKey), expiresAt };
  });
}

const generateApiKey = () => `da2-${randomBytes(13).toString('hex')}`;

/** Generated keys survive restarts (clients have them in their config): in `<data>/api-keys.json` by default. */
function keptApiKeys(options: LoadOptions): SecretStore {
  if (options.apiKeys) return options.apiKeys;
  return options.data === ':memory:' ? memorySecretStore() : fileSecretStore(join(options.data, API_KEYS_FILE));
}

export const API_KEYS_FILE = 'api-keys.json';

/** Paths the server answers itself; an HTTP route there would never be reached. */
const RESERVED_PATHS = /^\/graphql(\/|$)/;
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

function resolveFunctions(
  config: ParsedAppConfig,
  dir: string,
  file: string,
  tables: Record<string, TableModel>,
): Record<string, FunctionModel> {
  const functions: Record<string, FunctionModel> = {};
  const routes = new Map<string, string>();
  const entries = Object.entries(config.functions ?? {});
  for (const [name, f] of entries) {
    const at = `functions.${name}`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw new AppConfigError(file, at, 'a function name is 1 to 64 letters, digits, dashes or underscores');
    }
    const dot = f.handler.lastIndexOf('.');
    const base = resolve(dir, f.handler.slice(0, dot));
    const handlerFile = HANDLER_EXTENSIONS.map((ext) => base + ext).find((p) => existsSync(p));
    if (!handlerFile) {
      throw new AppConfigError(
        file,
        `${at}.handler`,
        `no file ${f.handler.slice(0, dot)}{${HANDLER_EXTENSIONS.join(',')}}`,
      );
    }
    const events: FunctionEventModel[] = (f.events ?? []).map((e, i) => {
      const eat = `${at}.events[${i}]`;
      if ('http' in e) {
        const spec = typeof e.http === 'string' ? { route: e.http } : e.http;
        const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)\s+(\/\S*)$/i.exec(spec.route.trim());
        if (!m)
          throw new AppConfigError(
            file,
            `${eat}.http`,
            "a route is 'METHOD /path', e.g. 'POST /orders' or 'GET /orders/{id}'",
          );
        const [, method, path] = m;
        if (RESERVED_PATHS.test(path)) {
          throw new AppConfigError(
            file,
            `${eat}.http`,
            `${path} collides with the GraphQL endpoint's reserved paths (/graphql...)`,
          );
        }
        const key = `${method.toUpperCase()} ${path}`;
        if (routes.has(key))
          throw new AppConfigError(file, `${eat}.http`, `route ${key} is already served by ${routes.get(key)}`);
        routes.set(key, name);
        return {
          type: 'http',
          method: method.toUpperCase(),
          path,
          payload: 'payload' in spec && spec.payload ? spec.payload : '2.0',
        };
      }
      if ('stream' in e) {
        const s = e.stream;
        const table = tables[s.table] ? s.table : Object.keys(tables).find((k) => tables[k].name === s.table);
        if (!table)
          throw new AppConfigError(file, `${eat}.stream.table`, `no table "${s.table}" is declared under tables`);
        if (!tables[table].stream) {
          throw new AppConfigError(
            file,
            `${eat}.stream.table`,
            `table ${s.table} has no stream; set tables.${table}.stream`,
          );
        }
        if (s.onFailure && 'function' in s.onFailure && !config.functions?.[s.onFailure.function]) {
          throw new AppConfigError(
            file,
            `${eat}.stream.onFailure.function`,
            `unknown function "${s.onFailure.function}"`,
          );
        }
        if (s.onFailure && 'table' in s.onFailure && !tables[s.onFailure.table]) {
          throw new AppConfigError(
            file,
            `${eat}.stream.onFailure.table`,
            `no table "${s.onFailure.table}" is declared under tables`,
          );
        }
        return {
          type: 'stream',
          table,
          batchSize: s.batchSize ?? 100,
          maximumBatchingWindowInSeconds: s.maximumBatchingWindowInSeconds ?? 0,
          startingPosition: s.startingPosition ?? 'TRIM_HORIZON',
          parallelizationFactor: s.parallelizationFactor ?? 1,
          maximumRetryAttempts: s.maximumRetryAttempts ?? -1,
          maximumRecordAgeInSeconds: s.maximumRecordAgeInSeconds ?? -1,
          bisectBatchOnFunctionError: s.bisectBatchOnFunctionError ?? false,
          reportBatchItemFailures: s.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
          onFailure: s.onFailure,
          filterPatterns: s.filterPatterns ?? [],
          tumblingWindowInSeconds: s.tumblingWindowInSeconds ?? 0,
          enabled: s.enabled ?? true,
        };
      }
      if ('eventBridge' in e)
        return eventBridgeRule(e.eventBridge, config.eventBuses ?? [], file, `${eat}.eventBridge`);
      const spec = typeof e.schedule === 'string' ? { rate: e.schedule } : e.schedule;
      try {
        parseScheduleExpression(spec.rate);
      } catch (error) {
        if (!(error instanceof ScheduleExpressionError)) throw error;
        throw new AppConfigError(file, `${eat}.schedule`, `${spec.rate}: ${error.message}`);
      }
      return {
        type: 'schedule',
        expression: spec.rate.trim(),
        enabled: 'enabled' in spec ? spec.enabled !== false : true,
        input: 'input' in spec ? spec.input : undefined,
      };
    });
    functions[name] = {
      name,
      handler: { file: handlerFile, export: f.handler.slice(dot + 1) },
      timeout: f.timeout ?? 3,
      memorySize: f.memorySize ?? 128,
      environment: f.environment ?? {},
      reservedConcurrency: f.reservedConcurrency,
      layers: (f.layers ?? []).map((layer, i) => {
        const folder = resolve(dir, layer);
        if (!existsSync(folder) || !statSync(folder).isDirectory()) {
          throw new AppConfigError(file, `${at}.layers[${i}]`, `layer folder not found: ${layer}`);
        }
        return folder;
      }),
      async: {
        maximumRetryAttempts: f.maximumRetryAttempts ?? 2,
        maximumEventAgeSeconds: f.maximumEventAge ?? 21_600,
        onSuccess: f.destinations?.onSuccess,
        onFailure: f.destinations?.onFailure,
      },
      events,
    };
  }
  // Destinations name functions of the app; Lambda's other targets (SQS, SNS, EventBridge) do not exist here.
  for (const [name, f] of entries) {
    for (const outcome of ['onSuccess', 'onFailure'] as const) {
      const target = f.destinations?.[outcome];
      if (target !== undefined && !Object.hasOwn(functions, target)) {
        throw new AppConfigError(
          file,
          `functions.${name}.destinations.${outcome}`,
          `'${target}' is not a function of this app (only function destinations are supported yet)`,
        );
      }
    }
  }
  return functions;
}

function resolveWeb(web: NonNullable<ParsedAppConfig['web']>, dir: string, file: string): WebModel {
  const served = resolve(dir, web.dir);
  // Serving the app folder itself (or a parent) would publish the config, resolvers and functions' code.
  if (served === dir || dir.startsWith(served.endsWith(sep) ? served : served + sep)) {
    throw new AppConfigError(file, 'web.dir', 'must be a folder of its own, not the app folder or one holding it');
  }
  // A folder produced by `build` may not exist before the first build; one served as it is must.
  if (!web.build && !existsSync(served)) throw new AppConfigError(file, 'web.dir', `folder not found: ${web.dir}`);
  return { dir: served, build: web.build };
}

function resolveCors(cors: NonNullable<ParsedAppConfig['http']>['cors']): CorsModel | null {
  if (!cors) return null;
  const spec = cors === true ? {} : cors;
  return {
    allowOrigins: spec.allowOrigins ?? ['*'],
    allowMethods: spec.allowMethods ?? ['*'],
    allowHeaders: spec.allowHeaders ?? [
      'Content-Type',
      'X-Amz-Date',
      'Authorization',
      'X-Api-Key',
      'X-Amz-Security-Token',
    ],
    exposeHeaders: spec.exposeHeaders ?? [],
    allowCredentials: spec.allowCredentials ?? false,
    maxAge: spec.maxAge,
  };
}
