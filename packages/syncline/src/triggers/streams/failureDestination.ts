// The on-failure destination of a stream mapping. Like Lambda, it receives the batch's metadata (where the
// records are in the stream), not the records: a consumer re-reads them from the stream within retention.
// Lambda sends it to SQS or SNS; Syncline sends it to another function (async invoke) or writes it to a table.
import { randomUUID } from 'node:crypto';
import type { FunctionRuntime } from '../../functions/types.js';
import type { TableEngine } from '../../tables/index.js';
import type { AttributeValue, Item } from '../../tables/values/index.js';

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface FailedBatch {
  functionArn: string;
  condition: FailureCondition;
  invokeCount: number;
  /** The last invocation's error type, when there was one. */
  functionError?: string;
  shardId: string;
  streamArn: string;
  first: { sequenceNumber: string; arrivedAt: number };
  last: { sequenceNumber: string; arrivedAt: number };
  batchSize: number;
}

export interface FailurePayload {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: FailureCondition;
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export function failurePayload(batch: FailedBatch, nowMs: number): FailurePayload {
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: batch.functionError ?? 'Unhandled',
    },
    version: '1.0',
    timestamp: new Date(nowMs).toISOString(),
    DDBStreamBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: batch.first.sequenceNumber,
      endSequenceNumber: batch.last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(batch.first.arrivedAt).toISOString(),
      approximateArrivalOfLastRecord: new Date(batch.last.arrivedAt).toISOString(),
      batchSize: batch.batchSize,
      streamArn: batch.streamArn,
    },
  };
}

function marshal(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshal) };
  return { M: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, marshal(v)])) };
}

function keyValue(type: string, text: string): AttributeValue {
  if (type === 'N') return { N: text.replace(/\D/g, '') || '0' };
  if (type === 'B') return { B: Buffer.from(text).toString('base64') };
  return { S: text };
}

/**
 * The item a table destination receives: the payload's members as attributes, keyed so a redelivered failure of
 * the same batch overwrites its earlier item (partition key: stream, shard and first sequence number — or just the
 * number for a numeric key; sort key: the last sequence number).
 */
export function failureItem(payload: FailurePayload, keySchema: Array<{ name: string; type: string }>): Item {
  const info = payload.DDBStreamBatchInfo;
  const item: Item = {};
  for (const [k, v] of Object.entries(payload)) item[k] = marshal(v);
  const [hash, range] = keySchema;
  item[hash.name] = keyValue(
    hash.type,
    hash.type === 'N' ? info.startSequenceNumber : `${info.streamArn}/${info.shardId}/${info.startSequenceNumber}`,
  );
  if (range) item[range.name] = keyValue(range.type, info.endSequenceNumber);
  return item;
}

export type FailureDestination =
  | { kind: 'function'; name: string; runtime: () => FunctionRuntime | undefined }
  | { kind: 'table'; tableName: string; keySchema: Array<{ name: string; type: string }>; tables: TableEngine };

/** Delivers the payload; throws when it cannot be delivered (the caller logs and retries). */
export async function sendFailure(destination: FailureDestination, payload: FailurePayload): Promise<void> {
  if (destination.kind === 'table') {
    destination.tables.putItem({ TableName: destination.tableName, Item: failureItem(payload, destination.keySchema) });
    return;
  }
  const runtime = destination.runtime();
  if (!runtime) throw new Error(`no functions runtime to deliver to ${destination.name}`);
  await runtime.invoke(destination.name, payload, { invocationType: 'Event' });
}
