// Runs Amplify Gen 1's GraphQL transformer (the real one from npm, the code `amplify push` runs) on an `@model`
// schema and writes what Amplify deploys as one CloudFormation app folder Syncline's template loader reads:
// `template.json`, `schema.graphql` and `resolvers/*.vtl`, the mapping templates byte for byte as generated.
//
// Amplify deploys a root stack with one nested stack per model (and one for relations). Syncline reads one
// template, so the nested stacks are inlined here: a nested stack's `Ref` to its own Parameters becomes the value
// the root passes, and the root's `Fn::GetAtt <stack>.Outputs.X` becomes the output's value. Templates reach
// AppSync as S3 locations; the asset provider below names local files instead, so every resolver, function and the
// schema are read from the files the transformer wrote, unchanged.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AuthTransformer } from '@aws-amplify/graphql-auth-transformer';
import { IndexTransformer, PrimaryKeyTransformer } from '@aws-amplify/graphql-index-transformer';
import { ModelTransformer } from '@aws-amplify/graphql-model-transformer';
import {
  BelongsToTransformer,
  HasManyTransformer,
  HasOneTransformer,
  ManyToManyTransformer,
} from '@aws-amplify/graphql-relational-transformer';
import { constructDataSourceStrategies, GraphQLTransform } from '@aws-amplify/graphql-transformer-core';
import type { AppSyncAuthConfiguration } from '@aws-amplify/graphql-transformer-interfaces';
import { App, NestedStack, Stack } from 'aws-cdk-lib';

type Json = any;

export interface AmplifyApp {
  /** The app folder: template.json, schema.graphql, resolvers/. */
  dir: string;
  /** The generated mapping templates by file name (`Query.getBlog.req.vtl`). */
  resolvers: Record<string, string>;
  template: Json;
  remove(): void;
}

/** The feature flags `amplify init` writes for a new Gen 1 project (cli.json, transformer v2). */
const GEN1_PARAMETERS = {
  shouldDeepMergeDirectiveConfigDefaults: false,
  disableResolverDeduping: true,
  sandboxModeEnabled: false,
  allowDestructiveGraphqlSchemaUpdates: false,
  replaceTableUponGsiUpdate: false,
  allowGen1Patterns: true,
  useSubUsernameForDefaultIdentityClaim: true,
  populateOwnerFieldForStaticGroupAuth: true,
  suppressApiKeyGeneration: false,
  subscriptionsInheritPrimaryAuth: false,
  secondaryKeyAsGSI: true,
  enableAutoIndexQueryNames: true,
  respectPrimaryKeyAttributesOnConnectionField: true,
  enableTransformerCfnOutputs: true,
};

export interface AmplifyTransformOptions {
  apiName: string;
  authConfig: AppSyncAuthConfiguration;
  /** Syncline's own keys for the user pool (issuer, JWKS file), added to the local copy of the template only. */
  userPool?: { Issuer?: string; JwksFile?: string };
}

export function amplifyTransform(schema: string, options: AmplifyTransformOptions): AmplifyApp {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-amplify-'));
  const cdkOut = join(dir, 'cdk.out');
  const model = new ModelTransformer();
  const index = new IndexTransformer();
  const hasOne = new HasOneTransformer();
  const belongsTo = new BelongsToTransformer();
  const auth = new AuthTransformer();
  // The order of Amplify's own transformer chain (graphql-transformer's constructTransformerChain).
  const transformers = [
    model,
    new PrimaryKeyTransformer(),
    index,
    new HasManyTransformer(),
    hasOne,
    new ManyToManyTransformer(model, index, hasOne, auth),
    belongsTo,
    auth,
  ];
  const transform = new GraphQLTransform({
    transformers,
    authConfig: options.authConfig,
    transformParameters: GEN1_PARAMETERS,
  });
  const app = new App({ outdir: cdkOut });
  const root = new Stack(app, 'amplify');
  const files: Record<string, string> = {};
  transform.transform({
    scope: root,
    nestedStackProvider: { provide: (scope, name) => new NestedStack(scope, name) },
    assetProvider: {
      provide: (_scope, _name, { fileName, fileContent }) => {
        files[fileName] = fileContent;
        return {
          assetHash: fileName,
          httpUrl: fileName,
          s3BucketName: '',
          s3ObjectKey: fileName,
          s3ObjectUrl: fileName,
        };
      },
    },
    synthParameters: {
      amplifyEnvironmentName: 'NONE',
      apiName: options.apiName,
      userPoolId: userPoolId(options.authConfig),
    },
    schema,
    dataSourceStrategies: constructDataSourceStrategies(schema, { dbType: 'DYNAMODB', provisionStrategy: 'DEFAULT' }),
  });
  app.synth();

  const read = (file: string) => JSON.parse(readFileSync(join(cdkOut, file), 'utf8'));
  const template = flatten(read('amplify.template.json'), nestedTemplates(read('amplify.assets.json'), read));
  if (options.userPool) {
    for (const r of Object.values<Json>(template.Resources)) {
      if (r.Type === 'AWS::AppSync::GraphQLApi') Object.assign(r.Properties.UserPoolConfig, options.userPool);
    }
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'template.json'), JSON.stringify(template, null, 2));
  rmSync(cdkOut, { recursive: true, force: true });
  const resolvers: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) if (name.startsWith('resolvers/')) resolvers[name.slice(10)] = text;
  return { dir, resolvers, template, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function userPoolId(config: AppSyncAuthConfiguration): string | undefined {
  for (const entry of [config.defaultAuthentication, ...(config.additionalAuthenticationProviders ?? [])]) {
    if (entry.authenticationType === 'AMAZON_COGNITO_USER_POOLS') return entry.userPoolConfig?.userPoolId;
  }
  return undefined;
}

/** Nested stack templates by the object key their `TemplateURL` ends with (CDK's asset manifest). */
function nestedTemplates(assets: Json, read: (file: string) => Json): Map<string, Json> {
  const byKey = new Map<string, Json>();
  for (const [hash, asset] of Object.entries<Json>(assets.files)) {
    if (String(asset.source.path).endsWith('.nested.template.json')) byKey.set(`${hash}.json`, read(asset.source.path));
  }
  return byKey;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mapDeep(value: Json, visit: (v: Json) => Json | undefined): Json {
  const replaced = visit(value);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, visit));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapDeep(v, visit)]));
  return value;
}

