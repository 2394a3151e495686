// SAM's API resources (`AWS::Serverless::HttpApi`, `AWS::Serverless::Api`) as the functions' `HttpApi`/`Api`
// events meet them, through `ApiId`/`RestApiId` or, without one, SAM's implicit API shaped by `Globals.HttpApi`
// / `Globals.Api`. Read: CORS (the app's one HTTP API's `http.cors`), stage names (listed: routes are served at
// the server's root) and Auth, refused unless it leaves the route without an authorizer — running a route
// without its authorizer would open it.
import type { AppConfig } from '../../config.js';
import type { KeyPath } from '../yaml.js';

type Cors = NonNullable<NonNullable<AppConfig['http']>['cors']>;

export interface GatewayContext {
  fail: (path: KeyPath, detail: string) => never;
  ignored: (key: string) => void;
  /** The API resource's properties, evaluated when read (SAM Globals under them), or undefined for none. */
  api: (logicalId: string) => { type: string; props: Record<string, unknown>; at: KeyPath } | undefined;
  /** `Globals.HttpApi` / `Globals.Api`, evaluated. */
  globals: (type: 'HttpApi' | 'Api') => Record<string, unknown>;
}

const API_TYPE = { HttpApi: 'AWS::Serverless::HttpApi', Api: 'AWS::Serverless::Api' } as const;

/** Properties of the API resources that only shape the deployment on AWS. */
const AWS_ONLY = [
  'AccessLogSettings',
  'DefaultRouteSettings',
  'RouteSettings',
  'MethodSettings',
  'Domain',
  'FailOnWarnings',
  'Tags',
  'PropagateTags',
  'DisableExecuteApiEndpoint',
  'StageVariables',
  'Variables',
  'Description',
  'Name',
  'TracingEnabled',
  'CacheClusterEnabled',
  'CacheClusterSize',
  'EndpointConfiguration',
  'MinimumCompressionSize',
  'BinaryMediaTypes',
  'GatewayResponses',
  'Models',
  'OpenApiVersion',
  'AlwaysDeploy',
  'CanarySetting',
  'MergeDefinitions',
  'ApiKeySourceType',
  'Mode',
];

/** An API resource met in the template: its deployment-only settings are listed, OpenAPI bodies refused. */
export function readApiResource(id: string, raw: Record<string, unknown>, at: KeyPath, ctx: GatewayContext): void {
  for (const k of ['DefinitionBody', 'DefinitionUri']) {
    if (k in raw) {
      ctx.fail(
        [...at, 'Properties', k],
        `${k}: OpenAPI definitions are not read yet; declare the routes as function events`,
      );
    }
  }
  for (const k of AWS_ONLY) if (k in raw) ctx.ignored(`${id}.${k}`);
  const stage = raw.StageName;
  if (typeof stage === 'string' && stage !== '$default') {
    ctx.ignored(`${id}.StageName (routes are served at the server's root, without /${stage})`);
  }
}

/**
 * Checks one `HttpApi`/`Api` event against its API's Auth and returns the CORS settings the route is served with
 * (undefined for none). `eventAt` is the event's `Properties` path.
 */
