// The console API's answers (docs: console contract). Journal records are the server's own types.
export type {
  InvocationRecord,
  JournalEvent,
  Span,
  SpanKind,
  StreamDeliveryRecord,
  TraceSummary,
} from '../../syncline/src/trace/types.js';

import type { StreamDeliveryRecord } from '../../syncline/src/trace/types.js';

export interface AuthMode {
  type: string;
  [key: string]: unknown;
}

export interface ApiKeyInfo {
  value: string;
  description?: string;
  expires?: number | string;
}

export interface GraphqlInfo {
  sdl: string;
  authModes: AuthMode[];
  apiKeys: ApiKeyInfo[];
  dataSources: { name: string; type: string }[];
  resolvers: { typeName: string; fieldName: string; kind: string; runtime: string; dataSource?: string }[];
}

export interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface TableInfo {
  name: string;
  keySchema: KeyElement[] | { partitionKey: string; sortKey?: string } | unknown;
  ttlAttribute?: string;
  streamArn?: string;
  indexes: unknown[];
}

export interface FunctionInfo {
  name: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memorySize: number;
  routes: { method: string; path: string }[];
  schedules: { expression: string; enabled: boolean }[];
  streams: { table: string; batchSize: number; startingPosition: string }[];
}

export interface AppInfo {
  mode: 'dev' | 'start';
  endpoints: unknown;
  graphql: GraphqlInfo | null;
  tables: TableInfo[];
  functions: FunctionInfo[];
  issuer: boolean;
  cluster: { adapter: string; state: string };
}

/** Mirrors packages/syncline/src/functions/logs.ts (not imported: it pulls the server's logger types in). */
export interface FunctionLogEntry {
  /** Epoch ms. */
  time: number;
  requestId: string | null;
  /** Console level, or 'PLATFORM' for START / END / REPORT lines. */
  level: string;
  message: string;
}

export interface InvokeResult {
  requestId: string;
  durationMs: number;
  ok: boolean;
  payload?: unknown;
  error?: { errorType?: string; errorMessage?: string; [key: string]: unknown };
  logs: FunctionLogEntry[];
}

export interface StreamRecordView {
  eventID: string;
  eventName: string;
  sequenceNumber: string;
  shardId: string;
  keys: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
  approximateCreationDateTime: number | string;
  deliveries: StreamDeliveryRecord[];
}

export interface StreamView {
  streamArn: string;
  shards: { shardId: string; parentShardId?: string; startingSequenceNumber: string; endingSequenceNumber?: string }[];
  records: StreamRecordView[];
}

export interface RealtimeView {
  connections: {
    id: string;
    protocol: 'appsync' | 'graphql-transport-ws';
    connectedAt: number | string;
    auth: unknown;
    subscriptions: { id: string; field: string; filter?: unknown; variables?: unknown }[];
  }[];
}
