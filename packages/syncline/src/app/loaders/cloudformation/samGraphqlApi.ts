// SAM's `AWS::Serverless::GraphQLApi`: one resource that SAM expands into an AppSync API, its schema, keys, DynamoDB
// and Lambda data sources (a `NONE` one on demand), pipeline functions and pipeline resolvers. Read here into the
// same pieces the `AWS::AppSync::*` resources give, with SAM's rules: resolvers are pipelines (a unit resolver is
// refused as SAM refuses it), `Runtime` is required, code is `CodeUri` or `InlineCode`, and a resolver without
// code gets SAM's default pass-through code.
import type { AppConfig } from '../../config.js';
import type { KeyPath } from '../yaml.js';

type Graphql = NonNullable<AppConfig['graphql']>;

export interface SamGraphqlTarget {
  dataSources: NonNullable<Graphql['dataSources']>;
  pipelineFunctions: NonNullable<Graphql['pipelineFunctions']>;
  resolvers: NonNullable<Graphql['resolvers']>;
  apiKeys: NonNullable<Graphql['apiKeys']>;
  schemaFiles: string[];
}

export interface SamGraphqlContext {
  fail: (path: KeyPath, detail: string) => never;
  /** An inline text written where loaders that take files read it. */
  inlineFile: (text: string, ext: string) => string;
  /** A template function's id for a function ARN, or undefined. */
  functionFor: (arn: string) => string | undefined;
  /** AppSync's auth provider shape for a CloudFormation-style provider. */
  authProvider: (p: Record<string, unknown>) => Graphql['authentication'];
  ignored: (key: string) => void;
}

/** SAM's default resolver code: request returns {}, response the previous step's result. */
const DEFAULT_RESOLVER_CODE =
  'export function request(ctx) { return {}; }\nexport function response(ctx) { return ctx.prev.result; }\n';