export function routeSettings(
  type: 'HttpApi' | 'Api',
  event: Record<string, unknown>,
  eventAt: KeyPath,
  ctx: GatewayContext,
): { cors?: Cors; api: string } {
  const idKey = type === 'HttpApi' ? 'ApiId' : 'RestApiId';
  const ref = event[idKey];
  // Read property by property: the API's other properties (a domain's certificate) may name AWS-only resources.
  let prop: (key: string) => unknown;
  let apiAt: KeyPath;
  let api: string;
  if (ref === undefined) {
    api = type === 'HttpApi' ? 'ServerlessHttpApi' : 'ServerlessRestApi';
    prop = (key) => ctx.globals(type)[key];
    apiAt = ['Globals', type];
  } else {
    const found = typeof ref === 'string' ? ctx.api(ref) : undefined;
    if (!found || found.type !== API_TYPE[type]) {
      ctx.fail([...eventAt, idKey], `is !Ref to an ${API_TYPE[type]} of this template`);
    }
    const f = found as NonNullable<typeof found>;
    api = ref as string;
    prop = (key) => f.props[key] ?? ctx.globals(type)[key];
    apiAt = [...f.at, 'Properties'];
  }

  const apiAuth = (prop('Auth') ?? {}) as Record<string, unknown>;
  const eventAuth = (event.Auth ?? {}) as Record<string, unknown>;
  const authorizer = eventAuth.Authorizer ?? apiAuth.DefaultAuthorizer;
  if (authorizer !== undefined && authorizer !== 'NONE') {
    const at =
      eventAuth.Authorizer !== undefined ? [...eventAt, 'Auth', 'Authorizer'] : [...apiAt, 'Auth', 'DefaultAuthorizer'];
    ctx.fail(
      at,
      `${String(authorizer)}: route authorizers are not run by Syncline yet, and the route would be open without it, so it is refused (give the event Auth.Authorizer: NONE to run it without one)`,
    );
  }
  const apiKeyRequired = eventAuth.ApiKeyRequired ?? apiAuth.ApiKeyRequired;
  if (type === 'Api' && apiKeyRequired === true) {
    const at =
      eventAuth.ApiKeyRequired !== undefined
        ? [...eventAt, 'Auth', 'ApiKeyRequired']
        : [...apiAt, 'Auth', 'ApiKeyRequired'];
    ctx.fail(at, 'API Gateway API keys are not checked by Syncline yet; the route would be open, so it is refused');
  }
  for (const k of ['ResourcePolicy', 'EnableIamAuthorizer']) {
    if (apiAuth[k] !== undefined && apiAuth[k] !== false) {
      ctx.fail([...apiAt, 'Auth', k], `${k} is not run by Syncline yet; the routes would be open, so it is refused`);
    }
  }
  if (eventAuth.ResourcePolicy !== undefined) {
    ctx.fail(
      [...eventAt, 'Auth', 'ResourcePolicy'],
      'ResourcePolicy is not run by Syncline yet; the route would be open, so it is refused',
    );
  }

  const cors =
    type === 'HttpApi' ? httpApiCors(prop('CorsConfiguration')) : restApiCors(prop('Cors'), [...apiAt, 'Cors'], ctx);
  return { cors, api };
}

/** `CorsConfiguration`: `true` or API Gateway v2's `Cors` object. */
function httpApiCors(value: unknown): Cors | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { allowOrigins: ['*'] };
  const c = value as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
  return {
    allowOrigins: list(c.AllowOrigins),
    allowMethods: list(c.AllowMethods),
    allowHeaders: list(c.AllowHeaders),
    exposeHeaders: list(c.ExposeHeaders),
    allowCredentials: c.AllowCredentials === undefined ? undefined : c.AllowCredentials === true,
    maxAge: c.MaxAge === undefined ? undefined : Number(c.MaxAge),
  };
}

/** REST `Cors`: a quoted origin (`"'*'"`) or `{AllowOrigin, AllowHeaders, AllowMethods, MaxAge, AllowCredentials}`
 * whose strings are header values in single quotes, as SAM writes them into the OPTIONS method's response. */
function restApiCors(value: unknown, at: KeyPath, ctx: GatewayContext): Cors | undefined {
  if (value === undefined) return undefined;
  const unquote = (v: unknown, key: string): string => {
    const m = /^'(.*)'$/s.exec(String(v));
    return m ? m[1] : ctx.fail([...at, key], `is a header value in single quotes, e.g. "'*'"`);
  };
  if (typeof value === 'string') return { allowOrigins: [unquote(value, '')] };
  const c = value as Record<string, unknown>;
  const list = (v: unknown, key: string) =>
    v === undefined
      ? undefined
      : unquote(v, key)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (c.AllowOrigin === undefined) ctx.fail([...at, 'AllowOrigin'], 'is required');
  return {
    allowOrigins: [unquote(c.AllowOrigin, 'AllowOrigin')],
    allowMethods: list(c.AllowMethods, 'AllowMethods'),
    allowHeaders: list(c.AllowHeaders, 'AllowHeaders'),
    allowCredentials: c.AllowCredentials === undefined ? undefined : c.AllowCredentials === true,
    maxAge: c.MaxAge === undefined ? undefined : Number(unquote(c.MaxAge, 'MaxAge')),
  };
}
