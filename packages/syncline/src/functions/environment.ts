// A function's process environment: what Lambda sets (region, name, memory, log group, credentials), endpoints
// that point the AWS SDK at this server, and the user's variables with their `${...}` references resolved.
// References are checked when the server starts (a typo is a config error naming the function and key) and
// resolved when the first instance starts, once the server knows its URLs.
import { AppConfigError } from '../app/errors.js';
import type { AppModel, FunctionModel } from '../app/model.js';
import type { FunctionCredentials } from './credentials.js';

/** What references resolve against; the URLs exist only once the server listens. */
export interface EnvironmentSources {
  app: AppModel;
  graphqlUrl?: string;
  realtimeUrl?: string;
  httpUrl: string;
  /** The table's description fields (TableArn, LatestStreamArn) by DynamoDB table name. */
  describeTable(tableName: string): { TableArn?: string; LatestStreamArn?: string };
}

/** Keys Lambda sets itself and refuses in a function's configuration. */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

const REFERENCE = /\$\{([^}]*)\}/g;

type Resolver = (sources: EnvironmentSources) => string;

/** Parses one `${...}` reference; throws AppConfigError for anything unknown. */
function reference(app: AppModel, fn: string, key: string, ref: string, processEnv: NodeJS.ProcessEnv): Resolver {
  const fail = (detail: string) => new AppConfigError(app.configFile, `functions.${fn}.environment.${key}`, detail);
  const env = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
  if (env) {
    const value = processEnv[env[1]];
    if (value === undefined) throw fail(`\${${ref}}: environment variable ${env[1]} is not set`);
    return () => value;
  }
  const table = /^tables\.([^.]+)\.(name|arn|streamArn)$/.exec(ref);
  if (table) {
    const [, id, attribute] = table;
    const model = app.tables[id] ?? Object.values(app.tables).find((t) => t.name === id);
    if (!model) throw fail(`\${${ref}}: no table "${id}" is declared under tables`);
    if (attribute === 'name') return () => model.name;
    if (attribute === 'streamArn' && !model.stream) {
      throw fail(`\${${ref}}: table ${id} has no stream; set tables.${id}.stream`);
    }
    return (s) => {
      const d = s.describeTable(model.name);
      return (attribute === 'arn' ? d.TableArn : d.LatestStreamArn) ?? '';
    };
  }
  if (ref === 'graphql.url' || ref === 'graphql.realtimeUrl' || ref === 'graphql.apiKey') {
    if (!app.graphql) throw fail(`\${${ref}}: the app declares no graphql API`);
    if (ref === 'graphql.apiKey') {
      const key = app.graphql.apiKeys[0]?.value;
      if (!key) throw fail(`\${${ref}}: the graphql API has no API key (API_KEY authentication is not enabled)`);
      return () => key;
    }
    return (s) => (ref === 'graphql.url' ? s.graphqlUrl : s.realtimeUrl) ?? '';
  }
  if (ref === 'http.url') return (s) => s.httpUrl;
  throw fail(
    `unknown reference \${${ref}} (known: \${tables.<id>.name|arn|streamArn}, \${graphql.url}, \${graphql.realtimeUrl}, \${graphql.apiKey}, \${http.url}, \${env:NAME})`,
  );
}

export type EnvironmentTemplate = (sources: EnvironmentSources) => Record<string, string>;

/** Checks a function's variables now and returns what resolves them later. */
export function compileEnvironment(
  app: AppModel,
  fn: FunctionModel,
  processEnv: NodeJS.ProcessEnv,
): EnvironmentTemplate {
  const entries: [string, (string | Resolver)[]][] = [];
  for (const [key, value] of Object.entries(fn.environment)) {
    if (RESERVED.has(key)) {
      throw new AppConfigError(
        app.configFile,
        `functions.${fn.name}.environment.${key}`,
        `${key} is reserved: Lambda sets it for every function`,
      );
    }
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
      throw new AppConfigError(
        app.configFile,
        `functions.${fn.name}.environment.${key}`,
        'a variable name starts with a letter and holds letters, digits and _',
      );
    }
    const parts: (string | Resolver)[] = [];
    let last = 0;
    for (const m of value.matchAll(REFERENCE)) {
      if (m.index > last) parts.push(value.slice(last, m.index));
      parts.push(reference(app, fn.name, key, m[1].trim(), processEnv));
      last = m.index + m[0].length;
    }
    if (last < value.length) parts.push(value.slice(last));
    entries.push([key, parts]);
  }
  return (sources) => {
    const out: Record<string, string> = {};
    for (const [key, parts] of entries) {
      out[key] = parts.map((p) => (typeof p === 'string' ? p : p(sources))).join('');
    }
    return out;
  };
}

/** Lambda's own variables for one instance; the user's variables are laid over them by the caller. */
export function lambdaEnvironment(
  app: AppModel,
  fn: FunctionModel,
  credentials: FunctionCredentials,
  endpoint: string,
  logStreamName: string,
  processEnv: NodeJS.ProcessEnv,
): Record<string, string> {
  const handler = fn.handler.file.startsWith(app.dir)
    ? `${fn.handler.file.slice(app.dir.length + 1).replace(/\.[cm]?[jt]s$/, '')}.${fn.handler.export}`
    : `${fn.handler.file}.${fn.handler.export}`;
  const env: Record<string, string> = {
    AWS_REGION: app.region,
    AWS_DEFAULT_REGION: app.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
    LAMBDA_TASK_ROOT: app.dir,
    _HANDLER: handler,
    LANG: 'en_US.UTF-8',
    NODE_ENV: processEnv.NODE_ENV ?? '',
  };
  // The shell's PATH and HOME keep tools and OS lookups working; nothing else of the developer's environment
  // (AWS_PROFILE, tokens) leaks into a function, as nothing of it would exist on Lambda.
  if (processEnv.PATH) env.PATH = processEnv.PATH;
  if (processEnv.HOME) env.HOME = processEnv.HOME;
  if (!env.NODE_ENV) delete env.NODE_ENV;
  return env;
}
