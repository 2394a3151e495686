// `functions:` with the Framework's defaults (6 s, 1024 MB, provider settings inherited) and the events Syncline
// runs: httpApi, http, DynamoDB stream, schedule, eventBridge. Other events are refused with what would work instead.
import type { ParsedAppConfig } from '../../config.js';
import { evaluate, isIntrinsic } from '../intrinsics.js';
import type { KeyPath } from '../yaml.js';
import type { Translation } from './index.js';

type FunctionConfig = NonNullable<ParsedAppConfig['functions']>[string];
type EventConfig = NonNullable<FunctionConfig['events']>[number];
type CorsConfig = NonNullable<NonNullable<ParsedAppConfig['http']>['cors']>;

const READ = new Set([
  'handler',
  'runtime',
  'environment',
  'timeout',
  'memorySize',
  'events',
  'reservedConcurrency',
  'maximumRetryAttempts',
  'maximumEventAge',
  'destinations',
  'description',
  'layers',
  // Read with the service's `package` by package.ts.
  'package',
]);
const AWS_ONLY = new Set([
  'name',
  'role',
  'vpc',
  'tags',
  'tracing',
  'logRetentionInDays',
  'logs',
  'architecture',
  'provisionedConcurrency',
  'iamRoleStatements',
  'iamRoleStatementsName',
  'iamRoleStatementsInherit',
  'kmsKeyArn',
  'onError',
  'disableLogs',
  'ephemeralStorageSize',
  'snapStart',
  'logDataProtectionPolicy',
  'awsKmsKeyArn',
  'condition',
  'dependsOn',
  'versionFunction',
]);
const PROVIDER_RUNTIME_DEFAULT = 'nodejs20.x';

export function translateFunctions(
  root: Record<string, unknown>,
  t: Translation,
): { functions: Record<string, FunctionConfig>; cors?: CorsConfig } {
  const provider = (root.provider ?? {}) as Record<string, unknown>;
  const functions: Record<string, FunctionConfig> = {};
  let cors: CorsConfig | undefined = httpApiCors(provider, t);
  const entries = Object.entries((root.functions ?? {}) as Record<string, Record<string, unknown>>);
  for (const [name, fn] of entries) {
    const at: KeyPath = ['functions', name];
    if (typeof fn !== 'object' || fn === null) t.fail(at, 'expected a function definition with a handler');
    if (fn.image !== undefined)
      t.fail([...at, 'image'], 'container image functions are not run by Syncline; use handler');
    for (const key of Object.keys(fn)) {
      if (READ.has(key)) continue;
      if (AWS_ONLY.has(key)) t.ignored.push(`functions.${name}.${key}`);
      else if (key === 'url') t.ignored.push(`functions.${name}.url (use an httpApi event locally)`);
      else t.fail([...at, key], 'not a Serverless Framework function property');
    }
    const runtime = String(fn.runtime ?? provider.runtime ?? PROVIDER_RUNTIME_DEFAULT);
    if (!runtime.startsWith('nodejs')) {
      t.fail(
        [...at, fn.runtime ? 'runtime' : 'handler'],
        `runtime ${runtime}: Syncline runs Node.js functions (nodejs*)`,
      );
    }
    if (typeof fn.handler !== 'string' || !/\.[A-Za-z_$][\w$]*$/.test(fn.handler)) {
      t.fail([...at, 'handler'], "is 'path/to/file.exportName'");
    }
    const environment = {
      ...env((provider.environment ?? {}) as Record<string, unknown>, t, ['provider', 'environment']),
      ...env((fn.environment ?? {}) as Record<string, unknown>, t, [...at, 'environment']),
    };
    const events: EventConfig[] = [];
    const eventPaths: KeyPath[] = [];
    ((fn.events ?? []) as Record<string, unknown>[]).forEach((event, i) => {
      const ePath: KeyPath = [...at, 'events', i];
      for (const e of translateEvent(event, ePath, t)) {
        if ('cors' in e) {
          cors ??= true;
          continue;
        }
        t.origins.push([`functions.${name}.events[${events.length}]`, ePath]);
        events.push(e);
        eventPaths.push(ePath);
      }
    });
    t.origins.push([`functions.${name}`, at]);
    const layers = functionLayers(
      root,
      fn.layers === undefined ? provider.layers : fn.layers,
      fn.layers === undefined ? ['provider', 'layers'] : [...at, 'layers'],
      t,
    );
    if (layers?.length)
      t.origins.push([
        `functions.${name}.layers`,
        fn.layers === undefined ? ['provider', 'layers'] : [...at, 'layers'],
      ]);
    functions[name] = {
      layers,
      handler: fn.handler as string,
      timeout: num(fn.timeout ?? provider.timeout ?? 6, [...at, 'timeout'], t),
      memorySize: num(fn.memorySize ?? provider.memorySize ?? 1024, [...at, 'memorySize'], t),
      environment,
      reservedConcurrency:
        fn.reservedConcurrency === undefined
          ? undefined
          : num(fn.reservedConcurrency, [...at, 'reservedConcurrency'], t),
      maximumRetryAttempts:
        fn.maximumRetryAttempts === undefined
          ? undefined
          : num(fn.maximumRetryAttempts, [...at, 'maximumRetryAttempts'], t),
      maximumEventAge:
        fn.maximumEventAge === undefined ? undefined : num(fn.maximumEventAge, [...at, 'maximumEventAge'], t),
      destinations: destinations(
        fn.destinations,
        [...at, 'destinations'],
        t,
        entries.map(([n]) => n),
      ),
      events,
    };
  }
  return { functions, cors };
}

