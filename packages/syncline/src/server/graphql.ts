// The GraphQL capability: the app's API (schema, resolvers, data sources on the tables and functions, auth modes)
// built for each app version, served at `/graphql` over HTTP on both listener paths.
import type { Logger } from 'pino';
import { eventBusOfDataSource } from '../app/dataSourceConfig.js';
import type { AppModel } from '../app/model.js';
import { type AuthEnvironment, apiIdFor } from '../auth/authenticate.js';
import { postgresSecretStore } from '../cluster/secretsPostgres.js';
import { dynamodbDataSource } from '../datasources/dynamodb.js';
import { eventbridgeDataSource } from '../datasources/eventbridge.js';
import { type HttpDataSourceConfig, httpDataSource } from '../datasources/http.js';
import { lambdaDataSource } from '../datasources/lambda.js';
import { openSearchDataSource } from '../datasources/openSearch.js';
import { rdsDataSource } from '../datasources/rds.js';
import { type DataSourceRoles, dataSourceRoles } from '../datasources/roles.js';
import type { EventBus } from '../eventbridge/index.js';
import { type FunctionRuntime, type LocalFunctionRuntime, listFunctionCredentials } from '../functions/index.js';
import { createGraphqlApi, type DataSourceFactory, type GraphqlApi } from '../graphql/api.js';
import type { ApiCacheEviction } from '../graphql/apiCache.js';
import type { MutationEvent } from '../graphql/mutationEvent.js';
import { prefersEventStream } from '../http/accept.js';
import type { ResolverLimits } from '../resolvers/sandbox.js';
import type { TableEngine } from '../tables/index.js';
import { isPostgresStorage } from '../tables/storage/postgres.js';
import type { Capability, ServerContext } from './capability.js';
import type { FunctionsCapability } from './functions.js';
import { graphqlEndpoint } from './graphqlHttp.js';
import type { TablesCapability } from './tables.js';

export interface GraphqlCapability extends Capability {
  /** The API serving now; undefined for an app without `graphql`. */
  api(): GraphqlApi | undefined;
  /** Who hears about every completed HTTP mutation (the realtime hub). One listener. */
  onMutation(listener: (event: MutationEvent) => number): void;
  /** Who hears this node's API cache evictions (the cluster). One listener. */
  onCacheEviction(listener: (eviction: ApiCacheEviction) => void): void;
  /** Applies another node's API cache eviction to this node's cache. */
  applyCacheEviction(eviction: ApiCacheEviction): void;
  /** The data sources' service-role credentials (HTTP data sources sign with them); the door accepts them. */
  readonly roles: DataSourceRoles;
}

