// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's reference syntax.
// CloudFormation and SAM templates (`template.yaml|json`): AppSync, DynamoDB, Lambda and SAM resources read
// into the syncline.config shape, with Parameters (defaults, `--param`), Conditions and SAM `Globals`.
// Intrinsics evaluate to local values as in serverless.yml. A SAM function's `CodeUri` folder is its module
// root: its own node_modules resolve first, as in its deployment package.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { apiIdFor, DEFAULT_ACCOUNT_ID } from '../../../auth/authenticate.js';
import { type AppConfig, appConfigSchema } from '../../config.js';
import { AppConfigError } from '../../errors.js';
import type { AppModel } from '../../model.js';
import { BEDROCK_REFUSAL, resolveModel } from '../../resolveConfig.js';
import { readTable } from '../dynamodbTable.js';
import {
  conditionHolds,
  evaluate,
  evaluateString,
  IntrinsicError,
  type IntrinsicScope,
  lazyProperties,
} from '../intrinsics.js';
import { keyPath } from '../serverless/index.js';
import { zodError } from '../synclineConfig.js';
import type { AppLoader, LoadOptions } from '../types.js';
import { type KeyPath, parseYamlDefinition } from '../yaml.js';
import { readSamGraphqlApi } from './samGraphqlApi.js';

export const TEMPLATE_FILES = ['template.yaml', 'template.yml', 'template.json'];

export const cloudFormationLoader: AppLoader = {
  format: 'cloudformation',
  files: TEMPLATE_FILES,
  recognises: (file, text) =>
    /\.(ya?ml|json|template)$/.test(file) &&
    (/AWSTemplateFormatVersion/.test(text) || /AWS::Serverless-2016-10-31/.test(text)),
  load: (file, options) => loadTemplate(file, options),
};

/** What another format built on templates (CDK's cloud assembly) hands over with the template. */
export interface TemplateSource {
  /** The template's text when it was rewritten (CDK assets made local); else the file is read. */
  text?: string;
  /** The stack's name, which names tables without a TableName as CloudFormation does. */
  stackName?: string;
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}

type Config = AppConfig & { tables: NonNullable<AppConfig['tables']>; functions: NonNullable<AppConfig['functions']> };
type Fn = NonNullable<AppConfig['functions']>[string];
type Graphql = NonNullable<AppConfig['graphql']>;

