// The shape of `syncline.config.ts`, as users write it. It follows serverless-appsync-plugin v2 (graphql) and
// the Serverless Framework (functions) so AppSync users recognise every key. Objects are strict: an unknown
// key is a mistake the user wants to hear about, not something to ignore.
import { z } from 'zod';

const authType = z.enum(['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS', 'OPENID_CONNECT', 'AWS_LAMBDA']);

const authProvider = z.strictObject({
  type: authType,
  config: z.record(z.string(), z.unknown()).optional(),
});

const apiKey = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  value: z
    .string()
    .regex(/^[A-Za-z0-9-]{10,128}$/, 'an API key value is 10 to 128 letters, digits or dashes')
    .optional(),
  /** Like the plugin: '30d', '12h', '1y'. */
  expiresAfter: z
    .string()
    .regex(/^\d+[hdy]$/, "expiresAfter is a duration such as '30d', '12h' or '1y'")
    .optional(),
  /** Epoch seconds or an ISO-8601 date. */
  expiresAt: z.union([z.number().int(), z.string()]).optional(),
});

const dataSource = z.strictObject({
  type: z.enum([
    'NONE',
    'AMAZON_DYNAMODB',
    'AWS_LAMBDA',
    'HTTP',
    'AMAZON_OPENSEARCH_SERVICE',
    'RELATIONAL_DATABASE',
    'AMAZON_ELASTICSEARCH',
    'AMAZON_BEDROCK_RUNTIME',
    'AMAZON_EVENTBRIDGE',
  ]),
  description: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

/** serverless-appsync-plugin v2's per-resolver `caching`: `true`, or a TTL and caching keys. */
const resolverCaching = z.union([
  z.literal(true),
  z.strictObject({
    ttl: z.number().int().min(1).max(3600).optional(),
    keys: z.array(z.string()).max(25).optional(),
  }),
]);

const resolver = z.strictObject({
  kind: z.enum(['UNIT', 'PIPELINE']).optional(),
  dataSource: z.string().optional(),
  code: z.string().optional(),
  /** VTL request/response mapping template files (serverless-appsync-plugin v2's keys), instead of `code`. */
  request: z.string().optional(),
  response: z.string().optional(),
  functions: z.array(z.string()).optional(),
  /** AppSync's maxBatchSize: payloads per Lambda BatchInvoke (0–2000); > 0 batches a direct Lambda resolver. */
  maxBatchSize: z.number().int().min(0).max(2000).optional(),
  /** AppSync's CachingConfig for this resolver (with PER_RESOLVER_CACHING, or its own TTL/keys under FULL). */
  caching: resolverCaching.optional(),
});

const pipelineFunction = z.strictObject({
  dataSource: z.string(),
  code: z.string().optional(),
  request: z.string().optional(),
  response: z.string().optional(),
  description: z.string().optional(),
  /** AppSync's maxBatchSize: payloads per Lambda BatchInvoke (0–2000). */
  maxBatchSize: z.number().int().min(0).max(2000).optional(),
});

const keyAttribute = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), type: z.enum(['S', 'N', 'B']).default('S') }),
]);

const index = z.strictObject({
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  projection: z
    .union([z.enum(['ALL', 'KEYS_ONLY']), z.strictObject({ include: z.array(z.string()).min(1) })])
    .default('ALL'),
});

const table = z.strictObject({
  /** Defaults to the key in `tables`. */
  name: z.string().optional(),
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  ttl: z.string().optional(),
  stream: z.enum(['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY']).optional(),
  globalIndexes: z.record(z.string(), index).optional(),
  localIndexes: z.record(z.string(), index).optional(),
});

const httpEvent = z.strictObject({
  http: z.union([
    z.string(),
    z.strictObject({
      route: z.string(),
      /** API Gateway payload format: HTTP API 2.0 (default) or REST 1.0. */
      payload: z.enum(['1.0', '2.0']).optional(),
    }),
  ]),
});

const onFailure = z.union([z.strictObject({ function: z.string() }), z.strictObject({ table: z.string() })]);

const streamEvent = z.strictObject({
  stream: z.strictObject({
    table: z.string(),
    batchSize: z.number().int().min(1).max(10_000).optional(),
    maximumBatchingWindowInSeconds: z.number().int().min(0).max(300).optional(),
    startingPosition: z.enum(['TRIM_HORIZON', 'LATEST']).optional(),
    parallelizationFactor: z.number().int().min(1).max(10).optional(),
    maximumRetryAttempts: z.number().int().min(-1).max(10_000).optional(),
    maximumRecordAgeInSeconds: z.number().int().min(-1).max(604_800).optional(),
    bisectBatchOnFunctionError: z.boolean().optional(),
    functionResponseTypes: z.array(z.literal('ReportBatchItemFailures')).optional(),
    onFailure: onFailure.optional(),
    filterPatterns: z.array(z.record(z.string(), z.unknown())).max(5).optional(),
    tumblingWindowInSeconds: z.number().int().min(0).max(900).optional(),
    enabled: z.boolean().optional(),
  }),
});

