// The resolved, validated app: everything below `app/` reads this and never a config file.

export type AuthType = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export interface ApiKeyModel {
  name: string;
  value: string;
  /** Epoch seconds; undefined = never expires (local development only). */
  expiresAt?: number;
}

export interface AuthProviderModel {
  type: AuthType;
  /** Mode-specific settings (userPoolConfig, openIdConnectConfig, lambdaAuthorizerConfig); checked by auth/. */
  config?: Record<string, unknown>;
}

export interface DataSourceModel {
  name: string;
  type:
    | 'NONE'
    | 'AMAZON_DYNAMODB'
    | 'AWS_LAMBDA'
    | 'HTTP'
    | 'RELATIONAL_DATABASE'
    | 'AMAZON_OPENSEARCH_SERVICE'
    | 'AMAZON_ELASTICSEARCH'
    | 'AMAZON_EVENTBRIDGE';
  config: Record<string, unknown>;
}

export interface CodeModel {
  /** Absolute path of the APPSYNC_JS module (JS or TS). */
  file: string;
}

/** VTL mapping templates, as text (the loaders read the files); a resolver or function has these or `code`. */
export interface TemplatesModel {
  /** Where they come from (the request template's path), for errors and logs. */
  source: string;
  request?: string;
  response?: string;
}

export interface UnitResolverModel {
  kind: 'UNIT';
  typeName: string;
  fieldName: string;
  dataSource: string;
  code?: CodeModel;
  templates?: TemplatesModel;
  /** AppSync's maxBatchSize (0–2000): payloads per BatchInvoke; on a direct Lambda resolver, turns batching on. */
  maxBatchSize?: number;
  /** AppSync's per-resolver CachingConfig (graphql/apiCache.ts). */
  caching?: ResolverCachingModel;
}

export interface ResolverCachingModel {
  /** Seconds, 1–3600; absent: the API's ttl. */
  ttl?: number;
  /** `$context.arguments.x`, `$context.source.x`, `$context.identity.x`; absent: arguments and identity. */
  keys?: string[];
}

/** AppSync's API cache, in memory on each node. */
export interface ApiCachingModel {
  behavior: 'FULL_REQUEST_CACHING' | 'PER_RESOLVER_CACHING';
  /** Seconds, 1–3600. */
  ttl: number;
  /** Entries kept on one node before the least recently used goes (Syncline's bound; AppSync sizes by instance). */
  maxEntries?: number;
}

export interface PipelineResolverModel {
  kind: 'PIPELINE';
  typeName: string;
  fieldName: string;
  code?: CodeModel;
  templates?: TemplatesModel;
  functions: string[];
  caching?: ResolverCachingModel;
}

export type ResolverModel = UnitResolverModel | PipelineResolverModel;

export interface PipelineFunctionModel {
  name: string;
  dataSource: string;
  /** APPSYNC_JS code, or else `templates`. */
  code?: CodeModel;
  templates?: TemplatesModel;
  /** AppSync's maxBatchSize (0–2000): payloads per BatchInvoke. */
  maxBatchSize?: number;
}

export interface GraphqlModel {
  /** Absolute paths of the schema files, merged in order. */
  schemaFiles: string[];
  authentication: AuthProviderModel;
  additionalAuthentications: AuthProviderModel[];
  apiKeys: ApiKeyModel[];
  dataSources: Record<string, DataSourceModel>;
  resolvers: ResolverModel[];
  pipelineFunctions: Record<string, PipelineFunctionModel>;
  /** Values for `ctx.env`. */
  environment: Record<string, string>;
  /** AppSync's API-level GraphQL limits (graphql/limits.ts); absent means AppSync's defaults. */
  limits?: GraphqlLimitsModel;
  /** AppSync's API cache; absent: nothing is cached. */
  caching?: ApiCachingModel;
}

export interface GraphqlLimitsModel {
  /** 1–75 levels; 0 turns the check off, as AppSync's default. */
  queryDepthLimit: number;
  /** Resolver invocations per request; AppSync's default and maximum 10,000 (0 means the default). */
  resolverCountLimit: number;
  /** AppSync's introspectionConfig: false refuses `__schema` and `__type`. */
  introspection: boolean;
}

export interface KeyAttributeModel {
  name: string;
  type: 'S' | 'N' | 'B';
}

export interface IndexModel {
  partitionKey: KeyAttributeModel;
  sortKey?: KeyAttributeModel;
  projection: 'ALL' | 'KEYS_ONLY' | { include: string[] };
}