function num(v: unknown, path: KeyPath, t: Translation): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) t.fail(path, 'expected a number');
  return n as number;
}

/** Variables as strings; intrinsics evaluated, with URLs and stream ARNs left for the runtime to fill in. */
function env(values: Record<string, unknown>, t: Translation, path: KeyPath): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const r = evaluate(v, t.scope, [...path, k]);
    if (r === undefined || r === null) continue;
    out[k] = typeof r === 'object' ? JSON.stringify(r) : String(r);
  }
  return out;
}

function destinations(value: unknown, path: KeyPath, t: Translation, names: string[]): FunctionConfig['destinations'] {
  if (value === undefined) return undefined;
  const out: { onSuccess?: string; onFailure?: string } = {};
  for (const outcome of ['onSuccess', 'onFailure'] as const) {
    const target = (value as Record<string, unknown>)[outcome];
    if (target === undefined) continue;
    const arn = typeof target === 'object' && target !== null ? (target as { arn?: unknown }).arn : target;
    const resolved = String(evaluate(arn, t.scope, [...path, outcome]));
    const fn = names.find((n) => n === resolved || resolved.endsWith(`:function:${n}`));
    if (!fn) {
      t.fail(
        [...path, outcome],
        `${resolved}: only functions of this service are destinations locally (SQS, SNS and EventBridge targets are not run)`,
      );
    }
    out[outcome] = fn;
  }
  return out;
}

function httpApiCors(provider: Record<string, unknown>, t: Translation): CorsConfig | undefined {
  const cors = (provider.httpApi as { cors?: unknown } | undefined)?.cors;
  if (cors === undefined || cors === false) return undefined;
  if (cors === true) return true;
  const c = cors as Record<string, unknown>;
  const list = (k: string) => (c[k] === undefined ? undefined : (c[k] as unknown[]).map(String));
  for (const k of Object.keys(c)) {
    if (
      ![
        'allowedOrigins',
        'allowedHeaders',
        'allowedMethods',
        'allowCredentials',
        'exposedResponseHeaders',
        'maxAge',
      ].includes(k)
    ) {
      t.fail(['provider', 'httpApi', 'cors', k], 'not an httpApi cors setting');
    }
  }
  return {
    allowOrigins: list('allowedOrigins'),
    allowHeaders: list('allowedHeaders'),
    allowMethods: list('allowedMethods'),
    exposeHeaders: list('exposedResponseHeaders'),
    allowCredentials: c.allowCredentials === undefined ? undefined : Boolean(c.allowCredentials),
    maxAge: c.maxAge === undefined ? undefined : Number(c.maxAge),
  };
}

