// Assembles one GraphQL API from the app model: schema, data sources, resolver code in sandboxes, auth.
import type { Logger } from 'pino';
import type { GraphqlModel, TemplatesModel } from '../app/model.js';
import { type AuthEnvironment, type Authenticate, createAuthenticator } from '../auth/authenticate.js';
import { applyAuthDirectives, type FieldAccess } from '../auth/directives.js';
import { directLambdaFunction } from '../datasources/lambda.js';
import { noneDataSource } from '../datasources/none.js';
import type { DataSource } from '../datasources/types.js';
import { bundleResolver } from '../resolvers/bundle.js';
import { type CompiledFunction, createFieldResolver, type ResolverParts } from '../resolvers/runner.js';
import { loadResolverModule, type ResolverLimits, type ResolverModule } from '../resolvers/sandbox.js';
import { ResolverError } from '../resolvers/signals.js';
import { loadVtlModule } from '../resolvers/vtl/load.js';
import { ApiCache, type ApiCacheEviction, type ApiCacheEvictor, applyApiCache } from './apiCache.js';
import { Executor, type ExecutorOptions } from './executor.js';
import { DEFAULT_LIMITS, type GraphqlLimits, RESOLVER_LIMIT_ERROR } from './limits.js';
import { type ApiSchema, loadApiSchema, SchemaError } from './schema.js';
import { SubscriptionDelivery } from './subscriptions.js';

export interface GraphqlApi {
  schema: ApiSchema;
  executor: Executor;
  authenticate: Authenticate;
  /** Shapes published mutation results for subscribers, without resolvers (graphql/subscriptions.ts). */
  delivery: SubscriptionDelivery;
  /** The auth directives' verdict on one field for one caller (subscriptions check their selection with it). */
  fieldAccess: FieldAccess;
  /** The API cache of this node, when the app configures `caching`, and its evictor. */
  cache?: ApiCache;
  cacheEvictor?: ApiCacheEvictor;
}

/** Creates data sources of the types other capabilities provide (DynamoDB, Lambda); NONE is built in. */
export type DataSourceFactory = (model: GraphqlModel['dataSources'][string]) => DataSource | undefined;

