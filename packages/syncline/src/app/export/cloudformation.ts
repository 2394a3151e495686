// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and CloudFormation's reference syntax.
// The other direction: a Syncline app as a CloudFormation template that `aws cloudformation package` and
// `deploy` take to AWS unchanged. Functions are bundled with esbuild into one ES module per function (the AWS SDK
// left to Lambda's runtime), resolvers into one APPSYNC_JS module each (`@aws-appsync/utils` left to AppSync),
// and every role is scoped to what the app declares the code uses.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { AppConfigError } from '../errors.js';
import type { AppModel, AuthProviderModel, FunctionModel, TableModel, TemplatesModel } from '../model.js';

export interface ExportOptions {
  /** Folder the template is written to (or, for stdout, the current folder): code paths are relative to it. */
  templateDir: string;
  /** Folder the function bundles are written under, one subfolder per function. */
  codeDir: string;
}

export interface ExportResult {
  template: Record<string, unknown>;
  /** What has no CloudFormation equivalent and was left out, one line each. */
  notes: string[];
}

type Json = Record<string, unknown>;
const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });
const LAMBDA_BASIC = 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

export async function exportCloudFormation(app: AppModel, options: ExportOptions): Promise<ExportResult> {
  const resources: Record<string, Json> = {};
  const outputs: Record<string, Json> = {};
  const notes: string[] = [];
  const ids = new Set<string>();
  /** A CloudFormation logical id (alphanumeric) for a name, unique in the template. */
  const idFor = (name: string, suffix: string): string => {
    const base = `${name.replace(/[^A-Za-z0-9]/g, '') || 'R'}${suffix}`;
    let id = base;
    for (let i = 2; ids.has(id); i++) id = `${base}${i}`;
    ids.add(id);
    return id;
  };
  const add = (id: string, resource: Json) => {
    resources[id] = resource;
    return id;
  };

  const tableIds = new Map<string, string>();
  for (const [key, table] of Object.entries(app.tables)) {
    tableIds.set(key, add(idFor(key, 'Table'), { Type: 'AWS::DynamoDB::Table', Properties: tableProperties(table) }));
  }
  const tableId = (key: string) => {
    const id = tableIds.get(key);
    if (!id) throw new AppConfigError(app.configFile, `tables.${key}`, 'no such table');
    return id;
  };
  const tableArns = (key: string) => [getAtt(tableId(key), 'Arn'), { 'Fn::Sub': `\${${tableId(key)}.Arn}/index/*` }];

  const apiId = app.graphql ? idFor(app.name, 'Api') : undefined;
  const functionIds = new Map<string, string>();
  for (const name of Object.keys(app.functions)) functionIds.set(name, idFor(name, 'Function'));
  const functionId = (name: string) => {
    const id = functionIds.get(name);
    if (!id) throw new AppConfigError(app.configFile, `functions.${name}`, 'no such function');
    return id;
  };
  const httpEvents = Object.values(app.functions).flatMap((f) =>
    f.events.filter((e) => e.type === 'http').map((e) => ({ fn: f, event: e })),
  );
  const httpApiId = httpEvents.length ? idFor('Http', 'Api') : undefined;
  let apiKeyId: string | undefined;

  /** A Syncline environment value with `${...}` references as a CloudFormation value. */
  const envValue = (fn: string, value: string, uses: Set<string>): unknown => {
    const parts: unknown[] = [];
    let last = 0;
    for (const m of value.matchAll(/\$\{([^}]+)\}/g)) {
      if (m.index > last) parts.push(value.slice(last, m.index));
      parts.push(reference(fn, m[1], uses));
      last = m.index + m[0].length;
    }
    if (last < value.length) parts.push(value.slice(last));
    if (parts.every((p) => typeof p === 'string')) return parts.join('');
    return parts.length === 1 ? parts[0] : { 'Fn::Join': ['', parts] };
  };
  const reference = (fn: string, text: string, uses: Set<string>): unknown => {
    const at = `functions.${fn}.environment`;
    const table = /^tables\.([^.]+)\.(name|arn|streamArn)$/.exec(text);
    if (table) {
      uses.add(`table:${table[1]}`);
      const id = tableId(table[1]);
      return table[2] === 'name' ? ref(id) : getAtt(id, table[2] === 'arn' ? 'Arn' : 'StreamArn');
    }
    if (text.startsWith('graphql.') && apiId) {
      const attribute = { 'graphql.url': 'GraphQLUrl', 'graphql.realtimeUrl': 'RealtimeUrl' }[text];
      if (attribute) {
        uses.add('graphql');
        return getAtt(apiId, attribute);
      }
      if (text === 'graphql.apiKey' && apiKeyId) return getAtt(apiKeyId, 'ApiKey');
    }
    if (text === 'http.url' && httpApiId) return getAtt(httpApiId, 'ApiEndpoint');
    const env = /^env:(\w+)$/.exec(text);
    if (env) {
      // The value is the deployer's to give: a parameter, never the exporting machine's environment.
      const param = `Env${env[1].replace(/[^A-Za-z0-9]/g, '')}`;
      parameters[param] = { Type: 'String', NoEcho: true, Description: `\${env:${env[1]}} of function ${fn}` };
      return ref(param);
    }
    throw new AppConfigError(app.configFile, at, `\${${text}} has no CloudFormation equivalent`);
  };
  const parameters: Record<string, Json> = {};

  // The GraphQL API first: functions' environments refer to it.
  if (app.graphql && apiId) {
    const g = app.graphql;
    const lambdaAuthorizers: string[] = [];
    const provider = (p: AuthProviderModel): Json => authProvider(p, functionId, lambdaAuthorizers);
    const { AuthenticationType, ...main } = provider(g.authentication);
    add(apiId, {
      Type: 'AWS::AppSync::GraphQLApi',
      Properties: {
        Name: app.name,
        AuthenticationType,
        ...main,
        ...(g.additionalAuthentications.length
          ? { AdditionalAuthenticationProviders: g.additionalAuthentications.map(provider) }
          : {}),
        ...(Object.keys(g.environment).length ? { EnvironmentVariables: g.environment } : {}),
        ...(g.limits?.queryDepthLimit ? { QueryDepthLimit: g.limits.queryDepthLimit } : {}),
        ...(g.limits?.resolverCountLimit ? { ResolverCountLimit: g.limits.resolverCountLimit } : {}),
        ...(g.limits && !g.limits.introspection ? { IntrospectionConfig: 'DISABLED' } : {}),
      },
    });
    for (const fn of lambdaAuthorizers) {
      add(idFor(fn, 'AuthorizerPermission'), {
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: getAtt(functionId(fn), 'Arn'),
          Principal: 'appsync.amazonaws.com',
          SourceArn: getAtt(apiId, 'Arn'),
        },
      });
    }
    const schemaId = add(idFor(app.name, 'Schema'), {
      Type: 'AWS::AppSync::GraphQLSchema',
      Properties: {
        ApiId: getAtt(apiId, 'ApiId'),
        Definition: g.schemaFiles.map((f) => readFileSync(f, 'utf8')).join('\n'),
      },
    });
    for (const key of g.apiKeys) {
      const id = add(idFor(key.name, 'ApiKey'), {
        Type: 'AWS::AppSync::ApiKey',
        Properties: { ApiId: getAtt(apiId, 'ApiId'), Description: key.name },
      });
      apiKeyId ??= id;
      outputs[id] = { Value: getAtt(id, 'ApiKey') };
    }
    const dataSourceIds = new Map<string, string>();
    for (const ds of Object.values(g.dataSources)) {
      const id = idFor(ds.name, 'DataSource');
      dataSourceIds.set(ds.name, id);
      const Name = ds.name.replace(/[^A-Za-z0-9_]/g, '_');
      const base = { ApiId: getAtt(apiId, 'ApiId'), Name };
      if (ds.type === 'NONE') {
        add(id, { Type: 'AWS::AppSync::DataSource', Properties: { ...base, Type: 'NONE' } });
        continue;
      }
      const roleId = idFor(ds.name, 'DataSourceRole');
      if (ds.type === 'AMAZON_DYNAMODB') {
        const table = String(ds.config.tableName);
        const key = tableIds.has(table) ? table : Object.keys(app.tables).find((k) => app.tables[k].name === table);
        if (!key) throw new AppConfigError(app.configFile, `graphql.dataSources.${ds.name}`, `no table ${table}`);
        add(
          roleId,
          role('appsync.amazonaws.com', [{ Effect: 'Allow', Action: TABLE_ACTIONS, Resource: tableArns(key) }]),
        );
        add(id, {
          Type: 'AWS::AppSync::DataSource',
          Properties: {
            ...base,
            Type: 'AMAZON_DYNAMODB',
            DynamoDBConfig: { TableName: ref(tableId(key)), AwsRegion: ref('AWS::Region') },
            ServiceRoleArn: getAtt(roleId, 'Arn'),
          },
        });
      } else if (ds.type === 'AWS_LAMBDA') {
        const target = functionId(String(ds.config.functionName));
        add(
          roleId,
          role('appsync.amazonaws.com', [
            { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: getAtt(target, 'Arn') },
          ]),
        );
        add(id, {
          Type: 'AWS::AppSync::DataSource',
          Properties: {
            ...base,
            Type: 'AWS_LAMBDA',
            LambdaConfig: { LambdaFunctionArn: getAtt(target, 'Arn') },
            ServiceRoleArn: getAtt(roleId, 'Arn'),
          },
        });
      } else {
        throw new AppConfigError(
          app.configFile,
          `graphql.dataSources.${ds.name}.type`,
          `${ds.type} data sources are not exported yet`,
        );
      }
    }
    const dsName = (name: string) => getAtt(dataSourceIds.get(name) as string, 'Name');
    const functionConfigIds = new Map<string, string>();
    for (const f of Object.values(g.pipelineFunctions)) {
      const id = add(idFor(f.name, 'PipelineFunction'), {
        Type: 'AWS::AppSync::FunctionConfiguration',
        DependsOn: [schemaId],
        Properties: {
          ApiId: getAtt(apiId, 'ApiId'),
          Name: f.name.replace(/[^A-Za-z0-9_]/g, '_'),
          DataSourceName: dsName(f.dataSource),
          ...(f.code
            ? { Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' }, Code: await bundleResolver(f.code.file) }
            : { FunctionVersion: '2018-05-29', ...mappingTemplates(f.templates) }),
          ...(f.maxBatchSize ? { MaxBatchSize: f.maxBatchSize } : {}),
        },
      });
      functionConfigIds.set(f.name, id);
    }
    for (const r of g.resolvers) {
      const common = {
        ApiId: getAtt(apiId, 'ApiId'),
        TypeName: r.typeName,
        FieldName: r.fieldName,
      };
      const code = r.code ? await bundleResolver(r.code.file) : undefined;
      const js = (text: string) => ({ Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' }, Code: text });
      let properties: Json;
      if (r.kind === 'PIPELINE') {
        properties = {
          ...common,
          Kind: 'PIPELINE',
          PipelineConfig: {
            Functions: r.functions.map((f) => getAtt(functionConfigIds.get(f) as string, 'FunctionId')),
          },
          // AppSync needs code or templates on a pipeline; Syncline's default passes the last result through.
          ...(r.templates ? mappingTemplates(r.templates) : js(code ?? PIPELINE_DEFAULT)),
        };
      } else {
        const ds = g.dataSources[r.dataSource];
        properties = {
          ...common,
          Kind: 'UNIT',
          DataSourceName: dsName(r.dataSource),
          // No code on a Lambda data source is a direct Lambda resolver, on AWS as here.
          ...(r.templates
            ? mappingTemplates(r.templates)
            : code
              ? js(code)
              : ds?.type === 'AWS_LAMBDA'
                ? {}
                : js(UNIT_DEFAULT)),
          ...(r.maxBatchSize ? { MaxBatchSize: r.maxBatchSize } : {}),
        };
      }
      add(idFor(`${r.typeName}${r.fieldName}`, 'Resolver'), {
        Type: 'AWS::AppSync::Resolver',
        DependsOn: [schemaId],
        Properties: properties,
      });
    }
    outputs.GraphQLUrl = { Value: getAtt(apiId, 'GraphQLUrl') };
  }

  // Functions, their roles and their triggers.
  if (httpApiId) {
    const cors = app.httpCors;
    add(httpApiId, {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: {
        Name: `${app.name}-http`,
        ProtocolType: 'HTTP',
        ...(cors
          ? {
              CorsConfiguration: {
                AllowOrigins: cors.allowOrigins,
                AllowMethods: cors.allowMethods,
                AllowHeaders: cors.allowHeaders,
                ExposeHeaders: cors.exposeHeaders,
                AllowCredentials: cors.allowCredentials,
                ...(cors.maxAge === undefined ? {} : { MaxAge: cors.maxAge }),
              },
            }
          : {}),
      },
    });
    add(idFor('Http', 'Stage'), {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: ref(httpApiId), StageName: '$default', AutoDeploy: true },
    });
    outputs.HttpApiUrl = { Value: getAtt(httpApiId, 'ApiEndpoint') };
  }
  for (const fn of Object.values(app.functions)) {
    const id = functionId(fn.name);
    const uses = new Set<string>();
    const variables = Object.fromEntries(
      Object.entries(fn.environment).map(([k, v]) => [k, envValue(fn.name, v, uses)]),
    );
    const statements: Json[] = [];
    for (const use of uses) {
      if (use.startsWith('table:')) {
        statements.push({ Effect: 'Allow', Action: TABLE_ACTIONS, Resource: tableArns(use.slice(6)) });
      } else if (use === 'graphql' && apiId) {
        // The function calls the API it is told the URL of: signed requests need appsync:GraphQL on its fields.
        statements.push({
          Effect: 'Allow',
          Action: 'appsync:GraphQL',
          Resource: { 'Fn::Sub': `\${${apiId}.Arn}/types/*/fields/*` },
        });
      }
    }
    for (const e of fn.events) {
      if (e.type !== 'stream') continue;
      statements.push({
        Effect: 'Allow',
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
        Resource: getAtt(tableId(e.table), 'StreamArn'),
      });
    }
    for (const target of [fn.async.onSuccess, fn.async.onFailure]) {
      if (target) {
        statements.push({
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: getAtt(functionId(target), 'Arn'),
        });
      }
    }
    const roleId = add(idFor(fn.name, 'Role'), role('lambda.amazonaws.com', statements, [LAMBDA_BASIC]));
    const codeFolder = await bundleFunction(fn, join(options.codeDir, fn.name));
    add(id, {
      Type: 'AWS::Lambda::Function',
      Properties: {
        // A local folder: `aws cloudformation package` uploads it and writes the S3 location.
        Code: relative(options.templateDir, codeFolder).split(sep).join('/'),
        Handler: `index.${fn.handler.export}`,
        Runtime: 'nodejs20.x',
        Timeout: fn.timeout,
        MemorySize: fn.memorySize,
        Role: getAtt(roleId, 'Arn'),
        ...(Object.keys(variables).length ? { Environment: { Variables: variables } } : {}),
        ...(fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency }),
      },
    });
    const a = fn.async;
    if (a.maximumRetryAttempts !== 2 || a.maximumEventAgeSeconds !== 21_600 || a.onSuccess || a.onFailure) {
      const destination = (f?: string) => (f ? { Destination: getAtt(functionId(f), 'Arn') } : undefined);
      add(idFor(fn.name, 'EventInvokeConfig'), {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: {
          FunctionName: ref(id),
          Qualifier: '$LATEST',
          MaximumRetryAttempts: a.maximumRetryAttempts,
          MaximumEventAgeInSeconds: a.maximumEventAgeSeconds,
          ...(a.onSuccess || a.onFailure
            ? {
                DestinationConfig: {
                  ...(a.onSuccess ? { OnSuccess: destination(a.onSuccess) } : {}),
                  ...(a.onFailure ? { OnFailure: destination(a.onFailure) } : {}),
                },
              }
            : {}),
        },
      });
    }
    let route = 0;
    for (const e of fn.events) {
      if (e.type === 'http' && httpApiId) {
        const integration = add(idFor(`${fn.name}${route}`, 'Integration'), {
          Type: 'AWS::ApiGatewayV2::Integration',
          Properties: {
            ApiId: ref(httpApiId),
            IntegrationType: 'AWS_PROXY',
            IntegrationUri: getAtt(id, 'Arn'),
            PayloadFormatVersion: e.payload,
          },
        });
        add(idFor(`${fn.name}${route}`, 'Route'), {
          Type: 'AWS::ApiGatewayV2::Route',
          Properties: {
            ApiId: ref(httpApiId),
            RouteKey: e.method === 'ANY' && e.path === '/{proxy+}' ? '$default' : `${e.method} ${e.path}`,
            Target: { 'Fn::Join': ['', ['integrations/', ref(integration)]] },
          },
        });
        add(idFor(`${fn.name}${route++}`, 'HttpPermission'), {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: getAtt(id, 'Arn'),
            Principal: 'apigateway.amazonaws.com',
            SourceArn: {
              'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${httpApiId}}/*`,
            },
          },
        });
      } else if (e.type === 'stream') {
        if (e.onFailure) {
          notes.push(
            `functions.${fn.name}: the stream mapping's onFailure (${JSON.stringify(e.onFailure)}) has no CloudFormation form (Lambda sends stream failures to SQS, SNS or S3); left out`,
          );
        }
        add(idFor(`${fn.name}${e.table}`, 'StreamMapping'), {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: {
            FunctionName: ref(id),
            EventSourceArn: getAtt(tableId(e.table), 'StreamArn'),
            StartingPosition: e.startingPosition,
            BatchSize: e.batchSize,
            MaximumBatchingWindowInSeconds: e.maximumBatchingWindowInSeconds,
            ParallelizationFactor: e.parallelizationFactor,
            MaximumRetryAttempts: e.maximumRetryAttempts,
            MaximumRecordAgeInSeconds: e.maximumRecordAgeInSeconds,
            BisectBatchOnFunctionError: e.bisectBatchOnFunctionError,
            TumblingWindowInSeconds: e.tumblingWindowInSeconds,
            Enabled: e.enabled,
            ...(e.reportBatchItemFailures ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
            ...(e.filterPatterns.length
              ? { FilterCriteria: { Filters: e.filterPatterns.map((p) => ({ Pattern: JSON.stringify(p) })) } }
              : {}),
          },
        });
      } else if (e.type === 'schedule') {
        const rule = add(idFor(fn.name, 'Schedule'), {
          Type: 'AWS::Events::Rule',
          Properties: {
            ScheduleExpression: e.expression,
            State: e.enabled ? 'ENABLED' : 'DISABLED',
            Targets: [
              {
                Id: 'function',
                Arn: getAtt(id, 'Arn'),
                ...(e.input === undefined ? {} : { Input: JSON.stringify(e.input) }),
              },
            ],
          },
        });
        add(idFor(fn.name, 'SchedulePermission'), {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            Action: 'lambda:InvokeFunction',
            FunctionName: getAtt(id, 'Arn'),
            Principal: 'events.amazonaws.com',
            SourceArn: getAtt(rule, 'Arn'),
          },
        });
      }
    }
  }
  if (app.web) notes.push(`web: ${app.web.dir} is served by Syncline only; host it on S3 + CloudFront or Amplify`);

  const template: Record<string, unknown> = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${app.name}, exported by syncline export cloudformation`,
    ...(Object.keys(parameters).length ? { Parameters: parameters } : {}),
    Resources: resources,
    Outputs: outputs,
  };
  return { template, notes };
}

const PIPELINE_DEFAULT =
  'export function request() { return {}; }\nexport function response(ctx) { return ctx.prev.result; }\n';
const UNIT_DEFAULT = 'export function request() { return {}; }\nexport function response(ctx) { return ctx.result; }\n';

/** VTL templates go inline, as the Serverless plugin writes them. */
function mappingTemplates(t: TemplatesModel | undefined): Json {
  return {
    ...(t?.request === undefined ? {} : { RequestMappingTemplate: t.request }),
    ...(t?.response === undefined ? {} : { ResponseMappingTemplate: t.response }),
  };
}

function tableProperties(table: TableModel): Json {
  const attributes = new Map<string, string>();
  const keySchema = (pk: TableModel['partitionKey'], sk?: TableModel['partitionKey']) => {
    for (const k of [pk, sk]) if (k) attributes.set(k.name, k.type);
    return [{ AttributeName: pk.name, KeyType: 'HASH' }, ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : [])];
  };
  const index = (name: string, i: TableModel['globalIndexes'][string]) => ({
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
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(table.stream ? { StreamSpecification: { StreamViewType: table.stream } } : {}),
    ...(table.ttl ? { TimeToLiveSpecification: { AttributeName: table.ttl, Enabled: true } } : {}),
  };
}

function role(service: string, statements: Json[], managed: string[] = []): Json {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
      },
      ...(managed.length ? { ManagedPolicyArns: managed.map((arn) => ({ 'Fn::Sub': arn })) } : {}),
      ...(statements.length
        ? { Policies: [{ PolicyName: 'app', PolicyDocument: { Version: '2012-10-17', Statement: statements } }] }
        : {}),
    },
  };
}

function authProvider(p: AuthProviderModel, functionId: (name: string) => string, lambdas: string[]): Json {
  const c = (p.config ?? {}) as Record<string, unknown>;
  const defined = (o: Json) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  switch (p.type) {
    case 'AMAZON_COGNITO_USER_POOLS':
      return {
        AuthenticationType: p.type,
        UserPoolConfig: defined({
          UserPoolId: c.userPoolId,
          AwsRegion: c.awsRegion ?? { Ref: 'AWS::Region' },
          AppIdClientRegex: c.appIdClientRegex,
          DefaultAction: c.defaultAction,
        }),
      };
    case 'OPENID_CONNECT':
      return {
        AuthenticationType: p.type,
        OpenIDConnectConfig: defined({
          Issuer: c.issuer,
          ClientId: c.clientId,
          IatTTL: c.iatTTL || undefined,
          AuthTTL: c.authTTL || undefined,
        }),
      };
    case 'AWS_LAMBDA':
      lambdas.push(String(c.functionName));
      return {
        AuthenticationType: p.type,
        LambdaAuthorizerConfig: defined({
          AuthorizerUri: { 'Fn::GetAtt': [functionId(String(c.functionName)), 'Arn'] },
          AuthorizerResultTtlInSeconds: c.authorizerResultTtlInSeconds,
          IdentityValidationExpression: c.identityValidationExpression,
        }),
      };
    default:
      return { AuthenticationType: p.type };
  }
}

/** One APPSYNC_JS module, as the Serverless plugin and CDK's esbuild recipe bundle it. */
async function bundleResolver(file: string): Promise<string> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** One ES module per function; the AWS SDK v3 stays external because Lambda's Node.js runtime provides it (as CDK's NodejsFunction does). */
export async function bundleFunction(fn: FunctionModel, folder: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const result = await build({
    entryPoints: [fn.handler.file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@aws-sdk/*'],
    // CommonJS packages bundled into ESM need `require` for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
    absWorkingDir: fn.codeRoot,
  });
  writeFileSync(join(folder, 'index.mjs'), result.outputFiles[0].text);
  return folder;
}
