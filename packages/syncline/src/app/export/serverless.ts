// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and the Framework's reference syntax.
// The other direction, for Serverless Framework users: a Syncline app as the `serverless.yml` that Framework v4
// (built-in `appSync:`) or v3 with serverless-appsync-plugin v2 deploys, and that `syncline dev` runs again.
// Resolver code and the schema are referenced, not copied: the plugin bundles resolvers itself with esbuild.
// Functions keep their own handler files when the file is written in the app folder (the Framework packages that
// folder); written elsewhere, each is bundled beside it as for the CloudFormation export.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Document, Scalar } from 'yaml';
import { AppConfigError } from '../errors.js';
import { layerLogicalId } from '../loaders/serverless/functions.js';
import type { AppModel, AuthProviderModel, FunctionEventModel, FunctionModel, TemplatesModel } from '../model.js';
import { bundleFunction } from './cloudformation.js';

export interface ServerlessExportOptions {
  /** Folder serverless.yml is written to (or, for stdout, the current folder): every path is relative to it. */
  outputDir: string;
  /** Where function bundles and VTL templates go when outputDir is not the app folder. */
  codeDir: string;
}

export interface ServerlessExportResult {
  /** The serverless.yml text. */
  yaml: string;
  /** What has no serverless.yml form and was left out, one line each. */
  notes: string[];
}

type Json = Record<string, unknown>;
const tagged = (tag: '!Ref' | '!GetAtt' | '!Sub', value: string) => {
  const s = new Scalar(value);
  s.tag = tag;
  return s;
};

// Lambda's defaults that the model leaves implicit (the async invoke config).
const ASYNC_RETRIES = 2;
const ASYNC_MAX_AGE = 21_600;

