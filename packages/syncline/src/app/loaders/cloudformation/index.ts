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
import { resolveModel } from '../../resolveConfig.js';
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

export const TEMPLATE_FILES = ['template.yaml', 'template.yml', 'template.json'];

export const cloudFormationLoader: AppLoader = {
  format: 'cloudformation',
  files: TEMPLATE_FILES,
  recognises: (file, text) =>
    /\.(ya?ml|json|template)$/.test(file) &&
    (/AWSTemplateFormatVersion/.test(text) || /AWS::Serverless-2016-10-31/.test(text)),
  load: loadTemplate,
};

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}

type Config = AppConfig & { tables: NonNullable<AppConfig['tables']>; functions: NonNullable<AppConfig['functions']> };
type Fn = NonNullable<AppConfig['functions']>[string];
type Graphql = NonNullable<AppConfig['graphql']>;

async function loadTemplate(file: string, options: LoadOptions): Promise<AppModel> {
  const dir = dirname(file);
  const doc = parseYamlDefinition(file, readFileSync(file, 'utf8'));
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
  const stackName = 'syncline';
  const tableNames = new Map<string, string>();
  const of = (type: string | string[]) =>
    Object.entries(all).filter(([, r]) => (Array.isArray(type) ? type.includes(r.Type) : r.Type === type));
  const functionIds = new Set(of(['AWS::Serverless::Function', 'AWS::Lambda::Function']).map(([id]) => id));
  const apiIds = of('AWS::AppSync::GraphQLApi').map(([id]) => id);
  const apiName = (): string => {
    const id = apiIds[0];
    const name = id ? all[id].Properties?.Name : undefined;
    return typeof name === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(name) ? name : (id ?? 'app');
  };
  const isTable = (id: string) => ['AWS::DynamoDB::Table', 'AWS::Serverless::SimpleTable'].includes(all[id]?.Type);
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
  const streamEvents: [string, KeyPath, NonNullable<Fn['events']>[number]][] = [];
  const codeRoots = new Map<string, string>();
  let graphql: Graphql | undefined;
  const dataSources: NonNullable<Graphql['dataSources']> = {};
  const pipelineFunctions: NonNullable<Graphql['pipelineFunctions']> = {};
  const resolvers: NonNullable<Graphql['resolvers']> = {};
  const apiKeys: NonNullable<Graphql['apiKeys']> = [];
  const schemaFiles: string[] = [];
  const otherTypes = new Set<string>();

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
          if (sam && p.InlineCode !== undefined)
            fail([...propsAt, 'InlineCode'], 'inline code is not run by Syncline yet; put it in a file under CodeUri');
          if (!sam && typeof code === 'object' && code !== null && 'ZipFile' in code) {
            fail(
              [...codeAt, 'ZipFile'],
              'inline ZipFile code is not run by Syncline yet; use a local code folder (Code: ./folder)',
            );
          }
          if (typeof code !== 'string' || /^s3:\/\//.test(code)) {
            fail(codeAt, 'a local folder is needed to run the function (S3 locations and images exist only on AWS)');
          }
          const root = resolve(dir, code as string);
          if (!existsSync(root) || !statSync(root).isDirectory()) fail(codeAt, `folder not found: ${String(code)}`);
          if (root !== dir && !root.startsWith(dir + sep))
            fail(codeAt, 'the code folder must be inside the template’s folder');
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
          for (const k of [
            'Role',
            'Policies',
            'Tracing',
            'VpcConfig',
            'Layers',
            'Architectures',
            'Tags',
            'AutoPublishAlias',
            'DeploymentPreference',
            'ReservedConcurrentExecutions',
          ]) {
            if (k in merged && k !== 'ReservedConcurrentExecutions') ignored.push(`${id}.${k}`);
          }
          config.functions[id] = {
            handler: `${relative(dir, root).split(sep).join('/') || '.'}/${handler}`.replace(/^\.\//, ''),
            timeout: p.Timeout === undefined ? 3 : Number(p.Timeout),
            memorySize: p.MemorySize === undefined ? 128 : Number(p.MemorySize),
            environment: Object.fromEntries(
              Object.entries(variables).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
            ),
            reservedConcurrency:
              p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions),
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
          // A scheduled rule without a pattern stays as before: accepted, not run.
          if (raw.EventPattern === undefined) {
            otherTypes.add(`${r.Type} (${id})`);
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
          } else if (type === 'HTTP') {
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
              `${type} data sources are not run by Syncline yet; NONE, AMAZON_DYNAMODB, AWS_LAMBDA, HTTP and AMAZON_EVENTBRIDGE are`,
            );
          if ('ServiceRoleArn' in raw) ignored.push(`${id}.ServiceRoleArn`);
          break;
        }
        case 'AWS::AppSync::FunctionConfiguration': {
          const p = props();
          origins.push([`graphql.pipelineFunctions.${id}`, at]);
          pipelineFunctions[id] = { dataSource: String(p.DataSourceName), code: code(p, propsAt, fail) };
          break;
        }
        case 'AWS::AppSync::Resolver': {
          const p = props();
          const field = `${String(p.TypeName)}.${String(p.FieldName)}`;
          origins.push([`graphql.resolvers["${field}"]`, at]);
          const hasCode = p.Code !== undefined || p.CodeS3Location !== undefined;
          if (p.RequestMappingTemplate !== undefined || p.RequestMappingTemplateS3Location !== undefined) {
            fail(
              propsAt,
              'VTL mapping templates are not run by this version of Syncline; use Code with Runtime APPSYNC_JS',
            );
          }
          if (p.Kind === 'PIPELINE') {
            const fns = ((p.PipelineConfig as { Functions?: unknown[] })?.Functions ?? []).map((f) =>
              String(f).replace(/^function:/, ''),
            );
            resolvers[field] = { kind: 'PIPELINE', functions: fns, code: hasCode ? code(p, propsAt, fail) : undefined };
          } else {
            resolvers[field] = {
              kind: 'UNIT',
              dataSource: String(p.DataSourceName),
              code: hasCode ? code(p, propsAt, fail) : undefined,
            };
          }
          for (const k of ['CachingConfig', 'SyncConfig', 'MaxBatchSize', 'MetricsConfig'])
            if (k in raw) ignored.push(`${id}.${k}`);
          break;
        }
        case 'AWS::AppSync::ApiKey':
          apiKeys.push({ name: id });
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
