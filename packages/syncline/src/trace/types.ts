// What the server remembers of recent work, for the console and for OpenTelemetry: traces (the one path from an
// HTTP route through functions, table writes, stream batches and mutations to subscriber deliveries), function
// invocations and stream deliveries. Bounded rings in memory per node; exported over OTLP when configured.

/** The X-Ray trace id's Root (`1-<8 hex>-<24 hex>`), the id every hop of one path shares. */
export type TraceId = string;

export type SpanKind =
  | 'http-route'
  | 'graphql'
  | 'resolver'
  | 'function'
  | 'aws-api'
  | 'table-write'
  | 'stream-batch'
  | 'mutation'
  | 'delivery'
  | 'schedule'
  | 'event';

export interface Span {
  traceId: TraceId;
  /** 16 hex digits. */
  spanId: string;
  parentSpanId?: string;
  /** `POST /orders`, `createOrder`, `PutItem orders`, `Mutation.publishOrder`, `onOrderChanged ×3`. */
  name: string;
  kind: SpanKind;
  /** Epoch ms (fractional). */
  start: number;
  durationMs: number;
  status: 'ok' | 'error';
  attributes: Record<string, string | number | boolean>;
}

export interface TraceSummary {
  traceId: TraceId;
  /** The first span's name and kind. */
  name: string;
  kind: SpanKind;
  start: number;
  /** From the first span's start to the last span's end. */
  durationMs: number;
  spanCount: number;
  status: 'ok' | 'error';
}

export type InvocationTrigger = 'http' | 'stream' | 'schedule' | 'invoke' | 'eventbridge' | 'resolver' | 'async';

export interface InvocationRecord {
  functionName: string;
  requestId: string;
  trigger: InvocationTrigger;
  start: number;
  durationMs: number;
  ok: boolean;
  error?: { errorType: string; errorMessage: string };
  traceId?: TraceId;
}

export interface StreamDeliveryRecord {
  table: string;
  functionName: string;
  shardId: string;
  /** The eventIDs of the batch's records, in order. */
  eventIds: string[];
  /** 1 for the first try; retries and bisected halves count up. */
  attempt: number;
  start: number;
  durationMs: number;
  result: 'ok' | 'error' | 'partial';
  error?: string;
  requestId?: string;
  traceIds: TraceId[];
}

export type JournalEvent =
  | { type: 'span'; span: Span }
  | { type: 'invocation'; invocation: InvocationRecord }
  | { type: 'stream-delivery'; delivery: StreamDeliveryRecord };

/** Read side, for the console API. Newest first everywhere. */
export interface Journal {
  traces(limit?: number): TraceSummary[];
  trace(traceId: TraceId): Span[] | undefined;
  invocations(functionName?: string, limit?: number): InvocationRecord[];
  streamDeliveries(table?: string, limit?: number): StreamDeliveryRecord[];
  /** Live events; returns the unsubscribe. */
  subscribe(listener: (event: JournalEvent) => void): () => void;
}