export async function loadTemplate(file: string, options: LoadOptions, source: TemplateSource = {}): Promise<AppModel> {
  const dir = dirname(file);
  const doc = parseYamlDefinition(file, source.text ?? readFileSync(file, 'utf8'));
  const fail = (path: KeyPath, detail: string): never => {
    throw new AppConfigError(file, keyPath(path), detail, doc.lineOf(path));
  };
  const template = (doc.value ?? {}) as Record<string, Record<string, unknown>>;
  const region = options.region ?? 'us-east-1';
  const params = options.params ?? {};
  const ignored: string[] = [];
  const origins: [string, KeyPath][] = [];

  // Parameters: `--param Name=value` over Default; a parameter without either cannot be guessed.
  const parameters: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(template.Parameters ?? {})) {
    const def = p as { Default?: unknown; Type?: string; AllowedValues?: unknown[] };
    const value = params[name] ?? def.Default;
    if (value === undefined) fail(['Parameters', name], `has no Default: give it with --param ${name}=value`);
    if (def.AllowedValues && !def.AllowedValues.map(String).includes(String(value))) {
      fail(['Parameters', name], `${String(value)} is not one of AllowedValues (${def.AllowedValues.join(', ')})`);
    }
    parameters[name] =
      def.Type?.startsWith('List<') || def.Type === 'CommaDelimitedList' ? String(value).split(',') : value;
  }

  const all = (template.Resources ?? {}) as Record<string, Resource>;
  if (!Object.keys(all).length) fail(['Resources'], 'a template declares at least one resource');
  const globals = ((template.Globals as Record<string, Record<string, unknown>> | undefined)?.Function ?? {}) as Record<
    string,
    unknown
  >;
  const stackName = source.stackName ?? 'syncline';
  const tableNames = new Map<string, string>();
  const of = (type: string | string[]) =>
    Object.entries(all).filter(([, r]) => (Array.isArray(type) ? type.includes(r.Type) : r.Type === type));
  const functionIds = new Set(of(['AWS::Serverless::Function', 'AWS::Lambda::Function']).map(([id]) => id));
  const apiIds = of(['AWS::AppSync::GraphQLApi', 'AWS::Serverless::GraphQLApi']).map(([id]) => id);
  const apiName = (): string => {
    const id = apiIds[0];
    const name = id ? all[id].Properties?.Name : undefined;
    return typeof name === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(name) ? name : (id ?? 'app');
  };
  const isTable = (id: string) =>
    ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::Serverless::SimpleTable'].includes(all[id]?.Type);
  const isEventBus = (id: string) => all[id]?.Type === 'AWS::Events::EventBus';
  const busName = (id: string) => String(all[id].Properties?.Name ?? id);
  const functionName = (id: string) => {
    const n = all[id].Properties?.FunctionName;
    return typeof n === 'string' ? n : id;
  };

  const scope: IntrinsicScope = {
    region,
    accountId: DEFAULT_ACCOUNT_ID,
    stackName,
    parameters,
    conditions: (template.Conditions ?? {}) as Record<string, unknown>,
    mappings: (template.Mappings ?? {}) as Record<string, unknown>,
    imports: params,
    ref(id, path) {
      if (isTable(id)) return tableName(id, path);
      if (functionIds.has(id)) return functionName(id);
      if (isEventBus(id)) return busName(id);
      if (apiIds.includes(id)) return `arn:aws:appsync:${region}:${DEFAULT_ACCOUNT_ID}:apis/${apiIdFor(apiName())}`;
      const type = all[id]?.Type;
      // API Gateway's ids only join its own resources together (a route's `integrations/<id>` target).
      if (type?.startsWith('AWS::ApiGatewayV2::')) return id;
      // A layer's Ref is its version ARN; functions' Layers are matched back to the resource by it.
      if (type === 'AWS::Serverless::LayerVersion' || type === 'AWS::Lambda::LayerVersion') {
        return `arn:aws:lambda:${region}:${DEFAULT_ACCOUNT_ID}:layer:${id}:1`;
      }
      throw new IntrinsicError(
        path,
        type
          ? `Ref ${id}: ${type} is not run by Syncline; give the value with a template parameter and --param`
          : `Ref ${id}: no parameter or resource ${id}`,
      );
    },
    getAtt(id, attribute, path) {
      const type = all[id]?.Type;
      if (isTable(id)) {
        if (attribute === 'Arn') return `arn:aws:dynamodb:${region}:${DEFAULT_ACCOUNT_ID}:table/${tableName(id, path)}`;
        if (attribute === 'StreamArn') return `\${tables.${id}.streamArn}`;
      }
      if (isEventBus(id) && (attribute === 'Arn' || attribute === 'Name')) {
        return attribute === 'Name'
          ? busName(id)
          : `arn:aws:events:${region}:${DEFAULT_ACCOUNT_ID}:event-bus/${busName(id)}`;
      }
      if (functionIds.has(id) && attribute === 'Arn') {
        return `arn:aws:lambda:${region}:${DEFAULT_ACCOUNT_ID}:function:${functionName(id)}`;
      }
      if (apiIds.includes(id)) {
        if (attribute === 'GraphQLUrl') return '${graphql.url}';
        if (attribute === 'RealtimeUrl') return '${graphql.realtimeUrl}';
        if (attribute === 'ApiId') return apiIdFor(apiName());
        if (attribute === 'Arn') return `arn:aws:appsync:${region}:${DEFAULT_ACCOUNT_ID}:apis/${apiIdFor(apiName())}`;
      }
      if (type === 'AWS::AppSync::DataSource' && attribute === 'Name') return String(all[id].Properties?.Name);
      if (type === 'AWS::AppSync::FunctionConfiguration' && attribute === 'FunctionId') return `function:${id}`;
      if (type === 'AWS::AppSync::FunctionConfiguration' && attribute === 'Name')
        return String(all[id].Properties?.Name);
      if (type === 'AWS::AppSync::ApiKey' && attribute === 'ApiKey') return '${graphql.apiKey}';
      throw new IntrinsicError(
        path,
        `Fn::GetAtt ${id}.${attribute}: ${type ? `not known locally for ${type}; give the value with a template parameter and --param` : `no resource ${id}`}`,
      );
    },
  };
  const tableName = (id: string, path: KeyPath): string => {
    const known = tableNames.get(id);
    if (known) return known;
    const n = all[id].Properties?.TableName;
    const name = n === undefined ? `${stackName}-${id}` : evaluateString(n, scope, path);
    tableNames.set(id, name);
    return name;
  };

  const config: Config = { name: apiName(), region, tables: {}, functions: {} };
  /** A function's Layers: this template's layer versions, by their local folder; published ARNs exist only on AWS. */
  const functionLayers = (list: unknown, at: KeyPath): string[] | undefined => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) return fail(at, 'is a list of layer version ARNs');
    const folders: string[] = [];
    list.forEach((arn, i) => {
      const own = /:layer:([A-Za-z0-9]+):1$/.exec(String(arn));
      const layer = own ? all[own[1]] : undefined;
      if (!layer || !/^AWS::(Serverless|Lambda)::LayerVersion$/.test(layer.Type)) {
        ignored.push(
          `${keyPath(at)}[${i}] (a published layer: its packages are not here; install them with the function or add the layer's folder to the template)`,
        );
        return;
      }
      const layerAt: KeyPath = ['Resources', (own as RegExpExecArray)[1], 'Properties'];
      const sam = layer.Type === 'AWS::Serverless::LayerVersion';
      const content = evaluate(layer.Properties?.[sam ? 'ContentUri' : 'Content'], scope, [
        ...layerAt,
        sam ? 'ContentUri' : 'Content',
      ]);
      if (typeof content !== 'string' || content.startsWith('s3://')) {
        fail(
          [...layerAt, sam ? 'ContentUri' : 'Content'],
          'a local folder is needed to run the layer (S3 locations exist only on AWS)',
        );
      }
      const folder = resolve(dir, content as string);
      if (!existsSync(folder) || !statSync(folder).isDirectory())
        fail([...layerAt, sam ? 'ContentUri' : 'Content'], `folder not found: ${String(content)}`);
      folders.push(relative(dir, folder).split(sep).join('/') || '.');
    });
    return folders;
  };
  const streamEvents: [string, KeyPath, NonNullable<Fn['events']>[number]][] = [];
  const codeRoots = new Map<string, string>();
  let graphql: Graphql | undefined;
  const dataSources: NonNullable<Graphql['dataSources']> = {};
  const pipelineFunctions: NonNullable<Graphql['pipelineFunctions']> = {};
  const resolvers: NonNullable<Graphql['resolvers']> = {};
  const apiKeys: NonNullable<Graphql['apiKeys']> = [];
  let apiCache: Graphql['caching'];
  const schemaFiles: string[] = [];
  const otherTypes = new Set<string>();
  const httpRoutes: { id: string; at: KeyPath; props: Record<string, unknown> }[] = [];
  const integrations = new Map<string, { at: KeyPath; props: Record<string, unknown> }>();
  const scheduleRules: { id: string; at: KeyPath; props: Record<string, unknown>; targetsAt?: KeyPath }[] = [];

  try {
    for (const [id, r] of Object.entries(all)) {
      const at: KeyPath = ['Resources', id];
      if (!conditionHolds(r.Condition, scope, [...at, 'Condition'])) continue;
      const propsAt: KeyPath = [...at, 'Properties'];
      const raw = r.Properties ?? {};
      const props = () => lazyProperties(raw, scope, propsAt);
      switch (r.Type) {
        case 'AWS::DynamoDB::Table': {
          const table = readTable(props(), propsAt, { fail, ignored: (k) => ignored.push(`${id}.${k}`) });
          config.tables[id] = { name: tableName(id, propsAt), ...table };
          origins.push([`tables.${id}`, at]);
          break;
        }
        case 'AWS::DynamoDB::GlobalTable': {
          // One local table stands for every replica: the replicas' own settings are AWS's.
          const { Replicas, WriteProvisionedThroughputSettings, WriteOnDemandThroughputSettings, ...rest } = props();
          for (const [k, v] of Object.entries({
            Replicas,
            WriteProvisionedThroughputSettings,
            WriteOnDemandThroughputSettings,
          })) {
            if (v !== undefined) ignored.push(`${id}.${k}`);
          }
          for (const k of ['MultiRegionConsistency', 'GlobalTableWitnesses']) {
            if (k in rest) {
              ignored.push(`${id}.${k}`);
              delete rest[k];
            }
          }
          const gsis = rest.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined;
          if (gsis) {
            rest.GlobalSecondaryIndexes = gsis.map(
              ({ WriteProvisionedThroughputSettings: _w, WriteOnDemandThroughputSettings: _o, ...g }) => g,
            );
          }
          const table = readTable(rest, propsAt, { fail, ignored: (k) => ignored.push(`${id}.${k}`) });
          config.tables[id] = { name: tableName(id, propsAt), ...table };
          origins.push([`tables.${id}`, at]);
          break;
        }
        case 'AWS::Serverless::SimpleTable': {
          const p = props();
          const key = (p.PrimaryKey ?? { Name: 'id', Type: 'String' }) as { Name?: string; Type?: string };
          const type = { String: 'S', Number: 'N', Binary: 'B' }[key.Type ?? 'String'];
          if (!type) fail([...propsAt, 'PrimaryKey', 'Type'], 'is String, Number or Binary');
          config.tables[id] = {
            name: tableName(id, propsAt),
            partitionKey: { name: key.Name ?? 'id', type: type as 'S' },
          };
          origins.push([`tables.${id}`, at]);
          break;
        }
        case 'AWS::Serverless::Function':
        case 'AWS::Lambda::Function': {
          const sam = r.Type === 'AWS::Serverless::Function';
          // SAM's Globals: the function's own properties win; environment variables merge.
          const merged: Record<string, unknown> = { ...(sam ? globals : {}), ...raw };
          const p = lazyProperties(merged, scope, propsAt);
          const runtime = String(p.Runtime ?? '');
          if (!runtime.startsWith('nodejs'))
            fail([...propsAt, 'Runtime'], `${runtime || 'no runtime'}: Syncline runs Node.js functions (nodejs*)`);
          const codeAt: KeyPath = [...propsAt, sam ? 'CodeUri' : 'Code'];
          const code = sam ? p.CodeUri : p.Code;
          // SAM InlineCode and Lambda's ZipFile: Lambda writes the text to index.js (CommonJS, no package.json).
          const inline = sam
            ? p.InlineCode
            : typeof code === 'object' && code !== null
              ? (code as { ZipFile?: unknown }).ZipFile
              : undefined;
          let root: string;
          if (inline !== undefined) {
            if (typeof inline !== 'string')
              fail(sam ? [...propsAt, 'InlineCode'] : [...codeAt, 'ZipFile'], 'is the code as a string');
            root = inlineFolder(inline as string);
          } else {
            if (typeof code !== 'string' || /^s3:\/\//.test(code)) {
              fail(codeAt, 'a local folder is needed to run the function (S3 locations and images exist only on AWS)');
            }
            root = resolve(dir, code as string);
            if (!existsSync(root) || !statSync(root).isDirectory()) fail(codeAt, `folder not found: ${String(code)}`);
            if (root !== dir && !root.startsWith(dir + sep))
              fail(codeAt, 'the code folder must be inside the template’s folder');
          }
          const handler = String(p.Handler ?? '');
          if (!/\.[A-Za-z_$][\w$]*$/.test(handler)) fail([...propsAt, 'Handler'], "is 'file.exportName'");
          const vars = (o: unknown) => (o as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
          const variables = Object.fromEntries(
            Object.entries({ ...(sam ? vars(globals.Environment) : {}), ...vars(raw.Environment) }).map(([k, v]) => [
              k,
              evaluate(v, scope, [...propsAt, 'Environment', 'Variables', k]),
            ]),
          );
          const events: NonNullable<Fn['events']> = [];
          for (const [name, e] of Object.entries(
            (p.Events ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
          )) {
            const eAt: KeyPath = [...propsAt, 'Events', name];
            const ep = e.Properties ?? {};
            switch (e.Type) {
              case 'HttpApi':
              case 'Api': {
                const method = String(ep.Method ?? 'ANY').toUpperCase();
                const path = ep.Path === undefined ? '/{proxy+}' : String(ep.Path);
                events.push({
                  http: {
                    route: `${method === 'X-AMAZON-APIGATEWAY-ANY-METHOD' ? 'ANY' : method} ${path}`,
                    payload: e.Type === 'Api' ? '1.0' : '2.0',
                  },
                });
                origins.push([`functions.${id}.events[${events.length - 1}]`, eAt]);
                break;
              }
              case 'DynamoDB':
                streamEvents.push([id, eAt, streamEvent(ep, [...eAt, 'Properties'], fail, 100)]);
                break;
              case 'Schedule':
              case 'ScheduleV2': {
                const expression = ep.Schedule ?? ep.ScheduleExpression;
                if (ep.ScheduleExpressionTimezone !== undefined)
                  fail([...eAt, 'Properties', 'ScheduleExpressionTimezone'], 'time zones are not run by Syncline yet');
                const enabled =
                  ep.Enabled !== undefined ? ep.Enabled !== false : ep.State === undefined || ep.State === 'ENABLED';
                events.push({
                  schedule: {
                    rate: String(expression),
                    enabled,
                    input: typeof ep.Input === 'string' ? JSON.parse(ep.Input) : ep.Input,
                  },
                });
                origins.push([`functions.${id}.events[${events.length - 1}]`, eAt]);
                break;
              }
              case 'EventBridgeRule':
                for (const k of ['Input', 'InputPath', 'InputTransformer'])
                  if (ep[k] !== undefined) fail([...eAt, 'Properties', k], `${k} is not run by Syncline yet`);
                events.push(eventBridgeRule(ep.Pattern, ep.EventBusName, ep.State, [...eAt, 'Properties'], fail));
                origins.push([`functions.${id}.events[${events.length - 1}]`, eAt]);
                break;
              default:
                fail(
                  [...eAt, 'Type'],
                  `${e.Type} events are not run by Syncline yet; it runs HttpApi, Api, DynamoDB, Schedule, ScheduleV2 and EventBridgeRule`,
                );
            }
          }
          const layers = functionLayers(p.Layers, [...propsAt, 'Layers']);
          for (const k of [
            'Role',
            'Policies',
            'Tracing',
            'VpcConfig',
            'Architectures',
            'Tags',
            'AutoPublishAlias',
            'DeploymentPreference',
            'ReservedConcurrentExecutions',
          ]) {
            if (k in merged && k !== 'ReservedConcurrentExecutions') ignored.push(`${id}.${k}`);
          }
          config.functions[id] = {
            handler:
              inline === undefined
                ? `${relative(dir, root).split(sep).join('/') || '.'}/${handler}`.replace(/^\.\//, '')
                : `${root}/${handler}`,
            timeout: p.Timeout === undefined ? 3 : Number(p.Timeout),
            memorySize: p.MemorySize === undefined ? 128 : Number(p.MemorySize),
            environment: Object.fromEntries(
              Object.entries(variables).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
            ),
            reservedConcurrency:
              p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions),
            layers,
            events,
          };
          codeRoots.set(id, root);
          origins.push([`functions.${id}`, at]);
          break;
        }
        case 'AWS::Events::EventBus':
          config.eventBuses = [...(config.eventBuses ?? []), busName(id)];
          break;
        case 'AWS::Events::Rule': {
          // A rule without a pattern is a schedule: read with the other schedules once every function is known.
          if (raw.EventPattern === undefined) {
            scheduleRules.push({ id, at, props: props() });
            break;
          }
          const p = props();
          let pattern = p.EventPattern;
          if (typeof pattern === 'string') {
            try {
              pattern = JSON.parse(pattern);
            } catch {
              fail([...propsAt, 'EventPattern'], 'is not valid JSON');
            }
          }
          const targets = (p.Targets ?? []) as Record<string, unknown>[];
          targets.forEach((target, i) => {
            const arn = String(target.Arn);
            const fn = [...functionIds].find((f) => arn.endsWith(`:function:${functionName(f)}`));
            if (!fn) {
              ignored.push(`${id}.Targets[${i}] (only the template's functions are run as targets)`);
              return;
            }
            for (const k of ['Input', 'InputPath', 'InputTransformer'])
              if (target[k] !== undefined) fail([...propsAt, 'Targets', i, k], `${k} is not run by Syncline yet`);
            streamEvents.push([fn, at, eventBridgeRule(pattern, p.EventBusName, p.State, propsAt, fail)]);
          });
          break;
        }
        case 'AWS::Lambda::EventSourceMapping': {
          const p = props();
          const target = String(p.FunctionName);
          const fn = [...functionIds].find(
            (f) => f === target || functionName(f) === target || target.endsWith(`:function:${functionName(f)}`),
          );
          if (!fn) fail([...propsAt, 'FunctionName'], `${target}: no function of this template`);
          const mapping = Object.fromEntries(Object.keys(raw).map((k) => [k, p[k]]));
          streamEvents.push([
            fn as string,
            at,
            streamEvent({ ...mapping, Stream: p.EventSourceArn }, propsAt, fail, 100),
          ]);
          break;
        }
        case 'AWS::AppSync::GraphQLApi': {
          if (graphql) fail(at, 'Syncline runs one GraphQL API per app');
          const p = props();
          const provider = (q: Record<string, unknown>) => authProvider(q, scope, functionIds, functionName);
          graphql = {
            authentication: provider(p),
            additionalAuthentications: ((p.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[]).map(
              provider,
            ),
          } as Graphql;
          if (p.EnvironmentVariables) graphql.environment = p.EnvironmentVariables as Record<string, string>;
          for (const k of [
            'LogConfig',
            'XrayEnabled',
            'Visibility',
            'Tags',
            'IntrospectionConfig',
            'QueryDepthLimit',
            'ResolverCountLimit',
            'EnhancedMetricsConfig',
          ]) {
            if (k in raw) ignored.push(`${id}.${k}`);
          }
          origins.push(['graphql', at]);
          break;
        }
        case 'AWS::AppSync::GraphQLSchema': {
          const p = props();
          if (typeof p.Definition === 'string') schemaFiles.push(inlineFile(p.Definition, '.graphql'));
          else if (typeof p.DefinitionS3Location === 'string' && !p.DefinitionS3Location.startsWith('s3://')) {
            schemaFiles.push(p.DefinitionS3Location);
          } else fail(propsAt, 'needs Definition or a local DefinitionS3Location path (S3 exists only on AWS)');
          origins.push(['graphql.schema', at]);
          break;
        }
        case 'AWS::AppSync::DataSource': {
          const p = props();
          const name = String(p.Name);
          const type = String(p.Type);
          origins.push([`graphql.dataSources.${name}`, at]);
          if (type === 'NONE') dataSources[name] = { type: 'NONE' };
          else if (type === 'AMAZON_DYNAMODB') {
            dataSources[name] = {
              type,
              config: { tableName: String((p.DynamoDBConfig as { TableName?: unknown })?.TableName) },
            };
          } else if (type === 'AWS_LAMBDA') {
            const arn = String((p.LambdaConfig as { LambdaFunctionArn?: unknown })?.LambdaFunctionArn);
            const fn = [...functionIds].find((f) => arn.endsWith(`:function:${functionName(f)}`));
            if (!fn) fail([...propsAt, 'LambdaConfig', 'LambdaFunctionArn'], `${arn}: no function of this template`);
            dataSources[name] = { type, config: { functionName: fn } };
          } else if (type === 'RELATIONAL_DATABASE') {
            // Evaluated leaf by leaf from the raw template: a cluster or secret of the template (`!Ref AuroraCluster`)
            // names an AWS resource Syncline does not run, which must not stop the app from loading.
            const rdsAt = [...propsAt, 'RelationalDatabaseConfig', 'RdsHttpEndpointConfig'];
            dataSources[name] = {
              type,
              config: rdsHttpEndpointConfig(raw.RelationalDatabaseConfig, (v, key) => {
                try {
                  return evaluate(v, scope, [...rdsAt, key]);
                } catch (error) {
                  if (!(error instanceof IntrinsicError)) throw error;
                  ignored.push(`${id}.RelationalDatabaseConfig.RdsHttpEndpointConfig.${key}`);
                  return undefined;
                }
              }),
            };
          } else if (type === 'AMAZON_OPENSEARCH_SERVICE' || type === 'AMAZON_ELASTICSEARCH') {
            // Proxied to the OpenSearch the user runs; resolveConfig refuses an AWS-hosted (unsigned) endpoint.
            const key = type === 'AMAZON_ELASTICSEARCH' ? 'ElasticsearchConfig' : 'OpenSearchServiceConfig';
            const endpoint = (p[key] as { Endpoint?: unknown } | undefined)?.Endpoint;
            dataSources[name] = { type, config: endpoint === undefined ? {} : { endpoint: String(endpoint) } };
            origins.push([`graphql.dataSources.${name}.config.endpoint`, [...propsAt, key, 'Endpoint']]);
          } else if (type === 'AMAZON_BEDROCK_RUNTIME') fail([...propsAt, 'Type'], BEDROCK_REFUSAL);
          else if (type === 'HTTP') {
            const http = (p.HttpConfig ?? {}) as { Endpoint?: unknown; AuthorizationConfig?: Record<string, unknown> };
            const auth = http.AuthorizationConfig;
            const iam = auth?.AwsIamConfig as { SigningRegion?: unknown; SigningServiceName?: unknown } | undefined;
            dataSources[name] = {
              type,
              config: {
                endpoint: http.Endpoint,
                ...(auth && {
                  authorizationConfig: {
                    authorizationType: auth.AuthorizationType,
                    awsIamConfig: iam && {
                      signingRegion: iam.SigningRegion,
                      signingServiceName: iam.SigningServiceName,
                    },
                  },
                }),
              },
            };
          } else if (type === 'AMAZON_EVENTBRIDGE') {
            const eb = p.EventBridgeConfig as { EventBusArn?: unknown } | undefined;
            dataSources[name] = { type, config: { eventBusArn: eb?.EventBusArn } };
          } else
            fail(
              [...propsAt, 'Type'],
              `${type} data sources are not run by Syncline yet; NONE, AMAZON_DYNAMODB, AWS_LAMBDA, HTTP, AMAZON_EVENTBRIDGE, RELATIONAL_DATABASE and AMAZON_OPENSEARCH_SERVICE are`,
            );
          if ('ServiceRoleArn' in raw) ignored.push(`${id}.ServiceRoleArn`);
          break;
        }
        case 'AWS::AppSync::FunctionConfiguration': {
          const p = props();
          origins.push([`graphql.pipelineFunctions.${id}`, at]);
          pipelineFunctions[id] = {
            dataSource: String(p.DataSourceName),
            ...(isVtl(p) ? mappingTemplates(p, propsAt, fail) : { code: code(p, propsAt, fail) }),
          };
          if (p.MaxBatchSize !== undefined) pipelineFunctions[id].maxBatchSize = Number(p.MaxBatchSize);
          break;
        }
        case 'AWS::AppSync::Resolver': {
          const p = props();
          const field = `${String(p.TypeName)}.${String(p.FieldName)}`;
          origins.push([`graphql.resolvers["${field}"]`, at]);
          const hasCode = p.Code !== undefined || p.CodeS3Location !== undefined;
          const vtl = isVtl(p) ? mappingTemplates(p, propsAt, fail) : {};
          if (p.Kind === 'PIPELINE') {
            const fns = ((p.PipelineConfig as { Functions?: unknown[] })?.Functions ?? []).map((f) =>
              String(f).replace(/^function:/, ''),
            );
            resolvers[field] = {
              kind: 'PIPELINE',
              functions: fns,
              code: hasCode ? code(p, propsAt, fail) : undefined,
              ...vtl,
            };
          } else {
            resolvers[field] = {
              kind: 'UNIT',
              dataSource: String(p.DataSourceName),
              code: hasCode ? code(p, propsAt, fail) : undefined,
              ...vtl,
              ...(p.MaxBatchSize !== undefined && { maxBatchSize: Number(p.MaxBatchSize) }),
            };
          }
          if (p.CachingConfig !== undefined) {
            const c = p.CachingConfig as { Ttl?: unknown; CachingKeys?: unknown[] };
            resolvers[field].caching = {
              ...(c.Ttl !== undefined && { ttl: Number(c.Ttl) }),
              ...(c.CachingKeys !== undefined && { keys: c.CachingKeys.map(String) }),
            };
          }
          for (const k of ['SyncConfig', 'MetricsConfig']) if (k in raw) ignored.push(`${id}.${k}`);
          break;
        }
        case 'AWS::AppSync::ApiCache': {
          // Behavior and TTL are run in memory on each node; the instance type and encryption exist only on AWS.
          const p = props();
          apiCache = {
            behavior: String(p.ApiCachingBehavior) as 'FULL_REQUEST_CACHING',
            ttl: Number(p.Ttl),
          };
          origins.push(['graphql.caching', at]);
          for (const k of ['Type', 'AtRestEncryptionEnabled', 'TransitEncryptionEnabled', 'HealthMetricsConfig'])
            if (k in raw) ignored.push(`${id}.${k}`);
          break;
        }
        case 'AWS::AppSync::ApiKey':
          apiKeys.push({ name: id });
          break;
        case 'AWS::ApiGatewayV2::Api': {
          const p = props();
          if (p.ProtocolType === 'WEBSOCKET') {
            fail(
              [...propsAt, 'ProtocolType'],
              'WebSocket APIs are not run by Syncline yet; GraphQL subscriptions (AppSync) carry realtime here',
            );
          }
          for (const k of ['Target', 'RouteKey', 'Body', 'BodyS3Location']) {
            if (k in raw)
              fail([...propsAt, k], `${k}: quick-create and OpenAPI bodies are not read yet; declare Routes`);
          }
          break;
        }
        case 'AWS::ApiGatewayV2::Route':
          httpRoutes.push({ id, at, props: props() });
          break;
        case 'AWS::ApiGatewayV2::Integration':
          integrations.set(id, { at, props: props() });
          break;
        case 'AWS::Scheduler::Schedule': {
          const p = props();
          if (p.ScheduleExpressionTimezone !== undefined && p.ScheduleExpressionTimezone !== 'UTC') {
            fail(
              [...propsAt, 'ScheduleExpressionTimezone'],
              'time zones are not run by Syncline yet; schedules run in UTC',
            );
          }
          const target = (p.Target ?? {}) as Record<string, unknown>;
          for (const k of ['FlexibleTimeWindow', 'GroupName', 'StartDate', 'EndDate', 'KmsKeyArn']) {
            if (k in raw) ignored.push(`${id}.${k}`);
          }
          for (const k of ['RoleArn', 'RetryPolicy', 'DeadLetterConfig'])
            if (k in target) ignored.push(`${id}.Target.${k}`);
          // The same shape as an Events rule with one target.
          scheduleRules.push({
            id,
            at,
            props: { ScheduleExpression: p.ScheduleExpression, State: p.State, Targets: [target] },
            targetsAt: ['Target'],
          });
          break;
        }
        case 'AWS::Serverless::GraphQLApi': {
          if (graphql) fail(at, 'Syncline runs one GraphQL API per app');
          const p = props();
          const auth = readSamGraphqlApi(
            id,
            p,
            propsAt,
            { dataSources, pipelineFunctions, resolvers, apiKeys, schemaFiles },
            {
              fail,
              inlineFile,
              ignored: (k) => ignored.push(k),
              functionFor: (arn) => [...functionIds].find((f) => arn.endsWith(`:function:${functionName(f)}`)),
              authProvider: (q) => authProvider(q, scope, functionIds, functionName),
            },
          );
          graphql = { ...auth } as Graphql;
          origins.push(['graphql', at]);
          break;
        }
        case 'AWS::CDK::Metadata':
        case 'AWS::Serverless::LayerVersion':
        case 'AWS::Lambda::LayerVersion':
          // Layers are read through the functions that use them.
          break;
        default:
          otherTypes.add(`${r.Type} (${id})`);
      }
    }
    for (const [fn, path, event] of streamEvents) {
      const list = (config.functions[fn] as Fn).events as NonNullable<Fn['events']>;
      list.push(event);
      origins.push([`functions.${fn}.events[${list.length - 1}]`, path]);
    }
    const functionOf = (arn: unknown, at: KeyPath): string => {
      // A function ARN, or API Gateway's `…:lambda:path/2015-03-31/functions/<arn>/invocations` form.
      const text = String(arn).replace(/\/invocations$/, '');
      const fnId = [...functionIds].find((f) => config.functions[f] && text.endsWith(`:function:${functionName(f)}`));
      return fnId ?? fail(at, `${text}: not a function of this template`);
    };
    const addEvent = (fnId: string, event: NonNullable<Fn['events']>[number], at: KeyPath) => {
      const list = (config.functions[fnId] as Fn).events as NonNullable<Fn['events']>;
      list.push(event);
      origins.push([`functions.${fnId}.events[${list.length - 1}]`, at]);
    };
    for (const route of httpRoutes) {
      const propsAt: KeyPath = [...route.at, 'Properties'];
      const auth = route.props.AuthorizationType;
      if (auth !== undefined && auth !== 'NONE') {
        fail(
          [...propsAt, 'AuthorizationType'],
          `${String(auth)} route authorization is not run by Syncline yet; the route would be open, so it is refused`,
        );
      }
      const target = /^integrations\/(.+)$/.exec(String(route.props.Target ?? ''));
      const integration = target ? integrations.get(target[1]) : undefined;
      if (!integration)
        fail([...propsAt, 'Target'], 'is integrations/<an AWS::ApiGatewayV2::Integration of this template>');
      const ip = (integration as { props: Record<string, unknown> }).props;
      if (ip.IntegrationType !== 'AWS_PROXY') {
        fail(
          [...(integration as { at: KeyPath }).at, 'Properties', 'IntegrationType'],
          `${String(ip.IntegrationType)} integrations are not run by Syncline yet; AWS_PROXY to a Lambda function is`,
        );
      }
      const fnId = functionOf(ip.IntegrationUri, [
        ...(integration as { at: KeyPath }).at,
        'Properties',
        'IntegrationUri',
      ]);
      const key = String(route.props.RouteKey);
      const routeKey = key === '$default' ? 'ANY /{proxy+}' : key;
      const payload = ip.PayloadFormatVersion === '1.0' ? '1.0' : '2.0';
      addEvent(fnId, { http: { route: routeKey, payload } }, route.at);
    }
    for (const rule of scheduleRules) {
      const propsAt: KeyPath = [...rule.at, 'Properties'];
      const targets = (rule.props.Targets ?? []) as Record<string, unknown>[];
      targets.forEach((t, i) => {
        const tAt: KeyPath = [...propsAt, ...(rule.targetsAt ?? ['Targets', i])];
        const fnId = functionOf(t.Arn, [...tAt, 'Arn']);
        if (t.InputPath !== undefined || t.InputTransformer !== undefined) {
          fail(tAt, 'InputPath and InputTransformer are not run yet; use Input');
        }
        const input = typeof t.Input === 'string' ? JSON.parse(t.Input) : t.Input;
        addEvent(
          fnId,
          {
            schedule: { rate: String(rule.props.ScheduleExpression), enabled: rule.props.State !== 'DISABLED', input },
          },
          rule.at,
        );
      });
    }
  } catch (error) {
    if (error instanceof IntrinsicError) fail(error.path, error.message);
    throw error;
  }
  if (otherTypes.size) ignored.push(`resources ${[...otherTypes].join(', ')}`);
  if (graphql) {
    if (!schemaFiles.length) fail(['Resources'], 'the GraphQL API has no AWS::AppSync::GraphQLSchema');
    graphql.schema = schemaFiles;
    graphql.dataSources = dataSources;
    graphql.pipelineFunctions = pipelineFunctions;
    graphql.resolvers = resolvers;
    if (apiKeys.length) graphql.apiKeys = apiKeys;
    if (apiCache) graphql.caching = apiCache;
    config.graphql = graphql;
  }

  const relocate = (error: AppConfigError): AppConfigError => {
    const key = error.key ?? '';
    const best = origins
      .filter(([p]) => key === p || key.startsWith(`${p}.`) || key.startsWith(`${p}[`))
      .sort((a, b) => b[0].length - a[0].length)[0];
    if (!best) return new AppConfigError(file, key || null, error.detail);
    return new AppConfigError(file, keyPath(best[1]) + key.slice(best[0].length), error.detail, doc.lineOf(best[1]));
  };
  const parsed = appConfigSchema.safeParse(config);
  if (!parsed.success) throw relocate(zodError(file, parsed.error));
  let model: AppModel;
  try {
    model = resolveModel(parsed.data, dir, file, options);
  } catch (error) {
    if (error instanceof AppConfigError && error.file === file) throw relocate(error);
    throw error;
  }
  for (const [id, root] of codeRoots) model.functions[id].codeRoot = root;
  model.format = 'cloudformation';
  model.notices = ignored.length
    ? [`${file}: accepted but not run locally (AWS only): ${[...new Set(ignored)].join(', ')}`]
    : [];
  return model;
}

/** Inline function code as Lambda unpacks it: `index.js` alone in its folder, so CommonJS as on Lambda. */
function inlineFolder(text: string): string {
  const folder = join(tmpdir(), 'syncline-inline', createHash('sha256').update(text).digest('hex').slice(0, 24));
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'index.js');
  if (!existsSync(file)) writeFileSync(file, text);
  return folder;
}

/** An inline Definition or Code, written once where the loaders that take files can read it (by content). */
function inlineFile(text: string, ext: string): string {
  const folder = join(tmpdir(), 'syncline-inline');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${createHash('sha256').update(text).digest('hex').slice(0, 24)}${ext}`);
  if (!existsSync(file)) writeFileSync(file, text);
  return file;
}

function code(p: Record<string, unknown>, at: KeyPath, fail: (path: KeyPath, detail: string) => never): string {
  const runtime = (p.Runtime as { Name?: unknown } | undefined)?.Name;
  if (runtime !== undefined && runtime !== 'APPSYNC_JS') fail([...at, 'Runtime', 'Name'], 'is APPSYNC_JS');
  if (typeof p.Code === 'string') return inlineFile(p.Code, '.js');
  const location = p.CodeS3Location;
  if (typeof location === 'string' && !location.startsWith('s3://')) return location;
  return fail([...at, 'CodeS3Location'], 'needs Code or a local CodeS3Location path (S3 exists only on AWS)');
}

const TEMPLATE_KEYS = [
  'RequestMappingTemplate',
  'RequestMappingTemplateS3Location',
  'ResponseMappingTemplate',
  'ResponseMappingTemplateS3Location',
];

function isVtl(p: Record<string, unknown>): boolean {
  return TEMPLATE_KEYS.some((k) => p[k] !== undefined);
}

/** VTL: inline `...MappingTemplate` text (written to a file like inline Code) or a local `...S3Location` path. */
function mappingTemplates(
  p: Record<string, unknown>,
  at: KeyPath,
  fail: (path: KeyPath, detail: string) => never,
): { request?: string; response?: string } {
  const one = (kind: 'Request' | 'Response') => {
    const inline = p[`${kind}MappingTemplate`];
    if (typeof inline === 'string') return inlineFile(inline, '.vtl');
    const location = p[`${kind}MappingTemplateS3Location`];
    if (location === undefined) return undefined;
    if (typeof location === 'string' && !location.startsWith('s3://')) return location;
    return fail([...at, `${kind}MappingTemplateS3Location`], 'needs a local path (S3 exists only on AWS)');
  };
  return { request: one('Request'), response: one('Response') };
}

function streamEvent(
  p: Record<string, unknown>,
  at: KeyPath,
  fail: (path: KeyPath, detail: string) => never,
  defaultBatch: number,
): NonNullable<Fn['events']>[number] {
  const arn = String(p.Stream);
  const token = /^\$\{tables\.([^.]+)\.streamArn\}$/.exec(arn);
  const byName = /:table\/([^/]+)\/stream\//.exec(arn);
  const table = token?.[1] ?? byName?.[1];
  if (!table)
    fail([...at, 'Stream'], `${arn}: not the stream of a table in this template; use !GetAtt <Table>.StreamArn`);
  if (p.StartingPosition === undefined) fail([...at, 'StartingPosition'], 'is required (TRIM_HORIZON or LATEST)');
  const n = (k: string) => (p[k] === undefined ? undefined : Number(p[k]));
  const filters = (p.FilterCriteria as { Filters?: { Pattern?: string }[] } | undefined)?.Filters;
  return {
    stream: {
      table: table as string,
      batchSize: n('BatchSize') ?? defaultBatch,
      maximumBatchingWindowInSeconds: n('MaximumBatchingWindowInSeconds'),
      startingPosition: p.StartingPosition as 'TRIM_HORIZON',
      maximumRetryAttempts: n('MaximumRetryAttempts'),
      maximumRecordAgeInSeconds: n('MaximumRecordAgeInSeconds'),
      bisectBatchOnFunctionError:
        p.BisectBatchOnFunctionError === undefined ? undefined : Boolean(p.BisectBatchOnFunctionError),
      functionResponseTypes: (p.FunctionResponseTypes as string[] | undefined)?.includes('ReportBatchItemFailures')
        ? ['ReportBatchItemFailures']
        : undefined,
      parallelizationFactor: n('ParallelizationFactor'),
      tumblingWindowInSeconds: n('TumblingWindowInSeconds'),
      enabled: p.Enabled === undefined ? undefined : p.Enabled !== false,
      filterPatterns: filters?.map((f, i) => {
        try {
          return JSON.parse(String(f.Pattern));
        } catch {
          return fail([...at, 'FilterCriteria', 'Filters', i, 'Pattern'], 'is a JSON string');
        }
      }),
    },
  };
}

function authProvider(
  p: Record<string, unknown>,
  scope: IntrinsicScope,
  functionIds: Set<string>,
  functionName: (id: string) => string,
): Graphql['authentication'] {
  const type = String(p.AuthenticationType) as Graphql['authentication']['type'];
  const pool = p.UserPoolConfig as Record<string, unknown> | undefined;
  const oidc = p.OpenIDConnectConfig as Record<string, unknown> | undefined;
  const lambda = p.LambdaAuthorizerConfig as Record<string, unknown> | undefined;
  if (type === 'AMAZON_COGNITO_USER_POOLS' && pool) {
    return {
      type,
      config: {
        userPoolId: pool.UserPoolId,
        awsRegion: pool.AwsRegion ?? scope.region,
        appIdClientRegex: pool.AppIdClientRegex,
        defaultAction: pool.DefaultAction,
        // Syncline's own keys (docs/cloudformation.md), for a local copy of a template: tokens of a local issuer.
        issuer: pool.Issuer,
        jwksUri: pool.JwksUri,
        jwksFile: pool.JwksFile,
      },
    };
  }
  if (type === 'OPENID_CONNECT' && oidc) {
    return {
      type,
      config: { issuer: oidc.Issuer, clientId: oidc.ClientId, iatTTL: oidc.IatTTL, authTTL: oidc.AuthTTL },
    };
  }
  if (type === 'AWS_LAMBDA' && lambda) {
    const arn = String(lambda.AuthorizerUri);
    const fn = [...functionIds].find((f) => arn.endsWith(`:function:${functionName(f)}`)) ?? arn;
    return {
      type,
      config: {
        functionName: fn,
        identityValidationExpression: lambda.IdentityValidationExpression,
        authorizerResultTtlInSeconds: lambda.AuthorizerResultTtlInSeconds,
      },
    };
  }
  return { type };
}

/** RelationalDatabaseConfig.RdsHttpEndpointConfig in syncline.config's words; values left as intrinsics are dropped. */
function rdsHttpEndpointConfig(
  value: unknown,
  evaluateLeaf: (v: unknown, key: string) => unknown,
): Record<string, string> {
  const c = ((value as { RdsHttpEndpointConfig?: unknown })?.RdsHttpEndpointConfig ?? {}) as Record<string, unknown>;
  const names: Record<string, string> = {
    DatabaseName: 'databaseName',
    DbClusterIdentifier: 'dbClusterIdentifier',
    AwsSecretStoreArn: 'awsSecretStoreArn',
    Schema: 'schema',
    AwsRegion: 'region',
  };
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(names)) {
    const v = c[from] === undefined ? undefined : evaluateLeaf(c[from], from);
    if (typeof v === 'string') out[to] = v;
  }
  return out;
}

/** An EventBridge rule (SAM's EventBridgeRule event, AWS::Events::Rule) as the config's eventBridge event. */
function eventBridgeRule(
  pattern: unknown,
  bus: unknown,
  state: unknown,
  at: KeyPath,
  fail: (path: KeyPath, detail: string) => never,
): NonNullable<Fn['events']>[number] {
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern)) fail(at, 'an event pattern is required');
  if (bus !== undefined && typeof bus !== 'string') fail([...at, 'EventBusName'], 'is a bus name or ARN');
  return {
    eventBridge: {
      pattern: pattern as Record<string, unknown>,
      eventBus: typeof bus === 'string' ? bus.replace(/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//, '') : undefined,
      enabled: state === undefined ? undefined : state === 'ENABLED',
    },
  };
}