/** Returns the API's auth settings; fills `target` with everything else. */
export function readSamGraphqlApi(
  id: string,
  p: Record<string, unknown>,
  at: KeyPath,
  target: SamGraphqlTarget,
  ctx: SamGraphqlContext,
): Pick<Graphql, 'authentication' | 'additionalAuthentications'> {
  const { fail } = ctx;
  const auth = (p.Auth ?? fail([...at, 'Auth'], 'is required')) as Record<string, unknown>;
  // SAM's Auth { Type, UserPool, OpenIDConnect, LambdaAuthorizer } is AppSync's provider with shorter names.
  const provider = (a: Record<string, unknown>) =>
    ctx.authProvider({
      AuthenticationType: a.Type,
      UserPoolConfig: a.UserPool,
      OpenIDConnectConfig: a.OpenIDConnect,
      LambdaAuthorizerConfig: a.LambdaAuthorizer,
    });
  const authentication = provider(auth);
  const additionalAuthentications = ((auth.Additional ?? []) as Record<string, unknown>[]).map(provider);

  if (p.SchemaInline !== undefined && p.SchemaUri !== undefined) {
    fail(at, "Both 'SchemaInline' and 'SchemaUri' cannot be defined at the same time.");
  }
  if (typeof p.SchemaInline === 'string') target.schemaFiles.push(ctx.inlineFile(p.SchemaInline, '.graphql'));
  else if (typeof p.SchemaUri === 'string' && !p.SchemaUri.startsWith('s3://')) target.schemaFiles.push(p.SchemaUri);
  else fail(at, "One of 'SchemaInline' or 'SchemaUri' (a local path; S3 exists only on AWS) must be set.");

  for (const name of Object.keys((p.ApiKeys ?? {}) as Record<string, unknown>)) {
    target.apiKeys.push({ name: `${id}${name}` });
  }

  const sources = (p.DataSources ?? {}) as {
    DynamoDb?: Record<string, Record<string, unknown>>;
    Lambda?: Record<string, Record<string, unknown>>;
  };
  /** SAM names a data source `Name` or its key; functions refer to it by key. */
  const sourceNames = new Map<string, string>();
  for (const [key, ds] of Object.entries(sources.DynamoDb ?? {})) {
    const name = typeof ds.Name === 'string' ? ds.Name : key;
    const dsAt: KeyPath = [...at, 'DataSources', 'DynamoDb', key];
    if (ds.DeltaSync !== undefined || ds.Versioned !== undefined) {
      fail(
        [...dsAt, ds.DeltaSync !== undefined ? 'DeltaSync' : 'Versioned'],
        'versioned data sources are not run by Syncline yet',
      );
    }
    target.dataSources[name] = { type: 'AMAZON_DYNAMODB', config: { tableName: String(ds.TableName) } };
    sourceNames.set(key, name);
    for (const k of ['ServiceRoleArn', 'Permissions', 'TableArn', 'UseCallerCredentials', 'Region']) {
      if (k in ds) ctx.ignored(`${id}.DataSources.DynamoDb.${key}.${k}`);
    }
  }
  for (const [key, ds] of Object.entries(sources.Lambda ?? {})) {
    const name = typeof ds.Name === 'string' ? ds.Name : key;
    const fn = ctx.functionFor(String(ds.FunctionArn));
    if (!fn)
      fail(
        [...at, 'DataSources', 'Lambda', key, 'FunctionArn'],
        `${String(ds.FunctionArn)}: no function of this template`,
      );
    target.dataSources[name] = { type: 'AWS_LAMBDA', config: { functionName: fn as string } };
    sourceNames.set(key, name);
    if ('ServiceRoleArn' in ds) ctx.ignored(`${id}.DataSources.Lambda.${key}.ServiceRoleArn`);
  }

  const runtime = (r: Record<string, unknown>, rAt: KeyPath) => {
    const rt = r.Runtime as { Name?: unknown } | undefined;
    if (!rt) fail(rAt, "'Runtime' must be defined");
    if (rt?.Name !== 'APPSYNC_JS') fail([...rAt, 'Runtime', 'Name'], 'is APPSYNC_JS');
  };
  const code = (r: Record<string, unknown>, rAt: KeyPath): string | undefined => {
    if (r.InlineCode !== undefined && r.CodeUri !== undefined) {
      fail(rAt, "Both 'InlineCode' and 'CodeUri' cannot be defined at the same time.");
    }
    if (typeof r.InlineCode === 'string') return ctx.inlineFile(r.InlineCode, '.js');
    if (typeof r.CodeUri === 'string') {
      if (r.CodeUri.startsWith('s3://')) fail([...rAt, 'CodeUri'], 'is a local path here (S3 exists only on AWS)');
      return r.CodeUri;
    }
    return undefined;
  };

  let noneSource: string | undefined;
  const functionIds = new Map<string, string>();
  for (const [key, f] of Object.entries((p.Functions ?? {}) as Record<string, Record<string, unknown>>)) {
    const fAt: KeyPath = [...at, 'Functions', key];
    if (f.Id !== undefined) fail([...fAt, 'Id'], 'functions defined outside this API are not read yet; define it here');
    runtime(f, fAt);
    const source = f.DataSource ?? f.DataSourceName;
    let dataSource: string;
    if (typeof source === 'string' && source.toLowerCase() === 'none') {
      noneSource ??= `${id}NoneDataSource`;
      target.dataSources[noneSource] = { type: 'NONE' };
      dataSource = noneSource;
    } else if (typeof source === 'string' && sourceNames.has(source)) {
      dataSource = sourceNames.get(source) as string;
    } else if (typeof source === 'string') {
      // `!GetAtt Other.Name` of an AWS::AppSync::DataSource: checked once every resource is read.
      dataSource = source;
    } else {
      return fail([...fAt, 'DataSource'], "'DataSource' must be set.");
    }
    const file = code(f, fAt) ?? fail(fAt, "One of 'InlineCode' or 'CodeUri' must be set.");
    const functionId = `${id}${key}`;
    target.pipelineFunctions[functionId] = { dataSource, code: file };
    functionIds.set(key, functionId);
    if ('MaxBatchSize' in f || 'Sync' in f)
      ctx.ignored(`${id}.Functions.${key}.${'Sync' in f ? 'Sync' : 'MaxBatchSize'}`);
  }

  for (const [typeName, fields] of Object.entries(
    (p.Resolvers ?? {}) as Record<string, Record<string, Record<string, unknown>>>,
  )) {
    for (const [key, r] of Object.entries(fields)) {
      const rAt: KeyPath = [...at, 'Resolvers', typeName, key];
      runtime(r, rAt);
      const pipeline = r.Pipeline as string[] | undefined;
      if (!pipeline) {
        fail(
          rAt,
          `Resolver '${key}' must have Pipeline defined. Unit resolvers are not supported. If you need a Unit resolver you can use AppSync resource.`,
        );
      }
      const functions = (pipeline as string[]).map(
        (f, i) => functionIds.get(f) ?? fail([...rAt, 'Pipeline', i], `Function '${f}' does not exist.`),
      );
      const fieldName = typeof r.FieldName === 'string' ? r.FieldName : key;
      target.resolvers[`${typeName}.${fieldName}`] = {
        kind: 'PIPELINE',
        functions,
        code: code(r, rAt) ?? ctx.inlineFile(DEFAULT_RESOLVER_CODE, '.js'),
      };
      if ('Caching' in r || 'MaxBatchSize' in r || 'Sync' in r) ctx.ignored(`${id}.Resolvers.${typeName}.${key}`);
    }
  }
  for (const k of ['Logging', 'XrayEnabled', 'Tags', 'DomainName', 'Cache']) if (k in p) ctx.ignored(`${id}.${k}`);
  return { authentication, additionalAuthentications };
}
