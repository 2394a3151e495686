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
import { type GatewayContext, readApiResource, routeSettings } from './samHttpApi.js';

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
  /** The stack's name, which names tables without a TableName as CloudFormation does. */
  stackName?: string;
  /** Rewrites each template once parsed, before it is read (CDK: assets made local), nested templates too. */
  prepare?: (file: string, template: Record<string, unknown>) => void;
  /**
   * Stacks loaded with this one, as `cdk deploy <stack>` deploys the stacks it depends on: their resources run
   * in the same app and their exports answer this stack's `Fn::ImportValue`.
   */
  companions?: { file: string; stackName: string; label: string }[];
  /** The stack of the assembly that exports a name but is not loaded, to name it when an import is refused. */
  exportedBy?: (exportName: string) => string | undefined;
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}

type Config = AppConfig & { tables: NonNullable<AppConfig['tables']>; functions: NonNullable<AppConfig['functions']> };
type Fn = NonNullable<AppConfig['functions']>[string];
type Graphql = NonNullable<AppConfig['graphql']>;

/** What the stacks of one app (a template, its nested stacks, the stacks it imports from) build together. */
interface App {
  file: string;
  dir: string;
  options: LoadOptions;
  source: TemplateSource;
  config: Config;
  graphql?: Graphql;
  apiCache?: Graphql['caching'];
  dataSources: NonNullable<Graphql['dataSources']>;
  pipelineFunctions: NonNullable<Graphql['pipelineFunctions']>;
  resolvers: NonNullable<Graphql['resolvers']>;
  apiKeys: NonNullable<Graphql['apiKeys']>;
  schemaFiles: string[];
  codeRoots: Map<string, string>;
  stacks: Stack[];
  /** Keys of `tables`, `functions`, pipeline functions already taken: logical IDs, prefixed when two stacks share one. */
  keys: Set<string>;
  /** Lambda function name → its key in `functions`. */
  functionKeys: Map<string, string>;
  functionByArn(arn: string): string | undefined;
  exports: Map<string, { stack: Stack; output: string }>;
  /** The CORS settings of the SAM API the routes belong to (one HTTP API per app), and that API's logical ID. */
  httpCors?: { cors: NonNullable<NonNullable<AppConfig['http']>['cors']>; api: string };
}

/** One template being read: opened (parameters, scope, exports) first, its resources read after. */
interface Stack {
  file: string;
  doc: ReturnType<typeof parseYamlDefinition>;
  origins: [string, KeyPath][];
  ignored: string[];
  /** An output's value, evaluated in this stack (a parent's `Fn::GetAtt Child.Outputs.X`, an import). */
  output(name: string, path: KeyPath): unknown;
  read(): void;
}

interface StackSource {
  file: string;
  stackName: string;
  /** Prefixes this stack's logical IDs when another stack of the app already uses them. */
  label: string;
  /** A nested stack's Parameters as its parent passes them, evaluated; a top-level stack takes `--param`. */
  parameters?: Record<string, unknown>;
  /** Templates above a nested one, to refuse a stack that nests itself. */
  ancestors?: string[];
}

export async function loadTemplate(file: string, options: LoadOptions, source: TemplateSource = {}): Promise<AppModel> {
  const app: App = {
    file,
    dir: dirname(file),
    options,
    source,
    config: { name: 'app', region: options.region ?? 'us-east-1', tables: {}, functions: {} },
    dataSources: {},
    pipelineFunctions: {},
    resolvers: {},
    apiKeys: [],
    schemaFiles: [],
    codeRoots: new Map(),
    stacks: [],
    keys: new Set(),
    functionKeys: new Map(),
    functionByArn(arn) {
      for (const [name, key] of app.functionKeys) if (arn.endsWith(`:function:${name}`)) return key;
      return undefined;
    },
    exports: new Map(),
  };
  const root = openStack(app, { file, stackName: source.stackName ?? 'syncline', label: '' });
  const companions = (source.companions ?? []).map((c) => openStack(app, c));
  root.read();
  for (const c of companions) c.read();
  return finish(app);
}