const SUPPORTED_EVENTS = 'httpApi, http, stream (DynamoDB), schedule and eventBridge';

/** The buses the functions' eventBridge events name: the Framework creates a named bus that does not exist. */
export function eventBusesOf(functions: Record<string, FunctionConfig>): string[] {
  const buses = new Set<string>();
  for (const f of Object.values(functions)) {
    for (const e of f.events ?? []) {
      if ('eventBridge' in e && e.eventBridge.eventBus && e.eventBridge.eventBus !== 'default') {
        buses.add(e.eventBridge.eventBus);
      }
    }
  }
  return [...buses];
}

function eventBridgeEvent(spec: unknown, at: KeyPath, t: Translation): EventConfig {
  if (!spec || typeof spec !== 'object') t.fail(at, 'is a mapping with pattern and, optionally, eventBus');
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (k === 'schedule') t.fail([...at, k], 'scheduled eventBridge events are not run yet; use a schedule event');
    if (['input', 'inputPath', 'inputTransformer'].includes(k)) {
      t.fail([...at, k], `${k} is not run by Syncline yet; targets receive the whole event`);
    }
    if (['retryPolicy', 'deadLetterQueueArn', 'name', 'description'].includes(k)) {
      t.ignored.push(`${keyPathOf(at)}.${k}`);
    } else if (!['pattern', 'eventBus', 'enabled'].includes(k)) t.fail([...at, k], 'not an eventBridge event setting');
  }
  if (!s.pattern || typeof s.pattern !== 'object' || Array.isArray(s.pattern)) {
    t.fail([...at, 'pattern'], 'is required: the rule’s event pattern');
  }
  let eventBus: string | undefined;
  if (s.eventBus !== undefined) {
    if (typeof s.eventBus !== 'string') t.fail([...at, 'eventBus'], 'is a bus name or event-bus ARN');
    // An ARN names the bus after `event-bus/`.
    eventBus = (s.eventBus as string).replace(/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//, '');
  }
  return {
    eventBridge: {
      pattern: s.pattern as Record<string, unknown>,
      eventBus,
      enabled: s.enabled === undefined ? undefined : s.enabled !== false,
    },
  };
}