export interface TableModel {
  /** The DynamoDB table name. */
  name: string;
  partitionKey: KeyAttributeModel;
  sortKey?: KeyAttributeModel;
  globalIndexes: Record<string, IndexModel>;
  localIndexes: Record<string, IndexModel>;
  /** The TTL attribute (epoch seconds). */
  ttl?: string;
  stream?: 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';
}

export interface HttpEventModel {
  type: 'http';
  /** Upper case; 'ANY' matches every method. */
  method: string;
  /** As written: '/orders/{id}', '/files/{proxy+}'. */
  path: string;
  payload: '1.0' | '2.0';
}

/** A DynamoDB stream event source mapping, with Lambda's defaults applied. */
export interface StreamEventModel {
  type: 'stream';
  /** The table's key under `tables`. */
  table: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  parallelizationFactor: number;
  /** -1 = retry until the record expires. */
  maximumRetryAttempts: number;
  /** -1 = no limit. */
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  onFailure?: { function: string } | { table: string };
  filterPatterns: Record<string, unknown>[];
  tumblingWindowInSeconds: number;
  enabled: boolean;
}

export interface ScheduleEventModel {
  type: 'schedule';
  /** `rate(5 minutes)` or `cron(0 12 * * ? *)`, EventBridge syntax. */
  expression: string;
  enabled: boolean;
  input?: unknown;
}

/** An EventBridge rule on one of the app's buses whose target is the function (invoked asynchronously). */
export interface EventBridgeEventModel {
  type: 'eventBridge';
  /** `default` or a name under `eventBuses`. */
  eventBus: string;
  /** EventBridge event pattern. */
  pattern: Record<string, unknown>;
  enabled: boolean;
}

export type FunctionEventModel = HttpEventModel | StreamEventModel | ScheduleEventModel | EventBridgeEventModel;

export interface FunctionModel {
  /** The key under `functions`. */
  name: string;
  /** Absolute path of the handler module and the export to call. */
  handler: { file: string; export: string };
  /**
   * The function's own code folder (SAM `CodeUri`): packages resolve from its node_modules first, as from
   * /var/task on Lambda. Undefined: the app folder.
   */
  codeRoot?: string;
  /** Seconds; Lambda's default is 3. */
  timeout: number;
  /** MB; Lambda's default is 128. */
  memorySize: number;
  /** Values as written; `${...}` references are resolved by the functions runtime when the server knows its URLs. */
  environment: Record<string, string>;
  reservedConcurrency?: number;
  /**
   * Serverless `package.patterns` that apply to this function's package (the service's, and its own when packaged
   * individually), over files relative to `root`: imports of files they leave out are refused, as on Lambda.
   */
  packagePatterns?: { root: string; patterns: string[] };
  /** Absolute folders of the function's layers, in order (each laid out as /opt is on Lambda). */
  layers?: string[];
  /** What happens to asynchronous invocations (Lambda's event invoke config). */
  async: AsyncInvokeModel;
  events: FunctionEventModel[];
}

export interface AsyncInvokeModel {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  /** Names of functions of this app. */
  onSuccess?: string;
  onFailure?: string;
}

export interface CorsModel {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAge?: number;
}

export interface WebModel {
  /** Absolute path of the folder served at `/`. */
  dir: string;
  /** Shell command that writes `dir`, run in the app folder; undefined when `dir` is served as it is. */
  build?: string;
}

export interface AppModel {
  name: string;
  region: string;
  /** Absolute path of the app folder. */
  dir: string;
  /** Absolute path of the config file it came from, for error messages. */
  configFile: string;
  /** Which definition format it was read from. */
  format?: 'syncline.config' | 'serverless' | 'cloudformation' | 'cdk';
  /**
   * What the definition asks for that only AWS provides and Syncline accepts without running (logging, WAF,
   * X-Ray…), one line each, for the CLI to print once; empty for a syncline.config app.
   */
  notices?: string[];
  /** Keyed by the id used in the config (`tables.Orders`). */
  tables: Record<string, TableModel>;
  functions: Record<string, FunctionModel>;
  /** EventBridge buses besides `default`. */
  eventBuses?: string[];
  /** CORS for the functions' HTTP routes; null when not configured. */
  httpCors: CorsModel | null;
  /** The browser app served at `/`. */
  web?: WebModel;
  graphql?: GraphqlModel;
}