export function graphqlCapability(
  ctx: ServerContext,
  tables: TablesCapability,
  functions: FunctionsCapability,
  options: {
    /** Signs DynamoDB resolvers' nextTokens; a cluster shares it so a page continues on any node. */
    tokenKey?: Buffer;
    resolverLimits: ResolverLimits;
    httpDataSources?: { timeoutMs?: number; maxResponseBytes?: number };
    /** The app's event buses, for AMAZON_EVENTBRIDGE data sources. */
    eventBus?: EventBus;
  },
): GraphqlCapability {
  let api: GraphqlApi | undefined;
  let mutationListener: ((event: MutationEvent) => number) | undefined;
  let evictionListener: ((eviction: ApiCacheEviction) => void) | undefined;
  // What the data sources of each API version hold open (database pools), released when that version goes.
  let owned: Owned = [];
  let upcoming: Owned = [];
  const release = (list: Owned) => Promise.all(list.map((d) => d.close())).then(() => undefined);
  let roles: DataSourceRoles | undefined;
  const rolesOf = () => {
    const storage = tables.engine.storage;
    roles ??= dataSourceRoles(
      tables.engine.accountId,
      isPostgresStorage(storage) ? postgresSecretStore(storage, 'datasource-credentials:') : undefined,
    );
    return roles;
  };
  const build = (app: AppModel, runtime: LocalFunctionRuntime, into: Owned) =>
    app.graphql
      ? createGraphqlApi(app.graphql, {
          log: ctx.log,
          dataSourceFactory: dataSources(app, tables.engine, runtime, options.tokenKey, rolesOf(), {
            log: ctx.log,
            into,
            http: options.httpDataSources,
            eventBus: options.eventBus,
          }),
          auth: authEnvironment(app, runtime),
          resolverLimits: options.resolverLimits,
          onCacheEviction: (eviction) => evictionListener?.(eviction),
        })
      : undefined;
  const endpoint = graphqlEndpoint({
    api: () => api!,
    log: ctx.log,
    onMutation: (event) => mutationListener?.(event) ?? 0,
    observe: ctx.observe,
    journal: ctx.journal,
  });
  return {
    name: 'graphql',
    api: () => api,
    get roles() {
      return rolesOf();
    },
    onMutation(listener) {
      mutationListener = listener;
    },
    onCacheEviction(listener) {
      evictionListener = listener;
    },
    applyCacheEviction(eviction) {
      api?.cacheEvictor?.applyRemote(eviction);
    },
    routes: [
      {
        // SSE subscriptions (a client preferring `text/event-stream`, http/accept.ts) are realtime's, on either method.
        matches: (r) =>
          api !== undefined &&
          r.path === '/graphql' &&
          (r.method === 'POST' || r.method === 'GET') &&
          !prefersEventStream(r.headers.accept),
        serve: (req, res) => endpoint.http(req, res),
        fast: endpoint.fast,
      },
    ],
    async start() {
      api = await build(ctx.app(), functions.runtime, owned);
    },
    async reload(next) {
      // Built on the functions runtime of the same version, which the functions capability has prepared.
      upcoming = [];
      let nextApi: GraphqlApi | undefined;
      try {
        nextApi = await build(next, functions.upcoming, upcoming);
      } catch (error) {
        await release(upcoming);
        throw error;
      }
      const previous = owned;
      return {
        commit() {
          api = nextApi;
          owned = upcoming;
        },
        abort: () => release(upcoming),
        retire: () => release(previous),
      };
    },
    close: () => release(owned),
  };
}

function authEnvironment(app: AppModel, runtime: LocalFunctionRuntime): AuthEnvironment {
  return {
    region: app.region,
    apiId: apiIdFor(app.name),
    functions: () => runtime,
    credentials: () => listFunctionCredentials(runtime),
  };
}

type Owned = { close(): Promise<void> }[];

function dataSources(
  app: AppModel,
  tables: TableEngine,
  functions: FunctionRuntime,
  tokenKey: Buffer | undefined,
  roles: DataSourceRoles,
  held: {
    log: Logger;
    into: Owned;
    http?: { timeoutMs?: number; maxResponseBytes?: number };
    eventBus?: EventBus;
  },
): DataSourceFactory {
  return (ds) => {
    if (ds.type === 'AMAZON_EVENTBRIDGE' && held.eventBus) {
      return eventbridgeDataSource(ds.name, eventBusOfDataSource(ds.config) ?? 'default', held.eventBus);
    }
    if (ds.type === 'HTTP') {
      const config = ds.config as unknown as HttpDataSourceConfig;
      // Made now, so the door knows the role before the first request is signed with it.
      const role = config.authorizationConfig ? roles.credentials(ds.name) : undefined;
      return httpDataSource(ds.name, config, { ...held.http, credentials: role && (() => role) });
    }
    if (ds.type === 'AWS_LAMBDA') return lambdaDataSource(ds.name, String(ds.config.functionName), functions);
    if (ds.type === 'RELATIONAL_DATABASE') {
      const rds = rdsDataSource(ds.name, ds.config, { env: process.env, log: held.log });
      held.into.push(rds);
      return rds;
    }
    if (ds.type === 'AMAZON_OPENSEARCH_SERVICE' || ds.type === 'AMAZON_ELASTICSEARCH') {
      return openSearchDataSource(ds.name, ds.type, String(ds.config.endpoint));
    }
    if (ds.type !== 'AMAZON_DYNAMODB') return undefined;
    const configured = String(ds.config.tableName);
    // `tableName` may name the table's key in the config or its DynamoDB name.
    const tableName = app.tables[configured]?.name ?? configured;
    return dynamodbDataSource(ds.name, tableName, tables, tokenKey);
  };
}