function translateEvent(
  event: Record<string, unknown>,
  path: KeyPath,
  t: Translation,
): (EventConfig | { cors: true })[] {
  const kinds = Object.keys(event ?? {});
  if (kinds.length !== 1) t.fail(path, 'an event is a mapping with one key: its type');
  const kind = kinds[0];
  const spec = event[kind];
  const at: KeyPath = [...path, kind];
  switch (kind) {
    case 'httpApi': {
      if (spec === '*') return [{ http: 'ANY /{proxy+}' }];
      const { method, path: route } =
        typeof spec === 'string'
          ? splitRoute(spec, at, t)
          : {
              method: String((spec as Record<string, unknown>).method ?? '*'),
              path: String((spec as Record<string, unknown>).path),
            };
      for (const k of Object.keys(typeof spec === 'object' && spec ? spec : {})) {
        if (k === 'authorizer') t.ignored.push(`${keyPathOf(at)}.authorizer`);
        else if (!['method', 'path'].includes(k)) t.fail([...at, k], 'not an httpApi event setting');
      }
      return [{ http: { route: `${method === '*' ? 'ANY' : method.toUpperCase()} ${route}`, payload: '2.0' } }];
    }
    case 'http': {
      const s = typeof spec === 'string' ? splitRoute(spec, at, t) : (spec as Record<string, unknown>);
      const method = String(s.method ?? '').toUpperCase();
      const route = `/${String(s.path ?? '').replace(/^\/+/, '')}`;
      const out: (EventConfig | { cors: true })[] = [{ http: { route: `${method} ${route}`, payload: '1.0' } }];
      if (typeof spec === 'object' && spec) {
        for (const k of Object.keys(spec)) {
          if (k === 'cors' && (spec as { cors?: unknown }).cors) out.push({ cors: true });
          else if (
            ['authorizer', 'private', 'request', 'response', 'integration', 'operationId', 'async'].includes(k)
          ) {
            t.ignored.push(`${keyPathOf(at)}.${k}`);
          } else if (!['method', 'path', 'cors'].includes(k)) t.fail([...at, k], 'not an http event setting');
        }
      }
      return out;
    }
    case 'stream':
      return [streamEvent(spec, at, t)];
    case 'eventBridge':
      return [eventBridgeEvent(spec, at, t)];
    case 'schedule': {
      const s = (typeof spec === 'string' ? { rate: spec } : spec) as Record<string, unknown>;
      const rates = Array.isArray(s.rate) ? s.rate : [s.rate];
      for (const k of Object.keys(s)) {
        if (['name', 'description'].includes(k)) continue;
        if (['inputPath', 'inputTransformer', 'method', 'timezone', 'role'].includes(k)) {
          t.fail([...at, k], `${k} is not run by Syncline yet; schedules run with rate, enabled and input`);
        }
        if (!['rate', 'enabled', 'input'].includes(k)) t.fail([...at, k], 'not a schedule event setting');
      }
      let input = s.input;
      if (typeof input === 'string') {
        try {
          input = JSON.parse(input);
        } catch {
          // The Framework passes a string input as it is.
        }
      }
      return rates.map((rate, i) => {
        if (typeof rate !== 'string')
          t.fail(Array.isArray(s.rate) ? [...at, 'rate', i] : [...at, 'rate'], 'is rate(…) or cron(…)');
        return {
          schedule: { rate: rate as string, enabled: s.enabled === undefined ? undefined : s.enabled !== false, input },
        };
      });
    }
    default:
      return t.fail(at, `the ${kind} event is not run by Syncline yet; it runs ${SUPPORTED_EVENTS} events`);
  }
}

function keyPathOf(path: KeyPath): string {
  return path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .replace(/^\./, '');
}

function splitRoute(spec: string, at: KeyPath, t: Translation): { method: string; path: string } {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(spec);
  if (!m) return t.fail(at, "a route is 'METHOD /path', e.g. 'GET /orders/{id}'");
  return { method: m[1], path: m[2].startsWith('/') ? m[2] : `/${m[2]}` };
}

const STREAM_KEYS = new Set([
  'type',
  'arn',
  'batchSize',
  'batchWindow',
  'startingPosition',
  'maximumRetryAttempts',
  'maximumRecordAgeInSeconds',
  'bisectBatchOnFunctionError',
  'functionResponseType',
  'parallelizationFactor',
  'tumblingWindowInSeconds',
  'enabled',
  'filterPatterns',
  'destinations',
]);