export async function createGraphqlApi(
  model: GraphqlModel,
  options: {
    log: Logger;
    dataSourceFactory?: DataSourceFactory;
    executor?: ExecutorOptions;
    /** Region, functions and extra credentials for the auth modes; region us-east-1 when absent. */
    auth?: AuthEnvironment;
    /** Per-evaluation bounds of resolver code (docs/graphql.md, "Resolver limits"). */
    resolverLimits?: ResolverLimits;
    /** Hears this node's API cache evictions, for the cluster's other nodes. */
    onCacheEviction?: (eviction: ApiCacheEviction) => void;
  },
): Promise<GraphqlApi> {
  const api = loadApiSchema(model.schemaFiles);
  const { schema } = api;

  const dataSources = new Map<string, DataSource>();
  for (const ds of Object.values(model.dataSources)) {
    const created = ds.type === 'NONE' ? noneDataSource(ds.name) : options.dataSourceFactory?.(ds);
    if (!created)
      throw new SchemaError(`data source ${ds.name}: ${ds.type} is not supported yet by this version of Syncline`);
    dataSources.set(ds.name, created);
  }

  const files = new Set<string>();
  for (const r of model.resolvers) if (r.code) files.add(r.code.file);
  for (const f of Object.values(model.pipelineFunctions)) if (f.code) files.add(f.code.file);
  const modules = new Map<string, ResolverModule>();
  await Promise.all(
    [...files].map(async (file) => {
      const code = await bundleResolver(file);
      const log = options.log.child({ resolver: file });
      modules.set(
        file,
        await loadResolverModule(code, file, { log: (line) => log.info(line) }, options.resolverLimits),
      );
    }),
  );
  // VTL mapping templates: one realm per resolver or function (resolvers/vtl/load.ts).
  const vtl = new Map<object, ResolverModule>();
  const vtlSources: [object, TemplatesModel, 'unit' | 'pipeline' | 'function'][] = [];
  for (const r of model.resolvers)
    if (r.templates) vtlSources.push([r, r.templates, r.kind === 'UNIT' ? 'unit' : 'pipeline']);
  for (const f of Object.values(model.pipelineFunctions))
    if (f.templates) vtlSources.push([f, f.templates, 'function']);
  await Promise.all(
    vtlSources.map(async ([owner, templates, kind]) => {
      const log = options.log.child({ resolver: templates.source });
      vtl.set(
        owner,
        await loadVtlModule({ ...templates, kind }, { log: (line) => log.info(line) }, options.resolverLimits),
      );
    }),
  );
  const moduleOf = (owner: { code?: { file: string } }) => (owner.code ? modules.get(owner.code.file) : vtl.get(owner));

  const cacheLink: { evictor?: ApiCacheEvictor } = {};
  for (const resolver of model.resolvers) {
    const type = schema.getType(resolver.typeName);
    const field =
      type && 'getFields' in type
        ? (type.getFields() as Record<string, { resolve?: unknown }>)[resolver.fieldName]
        : undefined;
    if (!field) {
      throw new SchemaError(`resolver ${resolver.typeName}.${resolver.fieldName}: no such field in the schema`);
    }
    const parts: ResolverParts = { resolver, module: moduleOf(resolver) };
    if (resolver.kind === 'UNIT') {
      parts.dataSource = dataSources.get(resolver.dataSource)!;
      parts.settings = { maxBatchSize: resolver.maxBatchSize };
      if (!parts.module) {
        // AppSync's direct Lambda resolvers: no code, the data source answers the field itself.
        if (parts.dataSource.directResolver) {
          field.resolve = parts.dataSource.directResolver({ maxBatchSize: resolver.maxBatchSize });
          continue;
        }
        throw new SchemaError(
          `resolver ${resolver.typeName}.${resolver.fieldName}: a unit resolver on a ${parts.dataSource.type} data source needs code`,
        );
      }
    } else {
      parts.functions = resolver.functions.map((name): CompiledFunction => {
        const fn = model.pipelineFunctions[name];
        const dataSource = dataSources.get(fn.dataSource)!;
        return {
          // No code and no templates: a direct Lambda function (the loader allows it on Lambda data sources only).
          module: moduleOf(fn) ?? directLambdaFunction(name, fn.maxBatchSize),
          dataSource,
          settings: { maxBatchSize: fn.maxBatchSize, key: name },
        };
      });
    }
    field.resolve = createFieldResolver(parts, model.environment, cacheLink);
  }
  const apiCache = model.caching ? new ApiCache(model.caching.maxEntries) : undefined;
  if (apiCache) cacheLink.evictor = applyApiCache(schema, model, apiCache, options.onCacheEviction);
  const limits = limitsOf(model);
  countResolverCalls(schema, model, limits.resolverCountLimit);

  const enabled = [model.authentication.type, ...model.additionalAuthentications.map((p) => p.type)];
  const fieldAccess = applyAuthDirectives(schema, {
    defaultMode: model.authentication.type,
    enabled,
    userPoolDefaultAction: model.authentication.config?.defaultAction as 'ALLOW' | 'DENY' | undefined,
  });

  return {
    schema: api,
    executor: new Executor(schema, { ...options.executor, limits: { ...limits, ...options.executor?.limits } }),
    authenticate: createAuthenticator(model, options.auth ?? { region: 'us-east-1' }),
    delivery: SubscriptionDelivery.fromFiles(model.schemaFiles),
    fieldAccess,
    cache: apiCache,
    cacheEvictor: cacheLink.evictor,
  };
}

/** The app's AppSync limits over AppSync's defaults (resolverCountLimit 0 means the default, as on AppSync). */
function limitsOf(model: GraphqlModel): GraphqlLimits {
  const configured = model.limits;
  return {
    ...DEFAULT_LIMITS,
    queryDepthLimit: configured?.queryDepthLimit ?? DEFAULT_LIMITS.queryDepthLimit,
    resolverCountLimit: configured?.resolverCountLimit || DEFAULT_LIMITS.resolverCountLimit,
    introspection: configured?.introspection ?? DEFAULT_LIMITS.introspection,
  };
}

/**
 * AppSync's resolverCountLimit: every invocation of an attached resolver counts against the request's budget;
 * past it the field is null with ResolverExecutionLimitReached and its resolver does not run.
 */
function countResolverCalls(schema: GraphqlApi['schema']['schema'], model: GraphqlModel, limit: number) {
  for (const { typeName, fieldName } of model.resolvers) {
    const type = schema.getType(typeName);
    const field = type && 'getFields' in type ? type.getFields()[fieldName] : undefined;
    if (!field || !('resolve' in field) || !field.resolve) continue;
    const resolve = field.resolve;
    field.resolve = (source, args, context, info) => {
      if (++(context as { resolverCount: number }).resolverCount > limit) {
        throw new ResolverError(RESOLVER_LIMIT_ERROR.message, RESOLVER_LIMIT_ERROR.errorType);
      }
      return resolve(source, args, context, info);
    };
  }
}