function openStack(app: App, src: StackSource): Stack {
  const { file, stackName } = src;
  const dir = dirname(file);
  const { config, dataSources, pipelineFunctions, resolvers, apiKeys, schemaFiles, codeRoots, options } = app;
  const doc = parseYamlDefinition(file, readFileSync(file, 'utf8'));
  const fail = (path: KeyPath, detail: string): never => {
    throw new AppConfigError(file, keyPath(path), detail, doc.lineOf(path));
  };
  const template = (doc.value ?? {}) as Record<string, Record<string, unknown>>;
  app.source.prepare?.(file, template);
  const region = config.region ?? 'us-east-1';
  const ignored: string[] = [];
  const origins: [string, KeyPath][] = [];
  // Paths a nested template names are its own folder's; the app's paths are the root template's.
  const local = (path: string) => (dir === app.dir ? path : resolve(dir, path));

  // Parameters: `--param Name=value` (a nested stack: its parent's Parameters) over Default.
  const given: Record<string, unknown> = src.parameters ?? options.params ?? {};
  const parameters: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(template.Parameters ?? {})) {
    const def = p as { Default?: unknown; Type?: string; AllowedValues?: unknown[] };
    const value = given[name] ?? def.Default;
    if (value === undefined) {
      fail(
        ['Parameters', name],
        src.parameters
          ? 'has no Default and the parent stack does not pass it in its Parameters'
          : `has no Default: give it with --param ${name}=value`,
      );
    }
    if (def.AllowedValues && !def.AllowedValues.map(String).includes(String(value))) {
      fail(['Parameters', name], `${String(value)} is not one of AllowedValues (${def.AllowedValues.join(', ')})`);
    }
    parameters[name] =
      (def.Type?.startsWith('List<') || def.Type === 'CommaDelimitedList') && !Array.isArray(value)
        ? String(value).split(',')
        : value;
  }

  const all = (template.Resources ?? {}) as Record<string, Resource>;
  if (!Object.keys(all).length) fail(['Resources'], 'a template declares at least one resource');
  // Logical IDs are per stack; the app's tables and functions are keyed by them, so a later stack reusing one is
  // prefixed with its label (the nested stack's logical ID, the assembly's stack ID).
  const keys = new Map<string, string>();
  for (const id of Object.keys(all)) {
    const k = app.keys.has(id) ? `${src.label}${id}` : id;
    if (app.keys.has(k)) fail(['Resources', id], `${k} is also a resource of another stack of this app`);
    app.keys.add(k);
    keys.set(id, k);
  }
  const keyOf = (id: string) => keys.get(id) ?? id;
  const globals = ((template.Globals as Record<string, Record<string, unknown>> | undefined)?.Function ?? {}) as Record<
    string,
    unknown
  >;
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
    return typeof n === 'string' ? n : keyOf(id);
  };

  const scope: IntrinsicScope = {
    region,
    accountId: DEFAULT_ACCOUNT_ID,
    stackName,
    parameters,
    conditions: (template.Conditions ?? {}) as Record<string, unknown>,
    mappings: (template.Mappings ?? {}) as Record<string, unknown>,
    imports: options.params ?? {},
    importValue(exportName, path) {
      const exported = app.exports.get(exportName);
      if (exported) return exported.stack.output(exported.output, path);
      const elsewhere = app.source.exportedBy?.(exportName);
      if (elsewhere) {
        throw new IntrinsicError(
          path,
          `Fn::ImportValue ${exportName}: exported by stack ${elsewhere}, which ${stackName} does not depend on in the cloud assembly; load that stack (--stack ${elsewhere}) or give the value with --param ${exportName}=value`,
        );
      }
      return undefined;
    },
    ref(id, path) {
      if (isTable(id)) return tableName(id, path);
      if (functionIds.has(id)) return functionName(id);
      if (isEventBus(id)) return busName(id);
      if (apiIds.includes(id)) return `arn:aws:appsync:${region}:${DEFAULT_ACCOUNT_ID}:apis/${apiIdFor(apiName())}`;
      const type = all[id]?.Type;
      // API Gateway's ids only join its own resources together (a route's `integrations/<id>` target, an
      // event's ApiId or RestApiId).
      if (type?.startsWith('AWS::ApiGatewayV2::') || type === 'AWS::Serverless::HttpApi') return id;
      if (type === 'AWS::Serverless::Api') return id;
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
        if (attribute === 'StreamArn') return `\${tables.${keyOf(id)}.streamArn}`;
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
      if (
        (type === 'AWS::CloudFormation::Stack' || type === 'AWS::Serverless::Application') &&
        attribute.startsWith('Outputs.')
      ) {
        return nested(id).output(attribute.slice('Outputs.'.length), path);
      }
      if (type === 'AWS::AppSync::DataSource' && attribute === 'Name') return String(all[id].Properties?.Name);
      if (type === 'AWS::AppSync::FunctionConfiguration' && attribute === 'FunctionId') return `function:${keyOf(id)}`;
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

  if (!app.stacks.length) config.name = apiName();
  for (const id of functionIds) app.functionKeys.set(functionName(id), keyOf(id));
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
      folders.push(dir === app.dir ? relative(dir, folder).split(sep).join('/') || '.' : folder);
    });
    return folders;
  };
  const streamEvents: [string, KeyPath, NonNullable<Fn['events']>[number]][] = [];
  const gateway: GatewayContext = {
    fail,
    ignored: (k) => ignored.push(k),
    api: (ref) =>
      all[ref] && {
        type: all[ref].Type,
        props: lazyProperties(all[ref].Properties ?? {}, scope, ['Resources', ref, 'Properties']),
        at: ['Resources', ref],
      },
    globals: (type) =>
      lazyProperties(
        ((template.Globals as Record<string, Record<string, unknown>> | undefined)?.[type] ?? {}) as Record<
          string,
          unknown
        >,
        scope,
        ['Globals', type],
      ),
  };
  const otherTypes = new Set<string>();
  const httpRoutes: { id: string; at: KeyPath; props: Record<string, unknown> }[] = [];
  const integrations = new Map<string, { at: KeyPath; props: Record<string, unknown> }>();
  const scheduleRules: { id: string; at: KeyPath; props: Record<string, unknown>; targetsAt?: KeyPath }[] = [];

  let read = false;
  const children = new Map<string, Stack>();
  /**
   * A nested stack (`AWS::CloudFormation::Stack` with a local TemplateURL, SAM's `AWS::Serverless::Application`
   * with a local Location), opened when first referenced: its Parameters are evaluated here, in the parent.
   */
  const nested = (logicalId: string): Stack => {
    const known = children.get(logicalId);
    if (known) return known;
    const r = all[logicalId];
    const propsAt: KeyPath = ['Resources', logicalId, 'Properties'];
    const urlKey = r.Type === 'AWS::Serverless::Application' ? 'Location' : 'TemplateURL';
    const url = evaluate(r.Properties?.[urlKey], scope, [...propsAt, urlKey]);
    if (typeof url !== 'string' || /^(https?|s3):\/\//.test(url)) {
      fail(
        [...propsAt, urlKey],
        'a local template file is needed to run a nested stack (S3 URLs and the Serverless Application Repository exist only on AWS)',
      );
    }
    const childFile = resolve(dir, url as string);
    if (!existsSync(childFile) || !statSync(childFile).isFile()) fail([...propsAt, urlKey], `file not found: ${url}`);
    const ancestors = [...(src.ancestors ?? []), file];
    if (ancestors.includes(childFile)) fail([...propsAt, urlKey], `${url} nests itself`);
    const passed = evaluate(r.Properties?.Parameters ?? {}, scope, [...propsAt, 'Parameters']);
    if (typeof passed !== 'object' || passed === null || Array.isArray(passed)) {
      fail([...propsAt, 'Parameters'], 'is a map of parameter names to values');
    }
    const child = openStack(app, {
      file: childFile,
      stackName: `${stackName}-${logicalId}`,
      label: logicalId,
      parameters: passed as Record<string, unknown>,
      ancestors,
    });
    children.set(logicalId, child);
    return child;
  };
  const stack: Stack = { file, doc, origins, ignored, output, read: readResources };
  app.stacks.push(stack);

  // Exports are known once the stack is open, so a stack read earlier can import from one read later.
  for (const [name, o] of Object.entries((template.Outputs ?? {}) as Record<string, Record<string, unknown>>)) {
    const exportName = (o?.Export as { Name?: unknown } | undefined)?.Name;
    if (exportName === undefined) continue;
    const at: KeyPath = ['Outputs', name, 'Export', 'Name'];
    try {
      if (!conditionHolds(o.Condition as string | undefined, scope, ['Outputs', name, 'Condition'])) continue;
      const exported = evaluateString(exportName, scope, at);
      const other = app.exports.get(exported);
      if (other) fail(at, `${exported} is also exported by ${other.stack.file} (export names are unique per region)`);
      app.exports.set(exported, { stack, output: name });
    } catch (error) {
      if (error instanceof IntrinsicError) fail(error.path, error.message);
      throw error;
    }
  }

  function output(name: string, path: KeyPath): unknown {
    const o = (template.Outputs as Record<string, { Value?: unknown }> | undefined)?.[name];
    if (!o || !('Value' in o)) throw new IntrinsicError(path, `${file} has no output ${name}`);
    try {
      return evaluate(o.Value, scope, ['Outputs', name, 'Value']);
    } catch (error) {
      // The output's own template is where it went wrong, not the parent's reference to it.
      if (error instanceof IntrinsicError) fail(error.path, error.message);
      throw error;
    }
  }

  function readResources(): void {
    if (read) return;
    read = true;
    try {
      for (const [logicalId, r] of Object.entries(all)) {
        const id = keyOf(logicalId);
        const at: KeyPath = ['Resources', logicalId];
        if (!conditionHolds(r.Condition, scope, [...at, 'Condition'])) continue;
        const propsAt: KeyPath = [...at, 'Properties'];
        const raw = r.Properties ?? {};
        const props = () => lazyProperties(raw, scope, propsAt);
        switch (r.Type) {
          case 'AWS::DynamoDB::Table': {
            const table = readTable(props(), propsAt, { fail, ignored: (k) => ignored.push(`${logicalId}.${k}`) });
            config.tables[id] = { name: tableName(logicalId, propsAt), ...table };
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
              if (v !== undefined) ignored.push(`${logicalId}.${k}`);
            }
            for (const k of ['MultiRegionConsistency', 'GlobalTableWitnesses']) {
              if (k in rest) {
                ignored.push(`${logicalId}.${k}`);
                delete rest[k];
              }
            }
            const gsis = rest.GlobalSecondaryIndexes as Record<string, unknown>[] | undefined;
            if (gsis) {
              rest.GlobalSecondaryIndexes = gsis.map(
                ({ WriteProvisionedThroughputSettings: _w, WriteOnDemandThroughputSettings: _o, ...g }) => g,
              );
            }
            const table = readTable(rest, propsAt, { fail, ignored: (k) => ignored.push(`${logicalId}.${k}`) });
            config.tables[id] = { name: tableName(logicalId, propsAt), ...table };
            origins.push([`tables.${id}`, at]);
            break;
          }
          case 'AWS::Serverless::SimpleTable': {
            const p = props();
            const key = (p.PrimaryKey ?? { Name: 'id', Type: 'String' }) as { Name?: string; Type?: string };
            const type = { String: 'S', Number: 'N', Binary: 'B' }[key.Type ?? 'String'];
            if (!type) fail([...propsAt, 'PrimaryKey', 'Type'], 'is String, Number or Binary');
            config.tables[id] = {
              name: tableName(logicalId, propsAt),
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
                fail(
                  codeAt,
                  'a local folder is needed to run the function (S3 locations and images exist only on AWS)',
                );
              }
              root = resolve(dir, code as string);
              if (!existsSync(root) || !statSync(root).isDirectory()) fail(codeAt, `folder not found: ${String(code)}`);
              // A nested template's code may sit beside it, but inside the app (the root template's folder).
              if (root !== app.dir && !root.startsWith(app.dir + sep))
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
                  const { cors, api } = routeSettings(e.Type, ep, [...eAt, 'Properties'], gateway);
                  if (cors) {
                    const same = app.httpCors && JSON.stringify(app.httpCors.cors) === JSON.stringify(cors);
                    if (app.httpCors && !same) {
                      fail(
                        [...eAt, 'Properties'],
                        `the CORS settings of ${api} differ from those of ${app.httpCors.api}: Syncline serves one HTTP API per app, with one CORS configuration`,
                      );
                    }
                    app.httpCors = { cors, api };
                  }
                  const method = String(ep.Method ?? 'ANY').toUpperCase();
                  const path = ep.Path === undefined ? '/{proxy+}' : String(ep.Path);
                  events.push({
                    http: {
                      route: `${method === 'X-AMAZON-APIGATEWAY-ANY-METHOD' ? 'ANY' : method} ${path}`,
                      payload: e.Type === 'Api' || ep.PayloadFormatVersion === '1.0' ? '1.0' : '2.0',
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
                    fail(
                      [...eAt, 'Properties', 'ScheduleExpressionTimezone'],
                      'time zones are not run by Syncline yet',
                    );
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
              if (k in merged && k !== 'ReservedConcurrentExecutions') ignored.push(`${logicalId}.${k}`);
            }
            config.functions[id] = {
              handler:
                inline === undefined && dir === app.dir
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
            config.eventBuses = [...(config.eventBuses ?? []), busName(logicalId)];
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
              const fn = app.functionByArn(arn);
              if (!fn) {
                ignored.push(`${logicalId}.Targets[${i}] (only the template's functions are run as targets)`);
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
            const fn = functionIds.has(target)
              ? keyOf(target)
              : (app.functionKeys.get(target) ?? app.functionByArn(target));
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
            if (app.graphql) fail(at, 'Syncline runs one GraphQL API per app');
            const p = props();
            const provider = (q: Record<string, unknown>) => authProvider(q, scope, app.functionByArn);
            const graphql = {
              authentication: provider(p),
              additionalAuthentications: ((p.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[]).map(
                provider,
              ),
            } as Graphql;
            if (p.EnvironmentVariables) graphql.environment = p.EnvironmentVariables as Record<string, string>;
            app.graphql = graphql;
            config.name = apiName();
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
              if (k in raw) ignored.push(`${logicalId}.${k}`);
            }
            origins.push(['graphql', at]);
            break;
          }
          case 'AWS::AppSync::GraphQLSchema': {
            const p = props();
            if (typeof p.Definition === 'string') schemaFiles.push(inlineFile(p.Definition, '.graphql'));
            else if (typeof p.DefinitionS3Location === 'string' && !p.DefinitionS3Location.startsWith('s3://')) {
              schemaFiles.push(local(p.DefinitionS3Location));
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
              const fn = app.functionByArn(arn);
              if (!fn) fail([...propsAt, 'LambdaConfig', 'LambdaFunctionArn'], `${arn}: no function of this app`);
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
                    ignored.push(`${logicalId}.RelationalDatabaseConfig.RdsHttpEndpointConfig.${key}`);
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
              const http = (p.HttpConfig ?? {}) as {
                Endpoint?: unknown;
                AuthorizationConfig?: Record<string, unknown>;
              };
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
            if ('ServiceRoleArn' in raw) ignored.push(`${logicalId}.ServiceRoleArn`);
            break;
          }
          case 'AWS::AppSync::FunctionConfiguration': {
            const p = props();
            origins.push([`graphql.pipelineFunctions.${id}`, at]);
            const hasCode = p.Code !== undefined || p.CodeS3Location !== undefined;
            // Neither code nor templates: a direct Lambda function (resolveConfig checks the data source).
            pipelineFunctions[id] = {
              dataSource: String(p.DataSourceName),
              ...(isVtl(p)
                ? mappingTemplates(p, propsAt, fail, local)
                : hasCode
                  ? { code: local(code(p, propsAt, fail)) }
                  : {}),
            };
            if (p.MaxBatchSize !== undefined) pipelineFunctions[id].maxBatchSize = Number(p.MaxBatchSize);
            break;
          }
          case 'AWS::AppSync::Resolver': {
            const p = props();
            const field = `${String(p.TypeName)}.${String(p.FieldName)}`;
            origins.push([`graphql.resolvers["${field}"]`, at]);
            const hasCode = p.Code !== undefined || p.CodeS3Location !== undefined;
            const vtl = isVtl(p) ? mappingTemplates(p, propsAt, fail, local) : {};
            if (p.Kind === 'PIPELINE') {
              const fns = ((p.PipelineConfig as { Functions?: unknown[] })?.Functions ?? []).map((f) =>
                String(f).replace(/^function:/, ''),
              );
              resolvers[field] = {
                kind: 'PIPELINE',
                functions: fns,
                code: hasCode ? local(code(p, propsAt, fail)) : undefined,
                ...vtl,
              };
            } else {
              resolvers[field] = {
                kind: 'UNIT',
                dataSource: String(p.DataSourceName),
                code: hasCode ? local(code(p, propsAt, fail)) : undefined,
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
            for (const k of ['SyncConfig', 'MetricsConfig']) if (k in raw) ignored.push(`${logicalId}.${k}`);
            break;
          }
          case 'AWS::AppSync::ApiCache': {
            // Behavior and TTL are run in memory on each node; the instance type and encryption exist only on AWS.
            const p = props();
            app.apiCache = {
              behavior: String(p.ApiCachingBehavior) as 'FULL_REQUEST_CACHING',
              ttl: Number(p.Ttl),
            };
            origins.push(['graphql.caching', at]);
            for (const k of ['Type', 'AtRestEncryptionEnabled', 'TransitEncryptionEnabled', 'HealthMetricsConfig'])
              if (k in raw) ignored.push(`${logicalId}.${k}`);
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
            integrations.set(logicalId, { at, props: props() });
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
              if (k in raw) ignored.push(`${logicalId}.${k}`);
            }
            for (const k of ['RoleArn', 'RetryPolicy', 'DeadLetterConfig'])
              if (k in target) ignored.push(`${logicalId}.Target.${k}`);
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
            if (app.graphql) fail(at, 'Syncline runs one GraphQL API per app');
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
                functionFor: (arn) => app.functionByArn(arn),
                authProvider: (q) => authProvider(q, scope, app.functionByArn),
              },
            );
            app.graphql = { ...auth } as Graphql;
            config.name = apiName();
            origins.push(['graphql', at]);
            break;
          }
          case 'AWS::Serverless::HttpApi':
          case 'AWS::Serverless::Api':
            readApiResource(logicalId, raw, at, gateway);
            break;
          case 'AWS::CloudFormation::Stack':
          case 'AWS::Serverless::Application':
            for (const k of ['NotificationARNs', 'TimeoutInMinutes', 'Tags'])
              if (k in raw) ignored.push(`${logicalId}.${k}`);
            nested(logicalId).read();
            break;
          case 'AWS::CDK::Metadata':
          case 'AWS::Serverless::LayerVersion':
          case 'AWS::Lambda::LayerVersion':
            // Layers are read through the functions that use them.
            break;
          default:
            otherTypes.add(`${r.Type} (${logicalId})`);
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
        const fnId = app.functionByArn(text);
        return fnId && config.functions[fnId] ? fnId : fail(at, `${text}: not a function of this app`);
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
              schedule: {
                rate: String(rule.props.ScheduleExpression),
                enabled: rule.props.State !== 'DISABLED',
                input,
              },
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
  }
  return stack;
}

function finish(app: App): AppModel {
  const { config, graphql, schemaFiles, dataSources, pipelineFunctions, resolvers, apiKeys, apiCache, file } = app;
  const [root] = app.stacks;
  if (graphql) {
    if (!schemaFiles.length) {
      throw new AppConfigError(file, 'Resources', 'the GraphQL API has no AWS::AppSync::GraphQLSchema');
    }
    graphql.schema = schemaFiles;
    graphql.dataSources = dataSources;
    graphql.pipelineFunctions = pipelineFunctions;
    graphql.resolvers = resolvers;
    if (apiKeys.length) graphql.apiKeys = apiKeys;
    if (apiCache) graphql.caching = apiCache;
    config.graphql = graphql;
  }
  if (app.httpCors) config.http = { cors: app.httpCors.cors };

  const relocate = (error: AppConfigError): AppConfigError => {
    const key = error.key ?? '';
    const best = app.stacks
      .flatMap((stack) => stack.origins.map(([p, at]) => ({ p, at, stack })))
      .filter(({ p }) => key === p || key.startsWith(`${p}.`) || key.startsWith(`${p}[`))
      .sort((a, b) => b.p.length - a.p.length)[0];
    if (!best) return new AppConfigError(root.file, key || null, error.detail);
    return new AppConfigError(
      best.stack.file,
      keyPath(best.at) + key.slice(best.p.length),
      error.detail,
      best.stack.doc.lineOf(best.at),
    );
  };
  const parsed = appConfigSchema.safeParse(config);
  if (!parsed.success) throw relocate(zodError(file, parsed.error));
  let model: AppModel;
  try {
    model = resolveModel(parsed.data, app.dir, file, app.options);
  } catch (error) {
    if (error instanceof AppConfigError && error.file === file) throw relocate(error);
    throw error;
  }
  for (const [id, codeRoot] of app.codeRoots) model.functions[id].codeRoot = codeRoot;
  model.format = 'cloudformation';
  model.notices = app.stacks
    .filter((stack) => stack.ignored.length)
    .map(
      (stack) => `${stack.file}: accepted but not run locally (AWS only): ${[...new Set(stack.ignored)].join(', ')}`,
    );
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
  local: (path: string) => string,
): { request?: string; response?: string } {
  const one = (kind: 'Request' | 'Response') => {
    const inline = p[`${kind}MappingTemplate`];
    if (typeof inline === 'string') return inlineFile(inline, '.vtl');
    const location = p[`${kind}MappingTemplateS3Location`];
    if (location === undefined) return undefined;
    if (typeof location === 'string' && !location.startsWith('s3://')) return local(location);
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
  functionByArn: (arn: string) => string | undefined,
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
    const fn = functionByArn(arn) ?? arn;
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
