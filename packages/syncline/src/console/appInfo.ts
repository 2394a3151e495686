// GET /_console/api/app: what the console draws its pages from — the app as loaded (schema, auth modes, keys,
// data sources, resolvers, functions and their triggers) and the tables as the engine has them now (a table
// created through the API appears too). Secrets of auth modes (IAM keys, Lambda authorizer settings) stay out.
import { relative } from 'node:path';
import { printSchema } from 'graphql';
import type { AppModel, AuthProviderModel, FunctionModel } from '../app/model.js';
import type { GraphqlApi } from '../graphql/api.js';
import type { Endpoints } from '../server/capability.js';
import type { TableEngine } from '../tables/index.js';

export interface AppInfo {
  mode: 'dev' | 'start';
  endpoints: Endpoints;
  graphql: null | {
    sdl: string;
    authModes: ({ type: string } & Record<string, unknown>)[];
    apiKeys: { value: string; description?: string; expires?: number }[];
    dataSources: { name: string; type: string }[];
    resolvers: { typeName: string; fieldName: string; kind: string; runtime: string; dataSource?: string }[];
  };
  tables: TableInfo[];
  functions: FunctionInfo[];
  issuer: boolean;
  cluster: { adapter: string; state: string };
}

export interface TableInfo {
  name: string;
  /** The key under the app's `tables`, for a declared table. */
  id?: string;
  keySchema: { AttributeName: string; KeyType: string }[];
  attributeDefinitions: { AttributeName: string; AttributeType: string }[];
  ttlAttribute?: string;
  streamArn?: string;
  streamViewType?: string;
  itemCount?: number;
  indexes: { name: string; type: 'GSI' | 'LSI'; keySchema: unknown; projection: unknown }[];
}

export interface FunctionInfo {
  name: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memorySize: number;
  routes: { method: string; path: string }[];
  schedules: { expression: string; enabled: boolean }[];
  streams: { table: string; batchSize: number; startingPosition: string }[];
}

/** The runtime Lambda would name for the Node running the functions. */
const RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;

export function appInfo(options: {
  mode: 'dev' | 'start';
  app: AppModel;
  endpoints: Endpoints;
  api: GraphqlApi | undefined;
  engine: TableEngine;
  issuer: boolean;
  cluster: { adapter: string; state: string };
}): AppInfo {
  const { app } = options;
  return {
    mode: options.mode,
    endpoints: options.endpoints,
    graphql: app.graphql ? graphqlInfo(app, options.api) : null,
    tables: tablesInfo(app, options.engine),
    functions: Object.values(app.functions).map((fn) => functionInfo(app, fn)),
    issuer: options.issuer,
    cluster: options.cluster,
  };
}

function graphqlInfo(app: AppModel, api: GraphqlApi | undefined): NonNullable<AppInfo['graphql']> {
  const model = app.graphql!;
  return {
    sdl: api ? sdlOf(api) : '',
    authModes: [model.authentication, ...model.additionalAuthentications].map(authMode),
    apiKeys: model.apiKeys.map((k) => ({
      value: k.value,
      description: k.name,
      ...(k.expiresAt !== undefined ? { expires: k.expiresAt } : {}),
    })),
    dataSources: Object.values(model.dataSources).map((d) => ({ name: d.name, type: d.type })),
    resolvers: model.resolvers.map((r) => ({
      typeName: r.typeName,
      fieldName: r.fieldName,
      kind: r.kind,
      runtime: r.code ? 'APPSYNC_JS' : 'VTL',
      ...(r.kind === 'UNIT' ? { dataSource: r.dataSource } : {}),
    })),
  };
}

/** Printed once per API version: the schema does not change until a reload builds a new API. */
const printed = new WeakMap<GraphqlApi, string>();
function sdlOf(api: GraphqlApi): string {
  let sdl = printed.get(api);
  if (sdl === undefined) printed.set(api, (sdl = printSchema(api.schema.schema)));
  return sdl;
}

/** What the explorer needs to pick a mode: the JWT modes' issuer and client, never a credential or a secret. */
function authMode(provider: AuthProviderModel): { type: string } & Record<string, unknown> {
  const config = provider.config ?? {};
  const pick = (...keys: string[]) => {
    const out: Record<string, unknown> = {};
    for (const key of keys) if (typeof config[key] === 'string') out[key] = config[key];
    return out;
  };
  switch (provider.type) {
    case 'AMAZON_COGNITO_USER_POOLS':
      return { type: provider.type, ...pick('userPoolId', 'awsRegion', 'issuer', 'appIdClientRegex') };
    case 'OPENID_CONNECT':
      return { type: provider.type, ...pick('issuer', 'clientId') };
    default:
      return { type: provider.type };
  }
}

function tablesInfo(app: AppModel, engine: TableEngine): TableInfo[] {
  const ids = new Map(Object.entries(app.tables).map(([id, t]) => [t.name, id]));
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = engine.listTables(start ? { ExclusiveStartTableName: start } : {}) as {
      TableNames: string[];
      LastEvaluatedTableName?: string;
    };
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start);
  return names.map((name) => {
    const table = (engine.describeTable({ TableName: name }) as { Table: Record<string, any> }).Table;
    const ttl = (engine.describeTimeToLive({ TableName: name }) as { TimeToLiveDescription?: Record<string, any> })
      .TimeToLiveDescription;
    const id = ids.get(name);
    const indexes = (type: 'GSI' | 'LSI', list: Record<string, any>[] | undefined) =>
      (list ?? []).map((i) => ({ name: i.IndexName, type, keySchema: i.KeySchema, projection: i.Projection }));
    return {
      name,
      ...(id ? { id } : {}),
      keySchema: table.KeySchema,
      attributeDefinitions: table.AttributeDefinitions,
      ...(ttl?.TimeToLiveStatus === 'ENABLED' ? { ttlAttribute: ttl.AttributeName } : {}),
      ...(table.StreamSpecification?.StreamEnabled
        ? { streamArn: table.LatestStreamArn, streamViewType: table.StreamSpecification.StreamViewType }
        : {}),
      itemCount: table.ItemCount,
      indexes: [...indexes('GSI', table.GlobalSecondaryIndexes), ...indexes('LSI', table.LocalSecondaryIndexes)],
    };
  });
}

function functionInfo(app: AppModel, fn: FunctionModel): FunctionInfo {
  const file = relative(fn.codeRoot ?? app.dir, fn.handler.file).replace(/\.[cm]?[jt]s$/, '');
  const info: FunctionInfo = {
    name: fn.name,
    handler: `${file}.${fn.handler.export}`,
    runtime: RUNTIME,
    timeoutSeconds: fn.timeout,
    memorySize: fn.memorySize,
    routes: [],
    schedules: [],
    streams: [],
  };
  for (const event of fn.events) {
    if (event.type === 'http') info.routes.push({ method: event.method, path: event.path });
    else if (event.type === 'schedule') info.schedules.push({ expression: event.expression, enabled: event.enabled });
    else if (event.type === 'stream') {
      info.streams.push({ table: event.table, batchSize: event.batchSize, startingPosition: event.startingPosition });
    }
  }
  return info;
}
