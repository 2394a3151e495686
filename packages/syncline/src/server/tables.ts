// The table capability as the server mounts it: storage in the data folder, declared tables ensured at start
// and on reload, and the DynamoDB JSON API on the server's port.
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppModel, IndexModel, TableModel } from '../app/model.js';
import type { SignedRequest } from '../auth/sigv4.js';
import {
  type ChangeHook,
  createTableEngine,
  handleDynamoDBRequest,
  openSqliteStorage,
  type TableDefinition,
  type TableEngine,
} from '../tables/index.js';
import { isPostgresUrl, maskUrl, openPostgresStorage, type PostgresStorage } from '../tables/storage/postgres.js';
import { readJsonApiBody } from './body.js';
import type { FastRoute } from './fastHttp/connection.js';

/** DynamoDB's own request limit (BatchWriteItem can carry 16 MB). */
const MAX_DYNAMODB_BODY = 16 * 1024 * 1024;
export const DYNAMODB_TARGET = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** `database`: a postgres:// URL puts tables, streams and checkpoints in PostgreSQL (docs/cluster.md). */
export function openTables(
  data: string,
  region: string,
  onChange?: ChangeHook,
  database?: string | PostgresStorage,
  log?: Logger,
): TableEngine {
  if (database) {
    const storage = typeof database === 'string' ? openSharedStorage(database, log) : database;
    return createTableEngine({ storage, region, onChange });
  }
  let location = ':memory:';
  if (data !== ':memory:') {
    mkdirSync(data, { recursive: true });
    location = join(data, 'tables.sqlite');
  }
  return createTableEngine({ storage: openSqliteStorage(location), region, onChange });
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

/** Checks a request's signature before it reaches the engine; an error answers in its place. */
export type DynamoDBRequestCheck = (request: SignedRequest) => { status: number; body: string } | undefined;

export interface DynamoDBEndpoint {
  /** Serves one request that node:http parsed. */
  http(req: IncomingMessage, res: ServerResponse, target: string): Promise<void>;
  /** The same service for the fast path (decision 0006). */
  fast: FastRoute;
}

export function dynamodbEndpoint(engine: TableEngine, log: Logger, check?: DynamoDBRequestCheck): DynamoDBEndpoint {
  const onInternalError = (err: unknown, action: string) => log.error({ err, action }, 'DynamoDB request failed');
  const serve = (method: string, url: string, headers: Record<string, string>, body: Buffer, target: string) => {
    if (check) {
      const q = url.indexOf('?');
      const refused = check({
        method,
        path: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? '' : url.slice(q + 1),
        headers,
        body,
      });
      if (refused) return { status: refused.status, headers: { 'content-type': CONTENT_TYPE }, body: refused.body };
    }
    return handleDynamoDBRequest(engine, target, body, { onInternalError });
  };
  return {
    async http(req, res, target) {
      const body = await readJsonApiBody(req, res, MAX_DYNAMODB_BODY, {
        __type: 'com.amazonaws.dynamodb.v20120810#ValidationException',
        message: 'Request size exceeded 16 MB',
      });
      if (!body) return;
      const headers = req.headers as Record<string, string>;
      const response = await serve(req.method ?? 'POST', req.url ?? '/', headers, body, target);
      res.writeHead(response.status, response.headers).end(response.body);
    },
    fast: {
      maxBody: MAX_DYNAMODB_BODY,
      handle: (request) =>
        serve(request.method, request.url, request.headers, request.body, request.headers['x-amz-target']),
    },
  };
}