function streamEvent(spec: unknown, at: KeyPath, t: Translation): EventConfig {
  const s = (typeof spec === 'string' || isIntrinsic(spec) ? { arn: spec } : spec) as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (k === 'consumer' || k === 'startingPositionTimestamp')
      t.fail([...at, k], `${k} is for Kinesis streams, which Syncline does not run`);
    if (!STREAM_KEYS.has(k)) t.fail([...at, k], 'not a stream event setting');
  }
  const arnPath = typeof spec === 'object' && !isIntrinsic(spec) ? [...at, 'arn'] : at;
  const arn = String(evaluate(s.arn, t.scope, arnPath));
  const type = s.type ?? (arn.includes(':kinesis:') ? 'kinesis' : 'dynamodb');
  if (type !== 'dynamodb')
    t.fail([...at, 'type'], `${String(type)} streams are not run by Syncline yet; DynamoDB streams are`);
  const token = /^\$\{tables\.([^.]+)\.streamArn\}$/.exec(arn);
  const byName = /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//.exec(arn);
  const table = token?.[1] ?? byName?.[1];
  if (!table) {
    t.fail(
      arnPath,
      `${arn}: not a DynamoDB stream of this service; use Fn::GetAtt [<Table>, StreamArn] of a table in resources.Resources`,
    );
  }
  const destinations = s.destinations as { onFailure?: unknown } | undefined;
  if (destinations?.onFailure !== undefined) {
    t.fail([...at, 'destinations', 'onFailure'], 'stream failure destinations (SQS, SNS) are not run by Syncline yet');
  }
  if (s.startingPosition !== undefined && !['TRIM_HORIZON', 'LATEST'].includes(String(s.startingPosition))) {
    t.fail([...at, 'startingPosition'], 'is TRIM_HORIZON or LATEST for a DynamoDB stream');
  }
  const n = (k: string) => (s[k] === undefined ? undefined : Number(s[k]));
  return {
    stream: {
      table: table as string,
      // The Framework's defaults, not Lambda's (100, no default position).
      batchSize: n('batchSize') ?? 10,
      maximumBatchingWindowInSeconds: n('batchWindow'),
      startingPosition: (s.startingPosition as 'TRIM_HORIZON' | 'LATEST' | undefined) ?? 'TRIM_HORIZON',
      maximumRetryAttempts: n('maximumRetryAttempts'),
      maximumRecordAgeInSeconds: n('maximumRecordAgeInSeconds'),
      bisectBatchOnFunctionError:
        s.bisectBatchOnFunctionError === undefined ? undefined : Boolean(s.bisectBatchOnFunctionError),
      functionResponseTypes:
        s.functionResponseType === 'ReportBatchItemFailures' ? ['ReportBatchItemFailures'] : undefined,
      parallelizationFactor: n('parallelizationFactor'),
      tumblingWindowInSeconds: n('tumblingWindowInSeconds'),
      enabled: s.enabled === undefined ? undefined : s.enabled !== false,
      filterPatterns: s.filterPatterns as Record<string, unknown>[] | undefined,
    },
  };
}

/** The Framework's logical ID for a layer: `common-deps` → `CommonDashdepsLambdaLayer`. */
export function layerLogicalId(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized[0].toUpperCase()}${normalized.slice(1)}LambdaLayer`;
}

/**
 * A function's `layers` (or the provider's): `{ Ref: <Name>LambdaLayer }` names a layer of the service's top-level
 * `layers:`, whose `path` folder is used as /opt would be; a published layer's ARN exists only on AWS.
 */
function functionLayers(
  root: Record<string, unknown>,
  list: unknown,
  at: KeyPath,
  t: Translation,
): string[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return t.fail(at, 'is a list of layers ({ Ref: <Name>LambdaLayer } or ARNs)');
  const defined = (root.layers ?? {}) as Record<string, Record<string, unknown>>;
  const byRef = new Map(Object.keys(defined).map((n) => [layerLogicalId(n), n]));
  const folders: string[] = [];
  list.forEach((item, i) => {
    const ref = typeof item === 'object' && item !== null ? (item as { Ref?: unknown }).Ref : undefined;
    if (typeof item === 'string' && /^arn:aws[\w-]*:lambda:/.test(item)) {
      t.ignored.push(
        `${keyPathOf(at)}[${i}] (a published layer: its packages are not here; install them in the service or point the function at the layer's folder)`,
      );
      return;
    }
    const name = typeof ref === 'string' ? byRef.get(ref) : undefined;
    if (!name) {
      t.fail(
        [...at, i],
        `${JSON.stringify(item)}: not a layer of this service (layers: ${[...byRef.keys()].join(', ') || 'none'})`,
      );
    }
    const layer = defined[name as string];
    if (typeof layer.path !== 'string') {
      t.fail(
        ['layers', name as string, 'path'],
        'a local folder is needed to run the layer (package.artifact zips exist only on AWS)',
      );
    }
    folders.push(layer.path as string);
  });
  return folders;
}
