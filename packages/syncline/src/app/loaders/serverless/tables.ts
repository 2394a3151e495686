// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` here is Syncline's and the Framework's reference syntax, not a template.
// `resources.Resources`: DynamoDB tables become the app's tables, and the resources give intrinsics their local
// values (a table's name and ARN, its stream, a function's ARN, the GraphQL API's URL).
import { apiIdFor, DEFAULT_ACCOUNT_ID } from '../../../auth/authenticate.js';
import type { ParsedAppConfig } from '../../config.js';
import { readTable } from '../dynamodbTable.js';
import { conditionHolds, evaluateString, IntrinsicError, type IntrinsicScope, lazyProperties } from '../intrinsics.js';
import type { KeyPath } from '../yaml.js';
import type { Translation } from './index.js';

type Tables = NonNullable<ParsedAppConfig['tables']>;

interface Resource {
  Type?: unknown;
  Properties?: Record<string, unknown>;
  Condition?: string;
}

/** The Framework's logical ID for a function: `create-order` → `CreateDashorderLambdaFunction`. */
export function functionLogicalId(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized[0].toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

export function translateTables(root: Record<string, unknown>, t: Translation, params: Record<string, string>): Tables {
  const resources = mergedResources(root.resources, t);
  const functions = Object.keys((root.functions as Record<string, unknown> | undefined) ?? {});
  const byLogicalId = new Map(functions.map((f) => [functionLogicalId(f), f]));
  const tableNames = new Map<string, string>();
  const naming = new Set<string>();

  const tableName = (id: string, path: KeyPath): string => {
    const known = tableNames.get(id);
    if (known) return known;
    if (naming.has(id)) throw new IntrinsicError(path, `the name of table ${id} refers to itself`);
    naming.add(id);
    const props = resources.Resources[id].Properties ?? {};
    // CloudFormation names an unnamed table `<stack>-<LogicalId>-<random>`; locally the name stays the same
    // across restarts so data survives them.
    const name =
      props.TableName === undefined
        ? `${t.service}-${t.stage}-${id}`
        : evaluateString(props.TableName, scope, ['resources', 'Resources', id, 'Properties', 'TableName']);
    naming.delete(id);
    tableNames.set(id, name);
    return name;
  };
  const isTable = (id: string) => resources.Resources[id]?.Type === 'AWS::DynamoDB::Table';
  const unknown = (id: string, path: KeyPath, what: string): never => {
    const type = resources.Resources[id]?.Type;
    throw new IntrinsicError(
      path,
      type
        ? `${what} ${id}: ${String(type)} is not run by Syncline; give the value with --param and \${param:name} instead`
        : `${what} ${id}: no resource ${id} in resources.Resources (the Framework's own are ${functions.length ? `${functionLogicalId(functions[0])}, ` : ''}GraphQlApi)`,
    );
  };
  const apiId = () => apiIdFor(t.apiName);
  const scope: IntrinsicScope = {
    region: t.region,
    accountId: DEFAULT_ACCOUNT_ID,
    stackName: `${t.service}-${t.stage}`,
    parameters: { ...params },
    conditions: resources.Conditions,
    mappings: resources.Mappings,
    imports: params,
    ref(id, path) {
      if (isTable(id)) return tableName(id, path);
      if (byLogicalId.has(id)) return byLogicalId.get(id) as string;
      if (id === 'GraphQlApi') return `arn:aws:appsync:${t.region}:${DEFAULT_ACCOUNT_ID}:apis/${apiId()}`;
      return unknown(id, path, 'Ref');
    },
    getAtt(id, attribute, path) {
      if (isTable(id)) {
        const name = tableName(id, path);
        if (attribute === 'Arn') return `arn:aws:dynamodb:${t.region}:${DEFAULT_ACCOUNT_ID}:table/${name}`;
        if (attribute === 'StreamArn') {
          if (!resources.Resources[id].Properties?.StreamSpecification) {
            throw new IntrinsicError(path, `table ${id} has no stream: add StreamSpecification to it`);
          }
          // Filled in by the functions runtime once the stream exists (its label is the creation time).
          return `\${tables.${id}.streamArn}`;
        }
        throw new IntrinsicError(path, `Fn::GetAtt ${id}.${attribute}: a table has Arn and StreamArn`);
      }
      if (byLogicalId.has(id)) {
        if (attribute === 'Arn') {
          return `arn:aws:lambda:${t.region}:${DEFAULT_ACCOUNT_ID}:function:${byLogicalId.get(id)}`;
        }
        throw new IntrinsicError(path, `Fn::GetAtt ${id}.${attribute}: a function has Arn`);
      }
      if (id === 'GraphQlApi') {
        if (attribute === 'GraphQLUrl') return '${graphql.url}';
        if (attribute === 'RealtimeUrl') return '${graphql.realtimeUrl}';
        if (attribute === 'ApiId') return apiId();
        if (attribute === 'Arn') return `arn:aws:appsync:${t.region}:${DEFAULT_ACCOUNT_ID}:apis/${apiId()}`;
        throw new IntrinsicError(
          path,
          `Fn::GetAtt GraphQlApi.${attribute}: locally known are GraphQLUrl, RealtimeUrl, ApiId and Arn`,
        );
      }
      // The Framework's HTTP API (httpApi events): its endpoint is this server's function routes.
      if (id === 'HttpApi' && attribute === 'ApiEndpoint' && !resources.Resources[id]) return '${http.url}';
      return unknown(id, path, 'Fn::GetAtt');
    },
  };
  t.scope = scope;

  const tables: Tables = {};
  const otherTypes = new Set<string>();
  for (const [id, resource] of Object.entries(resources.Resources)) {
    const path: KeyPath = ['resources', 'Resources', id];
    if (!conditionHolds(resource.Condition, scope, [...path, 'Condition'])) continue;
    if (resource.Type !== 'AWS::DynamoDB::Table') {
      otherTypes.add(`${String(resource.Type)} (${id})`);
      continue;
    }
    const properties = lazyProperties(resource.Properties ?? {}, scope, [...path, 'Properties']);
    const table = readTable(properties, [...path, 'Properties'], {
      fail: t.fail,
      ignored: (key) => t.ignored.push(`${id}.${key}`),
    });
    tables[id] = { name: tableName(id, path), ...table };
    t.origins.push([`tables.${id}`, path]);
  }
  if (otherTypes.size) t.ignored.push(`resources ${[...otherTypes].join(', ')}`);
  return tables;
}

/** `resources` is a mapping or, with `${file()}` includes, a list of them; their parts are merged. */
function mergedResources(
  value: unknown,
  t: Translation,
): { Resources: Record<string, Resource>; Conditions: Record<string, unknown>; Mappings: Record<string, unknown> } {
  const parts = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const out = { Resources: {}, Conditions: {}, Mappings: {} };
  parts.forEach((part, i) => {
    if (typeof part !== 'object' || part === null) {
      t.fail(Array.isArray(value) ? ['resources', i] : ['resources'], 'expected a mapping with Resources');
    }
    const p = part as Record<string, unknown>;
    Object.assign(out.Resources, p.Resources ?? {});
    Object.assign(out.Conditions, p.Conditions ?? {});
    Object.assign(out.Mappings, p.Mappings ?? {});
  });
  return out;
}