/** Inlines every `AWS::CloudFormation::Stack` of `root` and drops CDK's bookkeeping (bootstrap rule, metadata). */
function flatten(root: Json, nested: Map<string, Json>): Json {
  const resources: Record<string, Json> = {};
  const conditions: Record<string, Json> = { ...root.Conditions };
  const outputs = new Map<string, Json>();
  for (const [id, resource] of Object.entries<Json>(root.Resources)) {
    if (resource.Type === 'AWS::CDK::Metadata') continue;
    if (resource.Type !== 'AWS::CloudFormation::Stack') {
      resources[id] = resource;
      continue;
    }
    const url = resource.Properties.TemplateURL['Fn::Join'][1] as Json[];
    const key = String(url[url.length - 1]).replace(/^\//, '');
    const child = nested.get(key);
    if (!child) throw new Error(`no nested template ${key} for ${id}`);
    const passed = resource.Properties.Parameters ?? {};
    const own = child.Parameters ?? {};
    // A nested stack sees only its Parameters: each `Ref` to one is the expression the root passes (root scope).
    const inScope = (v: Json) =>
      mapDeep(v, (node) => {
        if (isObject(node) && typeof node.Ref === 'string' && node.Ref in own) {
          return node.Ref in passed ? passed[node.Ref] : own[node.Ref].Default;
        }
        return undefined;
      });
    for (const [childId, r] of Object.entries<Json>(child.Resources ?? {})) {
      if (childId in resources) throw new Error(`resource ${childId} is declared by two stacks`);
      resources[childId] = inScope(r);
    }
    for (const [name, c] of Object.entries<Json>(child.Conditions ?? {})) conditions[name] = inScope(c);
    for (const [name, o] of Object.entries<Json>(child.Outputs ?? {}))
      outputs.set(`${id}.Outputs.${name}`, inScope(o.Value));
  }
  const stackIds = new Set(
    Object.keys(root.Resources).filter((id) => root.Resources[id].Type === 'AWS::CloudFormation::Stack'),
  );
  // Outputs of one nested stack reach another through the root: resolve until none is left.
  const resolveOutputs = (v: Json): Json =>
    mapDeep(v, (node) => {
      const att = isObject(node) ? node['Fn::GetAtt'] : undefined;
      if (Array.isArray(att) && stackIds.has(att[0])) {
        const found = outputs.get(`${att[0]}.${att[1]}`);
        if (found === undefined) throw new Error(`no output ${att[0]}.${att[1]}`);
        return resolveOutputs(found);
      }
      return undefined;
    });
  for (const [id, r] of Object.entries<Json>(resources)) {
    const resolved = resolveOutputs(r);
    if (Array.isArray(resolved.DependsOn))
      resolved.DependsOn = resolved.DependsOn.filter((d: string) => !stackIds.has(d));
    resources[id] = resolved;
  }
  const { BootstrapVersion: _bootstrap, ...parameters } = root.Parameters ?? {};
  const { CDKMetadataAvailable: _metadata, ...kept } = conditions;
  return { AWSTemplateFormatVersion: '2010-09-09', Parameters: parameters, Conditions: kept, Resources: resources };
}