export async function exportServerless(
  app: AppModel,
  options: ServerlessExportOptions,
): Promise<ServerlessExportResult> {
  const outputDir = resolve(options.outputDir);
  const codeDir = resolve(options.codeDir);
  const inAppFolder = outputDir === resolve(app.dir);
  const notes: string[] = [];
  const path = (file: string) => relative(outputDir, file).split(sep).join('/');

  // Tables: one resource each, under a logical id the references below point at.
  const ids = new Set<string>();
  const tableIds = new Map<string, string>();
  const resources: Record<string, Json> = {};
  for (const [key, table] of Object.entries(app.tables)) {
    let id = `${key.replace(/[^A-Za-z0-9]/g, '') || 'T'}Table`;
    for (let i = 2; ids.has(id); i++) id = `${key.replace(/[^A-Za-z0-9]/g, '')}Table${i}`;
    ids.add(id);
    tableIds.set(key, id);
    resources[id] = { Type: 'AWS::DynamoDB::Table', Properties: tableProperties(key, table) };
  }
  const tableId = (key: string, at: string) => {
    const id = tableIds.get(key) ?? tableIds.get(Object.keys(app.tables).find((k) => app.tables[k].name === key) ?? '');
    if (!id) throw new AppConfigError(app.configFile, at, `no table ${key}`);
    return id;
  };
  const firstKey = app.graphql?.apiKeys[0]?.name;

  /** A Syncline `${...}` reference as what the Framework and CloudFormation resolve on AWS. */
  const reference = (text: string, at: string): { whole: unknown; sub: string } => {
    const table = /^tables\.([^.]+)\.(name|arn|streamArn)$/.exec(text);
    if (table) {
      const id = tableId(table[1], at);
      if (table[2] === 'name') return { whole: tagged('!Ref', id), sub: `\${${id}}` };
      const attribute = table[2] === 'arn' ? 'Arn' : 'StreamArn';
      return { whole: tagged('!GetAtt', `${id}.${attribute}`), sub: `\${${id}.${attribute}}` };
    }
    if (app.graphql && text === 'graphql.url') return { whole: '${appsync:url}', sub: '${GraphQlApi.GraphQLUrl}' };
    if (app.graphql && text === 'graphql.realtimeUrl') {
      return { whole: tagged('!GetAtt', 'GraphQlApi.RealtimeUrl'), sub: '${GraphQlApi.RealtimeUrl}' };
    }
    if (text === 'graphql.apiKey' && firstKey) {
      return { whole: `\${appsync:apiKey.${firstKey}}`, sub: `\${appsync:apiKey.${firstKey}}` };
    }
    if (text === 'http.url') return { whole: tagged('!GetAtt', 'HttpApi.ApiEndpoint'), sub: '${HttpApi.ApiEndpoint}' };
    if (/^env:\w+$/.test(text)) return { whole: `\${${text}}`, sub: `\${${text}}` };
    throw new AppConfigError(app.configFile, at, `\${${text}} has no serverless.yml equivalent`);
  };
  const envValue = (value: string, at: string): unknown => {
    const matches = [...value.matchAll(/\$\{([^}]+)\}/g)];
    if (!matches.length) return value;
    if (matches.length === 1 && matches[0][0] === value) return reference(matches[0][1], at).whole;
    // Mixed text: one Fn::Sub (the Framework resolves its own `${…:…}` variables first).
    const text = value.replace(/\$\{([^}]+)\}/g, (_, ref: string) => reference(ref, at).sub);
    return tagged('!Sub', text);
  };

  // VTL templates are files in the plugin's format: written beside the code when they came as text.
  const templateFiles = (t: TemplatesModel | undefined, name: string): Json => {
    if (!t) return {};
    const folder = join(codeDir, 'mapping-templates');
    const out: Json = {};
    for (const part of ['request', 'response'] as const) {
      const text = t[part];
      if (text === undefined) continue;
      mkdirSync(folder, { recursive: true });
      const file = join(folder, `${name}.${part}.vtl`);
      writeFileSync(file, text);
      out[part] = path(file);
    }
    return out;
  };

  // Layers: each local folder once, under the service's `layers:`; functions name them by the Framework's logical id.
  const layers: Record<string, Json> = {};
  const layerIds = new Map<string, string>();
  const layerFor = (folder: string): string => {
    let id = layerIds.get(folder);
    if (!id) {
      const base =
        folder
          .split(/[\\/]/)
          .filter(Boolean)
          .pop()
          ?.replace(/[^A-Za-z0-9-]/g, '-') || 'layer';
      let name = base;
      for (let i = 2; name in layers; i++) name = `${base}-${i}`;
      layers[name] = { path: path(folder) };
      id = layerLogicalId(name);
      layerIds.set(folder, id);
    }
    return id;
  };

  // Functions.
  const functions: Record<string, Json> = {};
  for (const fn of Object.values(app.functions)) {
    const at = `functions.${fn.name}`;
    functions[fn.name] = {
      handler: await handlerFor(fn),
      // Explicit: the Framework's defaults (6 s, 1024 MB) are not Lambda's.
      timeout: fn.timeout,
      memorySize: fn.memorySize,
      ...(Object.keys(fn.environment).length
        ? {
            environment: Object.fromEntries(
              Object.entries(fn.environment).map(([k, v]) => [k, envValue(v, `${at}.environment.${k}`)]),
            ),
          }
        : {}),
      ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
      ...(fn.async.maximumRetryAttempts === ASYNC_RETRIES
        ? {}
        : { maximumRetryAttempts: fn.async.maximumRetryAttempts }),
      ...(fn.async.maximumEventAgeSeconds === ASYNC_MAX_AGE
        ? {}
        : { maximumEventAge: fn.async.maximumEventAgeSeconds }),
      ...(fn.async.onSuccess || fn.async.onFailure
        ? {
            destinations: {
              ...(fn.async.onSuccess ? { onSuccess: fn.async.onSuccess } : {}),
              ...(fn.async.onFailure ? { onFailure: fn.async.onFailure } : {}),
            },
          }
        : {}),
      ...(fn.layers?.length ? { layers: fn.layers.map((folder) => tagged('!Ref', layerFor(folder))) } : {}),
      ...(fn.events.length ? { events: fn.events.map((e) => event(e, at)) } : {}),
    };
  }

  async function handlerFor(fn: FunctionModel): Promise<string> {
    if (inAppFolder && !fn.codeRoot) {
      const file = path(fn.handler.file).replace(/\.(?:[cm]?[jt]s)$/, '');
      return `${file}.${fn.handler.export}`;
    }
    const folder = await bundleFunction(fn, join(codeDir, fn.name));
    return `${path(join(folder, 'index'))}.${fn.handler.export}`;
  }

  function event(e: FunctionEventModel, at: string): Json {
    switch (e.type) {
      case 'http':
        // Payload 2.0 is an HTTP API route, 1.0 a REST API one, as the Framework maps them.
        return e.payload === '2.0'
          ? { httpApi: { method: e.method === 'ANY' ? '*' : e.method, path: e.path } }
          : { http: { method: e.method === 'ANY' ? 'any' : e.method.toLowerCase(), path: e.path } };
      case 'stream': {
        if (e.onFailure) {
          notes.push(
            `${at}: the stream mapping's onFailure (${JSON.stringify(e.onFailure)}) has no serverless.yml form Syncline runs (destinations.onFailure is an SQS/SNS ARN); left out`,
          );
        }
        return {
          stream: {
            type: 'dynamodb',
            arn: tagged('!GetAtt', `${tableId(e.table, at)}.StreamArn`),
            batchSize: e.batchSize,
            ...(e.maximumBatchingWindowInSeconds ? { batchWindow: e.maximumBatchingWindowInSeconds } : {}),
            startingPosition: e.startingPosition,
            // Lambda's defaults (1, -1 = until the record expires, -1 = no limit, off) are left unwritten.
            ...(e.parallelizationFactor === 1 ? {} : { parallelizationFactor: e.parallelizationFactor }),
            ...(e.maximumRetryAttempts === -1 ? {} : { maximumRetryAttempts: e.maximumRetryAttempts }),
            ...(e.maximumRecordAgeInSeconds === -1 ? {} : { maximumRecordAgeInSeconds: e.maximumRecordAgeInSeconds }),
            ...(e.bisectBatchOnFunctionError ? { bisectBatchOnFunctionError: true } : {}),
            ...(e.reportBatchItemFailures ? { functionResponseType: 'ReportBatchItemFailures' } : {}),
            ...(e.tumblingWindowInSeconds ? { tumblingWindowInSeconds: e.tumblingWindowInSeconds } : {}),
            ...(e.filterPatterns.length ? { filterPatterns: e.filterPatterns } : {}),
            ...(e.enabled ? {} : { enabled: false }),
          },
        };
      }
      case 'schedule':
        return e.enabled && e.input === undefined
          ? { schedule: e.expression }
          : {
              schedule: {
                rate: e.expression,
                enabled: e.enabled,
                ...(e.input === undefined ? {} : { input: e.input }),
              },
            };
      case 'eventBridge':
        return {
          eventBridge: {
            ...(e.eventBus === 'default' ? {} : { eventBus: e.eventBus }),
            pattern: e.pattern,
            ...(e.enabled ? {} : { enabled: false }),
          },
        };
    }
  }

  // The AppSync API, in the plugin's v2 shape.
  let appSync: Json | undefined;
  if (app.graphql) {
    const g = app.graphql;
    const dataSources: Record<string, Json> = {};
    for (const ds of Object.values(g.dataSources)) {
      const at = `graphql.dataSources.${ds.name}`;
      if (ds.type === 'NONE') dataSources[ds.name] = { type: 'NONE' };
      else if (ds.type === 'AMAZON_DYNAMODB') {
        const { tableName, ...rest } = ds.config;
        dataSources[ds.name] = {
          type: ds.type,
          config: { ...rest, tableName: tagged('!Ref', tableId(String(tableName), `${at}.config.tableName`)) },
        };
      } else {
        // Lambda (functionName), HTTP (endpoint, authorizationConfig), EventBridge (eventBusArn), RDS: the same keys.
        dataSources[ds.name] = { type: ds.type, config: ds.config };
      }
    }
    const pipelineFunctions: Record<string, Json> = {};
    for (const f of Object.values(g.pipelineFunctions)) {
      pipelineFunctions[f.name] = {
        dataSource: f.dataSource,
        ...(f.code ? { code: path(f.code.file) } : templateFiles(f.templates, `function.${f.name}`)),
        ...(f.maxBatchSize ? { maxBatchSize: f.maxBatchSize } : {}),
      };
    }
    const resolvers: Record<string, Json> = {};
    for (const r of g.resolvers) {
      const key = `${r.typeName}.${r.fieldName}`;
      resolvers[key] = {
        kind: r.kind,
        ...(r.kind === 'UNIT' ? { dataSource: r.dataSource } : { functions: r.functions }),
        ...(r.code ? { code: path(r.code.file) } : templateFiles(r.templates, key)),
        ...(r.kind === 'UNIT' && r.maxBatchSize ? { maxBatchSize: r.maxBatchSize } : {}),
        ...(r.caching ? { caching: r.caching } : {}),
      };
    }
    // The plugin's config keys are the model's for user pools, OIDC and Lambda authorizers; API_KEY and AWS_IAM
    // take none (Syncline's local IAM credentials are Syncline's own).
    const provider = (p: AuthProviderModel): Json => {
      const configured = ['AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA'].includes(p.type);
      const credentials = (p.config as { credentials?: unknown[] } | undefined)?.credentials;
      if (p.type === 'AWS_IAM' && credentials?.length) {
        notes.push(
          "graphql: the AWS_IAM provider's local credentials are Syncline's own; left out (IAM decides on AWS)",
        );
      }
      return { type: p.type, ...(configured && p.config ? { config: p.config } : {}) };
    };
    if (g.caching?.maxEntries !== undefined) {
      notes.push(`graphql.caching.maxEntries (${g.caching.maxEntries}) is Syncline's own bound; left out`);
    }
    for (const key of g.apiKeys) {
      if (key.expiresAt !== undefined) {
        notes.push(`graphql.apiKeys ${key.name}: its expiry is AppSync's to choose on deploy (expiresAfter); left out`);
      }
    }
    appSync = {
      name: app.name,
      schema: g.schemaFiles.length === 1 ? path(g.schemaFiles[0]) : g.schemaFiles.map(path),
      authentication: provider(g.authentication),
      ...(g.additionalAuthentications.length
        ? { additionalAuthentications: g.additionalAuthentications.map(provider) }
        : {}),
      ...(g.apiKeys.length ? { apiKeys: g.apiKeys.map((k) => k.name) } : {}),
      ...(Object.keys(g.environment).length ? { environment: g.environment } : {}),
      ...(g.limits?.queryDepthLimit ? { queryDepthLimit: g.limits.queryDepthLimit } : {}),
      ...(g.limits?.resolverCountLimit ? { resolverCountLimit: g.limits.resolverCountLimit } : {}),
      ...(g.limits && !g.limits.introspection ? { introspection: false } : {}),
      ...(g.caching ? { caching: { behavior: g.caching.behavior, ttl: g.caching.ttl } } : {}),
      dataSources,
      ...(Object.keys(pipelineFunctions).length ? { pipelineFunctions } : {}),
      resolvers,
    };
  }

  const cors = app.httpCors;
  const web = app.web
    ? {
        dir: path(app.web.dir),
        // The build command runs in the service folder: step into the app folder first when they differ.
        ...(app.web.build
          ? { build: inAppFolder ? app.web.build : `cd ${JSON.stringify(path(app.dir) || '.')} && ${app.web.build}` }
          : {}),
      }
    : undefined;
  if (app.web)
    notes.push(`web: ${path(app.web.dir)} is served by Syncline only; host it on S3 + CloudFront or Amplify`);

  const service: Json = {
    service: app.name.replace(/[^A-Za-z0-9-]/g, '-'),
    frameworkVersion: '4',
    // Framework v4 has the appSync block built in; v3 needs the plugin (v2).
    ...(appSync ? { plugins: ['serverless-appsync-plugin'] } : {}),
    provider: {
      name: 'aws',
      runtime: 'nodejs20.x',
      stage: "${opt:stage, 'dev'}",
      region: `\${opt:region, '${app.region}'}`,
      ...(cors
        ? {
            httpApi: {
              cors: {
                allowedOrigins: cors.allowOrigins,
                allowedHeaders: cors.allowHeaders,
                allowedMethods: cors.allowMethods,
                exposedResponseHeaders: cors.exposeHeaders,
                allowCredentials: cors.allowCredentials,
                ...(cors.maxAge === undefined ? {} : { maxAge: cors.maxAge }),
              },
            },
          }
        : {}),
    },
    ...(web ? { custom: { syncline: { web } } } : {}),
    ...(Object.keys(layers).length ? { layers } : {}),
    functions,
    ...(appSync ? { appSync } : {}),
    ...(Object.keys(resources).length ? { resources: { Resources: resources } } : {}),
  };
  const doc = new Document(service);
  doc.commentBefore = ` ${app.name}, exported by syncline export serverless (Serverless Framework v4, or v3 with serverless-appsync-plugin v2)`;
  return { yaml: doc.toString({ lineWidth: 0 }), notes };
}