const scheduleEvent = z.strictObject({
  schedule: z.union([
    z.string(),
    z.strictObject({ rate: z.string(), enabled: z.boolean().optional(), input: z.unknown().optional() }),
  ]),
});

/** An EventBridge rule on one of the app's buses targeting this function (Serverless' `eventBridge` event). */
const eventBridgeEvent = z.strictObject({
  eventBridge: z.strictObject({
    pattern: z.record(z.string(), z.unknown()),
    /** A bus under `eventBuses`, or `default` (the default). */
    eventBus: z.string().optional(),
    enabled: z.boolean().optional(),
  }),
});

const fn = z.strictObject({
  handler: z.string().regex(/^[^.]+(\.[^.]+)*\.[A-Za-z_$][\w$]*$/, "handler is 'path/to/file.exportName'"),
  description: z.string().optional(),
  timeout: z.number().positive().max(900).optional(),
  memorySize: z.number().int().min(128).max(10_240).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  reservedConcurrency: z.number().int().nonnegative().optional(),
  /**
   * Lambda layers: local folders, in order, each laid out as for /opt on Lambda (`nodejs/node_modules`,
   * `nodejs/node20/node_modules`). Their packages resolve after the function's own, as on Lambda.
   */
  layers: z.array(z.string().min(1)).max(5, 'a function has at most 5 layers').optional(),
  /** Asynchronous invocations (Serverless Framework's names): retries after a failure, 0 to 2 (default 2). */
  maximumRetryAttempts: z.number().int().min(0).max(2).optional(),
  /** Seconds an asynchronous event may wait for a retry, 60 to 21,600 (default 21,600). */
  maximumEventAge: z.number().int().min(60).max(21_600).optional(),
  /** Functions of this app that receive an asynchronous invocation's record, by outcome. */
  destinations: z.strictObject({ onSuccess: z.string().optional(), onFailure: z.string().optional() }).optional(),
  events: z.array(z.union([httpEvent, streamEvent, scheduleEvent, eventBridgeEvent])).optional(),
});

export const appConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'name is 1 to 64 letters, digits, dashes or underscores'),
  region: z.string().optional(),
  tables: z.record(z.string(), table).optional(),
  functions: z.record(z.string(), fn).optional(),
  /** EventBridge buses besides `default`, for PutEvents and the functions' `eventBridge` rules. */
  eventBuses: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, 'an event bus name is 1 to 256 letters, digits, . _ or -'))
    .optional(),
  /** API Gateway HTTP API settings for the functions' `http` events. */
  http: z
    .strictObject({
      cors: z
        .union([
          z.boolean(),
          z.strictObject({
            allowOrigins: z.array(z.string()).optional(),
            allowMethods: z.array(z.string()).optional(),
            allowHeaders: z.array(z.string()).optional(),
            exposeHeaders: z.array(z.string()).optional(),
            allowCredentials: z.boolean().optional(),
            maxAge: z.number().int().nonnegative().optional(),
          }),
        ])
        .optional(),
    })
    .optional(),
  /** The browser app, served by Syncline at `/` (on AWS: S3 + CloudFront or Amplify Hosting). */
  web: z
    .strictObject({
      /** Folder served at `/`, relative to the app folder: the build's output when `build` is set. */
      dir: z.string().min(1),
      /** Shell command run in the app folder before serving, at start and on each reload (e.g. 'vite build'). */
      build: z.string().min(1).optional(),
    })
    .optional(),
  graphql: z
    .strictObject({
      schema: z.union([z.string(), z.array(z.string()).min(1)]).default('schema.graphql'),
      authentication: authProvider,
      additionalAuthentications: z.array(authProvider).optional(),
      apiKeys: z.array(apiKey).optional(),
      dataSources: z.record(z.string(), dataSource).optional(),
      resolvers: z.record(z.string(), resolver).optional(),
      pipelineFunctions: z.record(z.string(), pipelineFunction).optional(),
      environment: z.record(z.string(), z.string()).optional(),
      /** AppSync's queryDepthLimit: 1–75, 0 (the default) for none. */
      queryDepthLimit: z.number().int().min(0).max(75).optional(),
      /** AppSync's resolverCountLimit: 1–10,000, 0 (the default) for 10,000. */
      resolverCountLimit: z.number().int().min(0).max(10_000).optional(),
      /** AppSync's introspectionConfig: false refuses introspection queries. */
      introspection: z.boolean().optional(),
      /** AppSync's API cache, kept in memory on each node (docs/graphql.md, "Caching"). */
      caching: z
        .strictObject({
          behavior: z.enum(['FULL_REQUEST_CACHING', 'PER_RESOLVER_CACHING']),
          /** Seconds, 1–3600; AppSync's default 3600. */
          ttl: z.number().int().min(1).max(3600).optional(),
          /** Entries one node keeps before dropping the least recently used (default 10,000). */
          maxEntries: z.number().int().min(1).max(1_000_000).optional(),
        })
        .optional(),
    })
    .optional(),
});

export type AppConfig = z.input<typeof appConfigSchema>;
export type ParsedAppConfig = z.output<typeof appConfigSchema>;
