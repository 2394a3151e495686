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
  type: 'NONE' | 'AMAZON_DYNAMODB' | 'AWS_LAMBDA' | 'HTTP';
  config: Record<string, unknown>;
}

export interface CodeModel {
  /** Absolute path of the APPSYNC_JS module (JS or TS). */
  file: string;
}

export interface UnitResolverModel {
  kind: 'UNIT';
  typeName: string;
  fieldName: string;
  dataSource: string;
  code?: CodeModel;
}

export interface PipelineResolverModel {
  kind: 'PIPELINE';
  typeName: string;
  fieldName: string;
  code?: CodeModel;
  functions: string[];
}

export type ResolverModel = UnitResolverModel | PipelineResolverModel;

export interface PipelineFunctionModel {
  name: string;
  dataSource: string;
  code: CodeModel;
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
}

export interface AppModel {
  name: string;
  region: string;
  /** Absolute path of the app folder. */
  dir: string;
  /** Absolute path of the config file it came from, for error messages. */
  configFile: string;
  /** Keyed by the id used in the config (`tables.Orders`). */
  tables: Record<string, TableModel>;
  graphql?: GraphqlModel;
}