function tableProperties(key: string, table: AppModel['tables'][string]): Json {
  const attributes = new Map<string, string>();
  const keySchema = (pk: { name: string; type: string }, sk?: { name: string; type: string }) => {
    for (const k of [pk, sk]) if (k) attributes.set(k.name, k.type);
    return [{ AttributeName: pk.name, KeyType: 'HASH' }, ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : [])];
  };
  const index = (name: string, i: AppModel['tables'][string]['globalIndexes'][string]) => ({
    IndexName: name,
    KeySchema: keySchema(i.partitionKey, i.sortKey),
    Projection:
      typeof i.projection === 'string'
        ? { ProjectionType: i.projection }
        : { ProjectionType: 'INCLUDE', NonKeyAttributes: i.projection.include },
  });
  const KeySchema = keySchema(table.partitionKey, table.sortKey);
  const gsis = Object.entries(table.globalIndexes).map(([n, i]) => index(n, i));
  const lsis = Object.entries(table.localIndexes).map(([n, i]) => index(n, i));
  return {
    // Per stage, as Serverless services name their tables.
    TableName: `\${self:service}-\${sls:stage}-${key}`,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema,
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(table.stream ? { StreamSpecification: { StreamViewType: table.stream } } : {}),
    ...(table.ttl ? { TimeToLiveSpecification: { AttributeName: table.ttl, Enabled: true } } : {}),
  };
}
