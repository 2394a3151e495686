// The tables capability: storage in the data folder (or PostgreSQL), declared tables ensured at start and on
// reload, and the DynamoDB JSON API, served through the server's AWS JSON dispatcher.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppModel, IndexModel, TableModel } from '../app/model.js';
import { dynamodbRequestScope } from '../auth/awsRequestScope.js';
import {
  type ChangeHook,
  createTableEngine,
  handleDynamoDBRequest,
  openSqliteStorage,
  type TableDefinition,
  type TableEngine,
} from '../tables/index.js';
import { isPostgresUrl, maskUrl, openPostgresStorage, type PostgresStorage } from '../tables/storage/postgres.js';
import { createStreamRecorder, type StreamRecorder } from '../tables/streams/index.js';
import { awsJsonRoute } from './awsJsonApi.js';
import type { AwsJsonService, Capability, HttpRoute, ServerContext } from './capability.js';

/** DynamoDB's own request limit (BatchWriteItem can carry 16 MB). */
const MAX_DYNAMODB_BODY = 16 * 1024 * 1024;
export const DYNAMODB_TARGET = 'DynamoDB_20120810.';

/** `database`: a postgres:// URL (or that database, already open) puts tables, streams and checkpoints in PostgreSQL (docs/cluster.md). */
export function openTables(
  data: string,
  region: string,
  onChange?: ChangeHook,
  database?: string | PostgresStorage,
  log?: Logger,
  endpoint?: () => string,
): TableEngine {
  if (database) {
    const storage = typeof database === 'string' ? openSharedStorage(database, log) : database;
    return createTableEngine({ storage, region, onChange, endpoint });
  }
  let location = ':memory:';
  if (data !== ':memory:') {
    mkdirSync(data, { recursive: true });
    location = join(data, 'tables.sqlite');
  }
  return createTableEngine({ storage: openSqliteStorage(location), region, onChange, endpoint });
}

/** The cluster's shared database, opened on its own (before the app loads: it keeps the generated API keys). */
export function openSharedStorage(database: string, log?: Logger): PostgresStorage {
  if (!isPostgresUrl(database)) throw new Error(`--database expects a postgres:// URL, got ${maskUrl(database)}`);
  return openPostgresStorage(database, { log });
}

export function ensureDeclaredTables(engine: TableEngine, app: AppModel, log: Logger): void {
  for (const table of Object.values(app.tables)) {
    const result = engine.ensureTable(tableDefinition(table));
    if (result.created) log.debug({ table: table.name }, 'table created');
    for (const change of result.changes) log.info({ table: table.name }, change);
  }
}

function keySchema(index: { partitionKey: { name: string }; sortKey?: { name: string } }) {
  return [
    { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
    ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
  ];
}

function projection(p: IndexModel['projection']) {
  return typeof p === 'string' ? { ProjectionType: p } : { ProjectionType: 'INCLUDE', NonKeyAttributes: p.include };
}

export function tableDefinition(t: TableModel): TableDefinition {
  const attributes = new Map<string, string>();
  const add = (k?: { name: string; type: string }) => k && attributes.set(k.name, k.type);
  add(t.partitionKey);
  add(t.sortKey);
  const indexes = (group: Record<string, IndexModel>) =>
    Object.entries(group).map(([IndexName, i]) => {
      add(i.partitionKey);
      add(i.sortKey);
      return { IndexName, KeySchema: keySchema(i), Projection: projection(i.projection) };
    });
  const gsis = indexes(t.globalIndexes);
  const lsis = indexes(t.localIndexes);
  return {
    TableName: t.name,
    KeySchema: keySchema(t),
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    BillingMode: 'PAY_PER_REQUEST',
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
    ...(t.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: t.stream } } : {}),
    ...(t.ttl ? { TimeToLiveSpecification: { AttributeName: t.ttl, Enabled: true } } : {}),
  } as TableDefinition;
}

export interface TablesCapability extends Capability {
  /** The table engine; there from `start` on. */
  readonly engine: TableEngine;
  /** Stream records are written by the engine's change hook, inside each write's transaction. */
  readonly recorder: StreamRecorder;
}

/** Tables in the data folder (or PostgreSQL with `database`), the app's declared tables, and the DynamoDB API. */
export function tablesCapability(ctx: ServerContext, options: { database?: PostgresStorage }): TablesCapability {
  // A write made under a traced request (journal.within) keeps its trace with its stream records.
  const recorder = createStreamRecorder({
    trace: () => {
      const parent = ctx.journal.ambient();
      return parent && `${parent.traceId}/${parent.spanId}`;
    },
  });
  let engine: TableEngine | undefined;
  const opened = () => {
    if (!engine) throw new Error('tables are not open');
    return engine;
  };
  const onInternalError = (err: unknown, action: string) => ctx.log.error({ err, action }, 'DynamoDB request failed');
  return {
    name: 'tables',
    recorder,
    get engine() {
      return opened();
    },
    awsJsonApis: [
      dynamodbService(
        () => opened(),
        onInternalError,
        (operation, body) => dynamodbRequestScope(operation, body, ctx.app().region, opened().accountId),
      ),
    ],
    start() {
      engine = openTables(ctx.data, ctx.app().region, recorder.onChange, options.database, ctx.log, () => {
        const url = new URL(ctx.endpoints().dynamodb ?? ctx.endpoints().http);
        // Listening on every interface names no address a client can use; name this machine instead.
        return ['0.0.0.0', '[::]'].includes(url.hostname) ? `localhost:${url.port}` : url.host;
      });
      ensureDeclaredTables(engine, ctx.app(), ctx.log);
    },
    reload(next) {
      ensureDeclaredTables(opened(), next, ctx.log);
      return undefined;
    },
    health() {
      // A read through the storage port: a broken connection or file fails here, not in a client's request.
      opened().listTables({ Limit: 1 });
      return { ready: true };
    },
    close() {
      engine?.storage.close();
      engine = undefined;
    },
  };
}

function dynamodbService(
  engine: () => TableEngine,
  onInternalError: (err: unknown, action: string) => void,
  scope: AwsJsonService['scope'],
): AwsJsonService {
  return {
    targetPrefix: DYNAMODB_TARGET,
    signingName: 'dynamodb',
    maxBody: MAX_DYNAMODB_BODY,
    tooLarge: {
      __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
      message: 'Request size exceeded 16 MB',
    },
    scope,
    handle: (target, body) => handleDynamoDBRequest(engine(), target, body, { onInternalError }),
  };
}

/** The DynamoDB API alone, with no door, for processes that serve just tables (the cluster and crash tests). */
export function dynamodbEndpoint(engine: TableEngine, log: Logger): { http: HttpRoute['serve'] } {
  const service = dynamodbService(
    () => engine,
    (err, action) => log.error({ err, action }, 'DynamoDB request failed'),
    () => [],
  );
  return { http: awsJsonRoute(service, undefined).serve };
}
