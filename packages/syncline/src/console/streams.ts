// GET /_console/api/streams/<table>: a table's stream — its shards and its newest records, each with the batches
// that carried it to functions (the journal's stream deliveries, joined by eventID). Read through the DynamoDB
// Streams API itself, so the console shows exactly what a consumer would read.
import type { AppModel } from '../app/model.js';
import type { TableEngine } from '../tables/index.js';
import { createStreamsApi } from '../tables/streams/index.js';
import type { Journal, StreamDeliveryRecord } from '../trace/types.js';
import { notFound } from './http.js';

export interface StreamView {
  streamArn: string;
  shards: { shardId: string; parentShardId?: string; startingSequenceNumber: string; endingSequenceNumber?: string }[];
  records: StreamRecordView[];
}

export interface StreamRecordView {
  eventID: string;
  eventName: string;
  sequenceNumber: string;
  shardId: string;
  keys: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
  /** Epoch ms (DynamoDB Streams sends seconds; the console's times are all milliseconds). */
  approximateCreationDateTime: number;
  deliveries: StreamDeliveryRecord[];
}

/** GetRecords pages read per shard at most: a bound on one request's work on a busy stream. */
const MAX_PAGES = 200;

/** `table`: the DynamoDB table name or its key under the app's `tables`. */
export function streamView(
  app: AppModel,
  engine: TableEngine,
  journal: Journal | undefined,
  table: string,
  limit: number,
): StreamView {
  const declared = app.tables[table];
  const name = declared?.name ?? table;
  let description: Record<string, any>;
  try {
    description = (engine.describeTable({ TableName: name }) as { Table: Record<string, any> }).Table;
  } catch {
    throw notFound(`Table not found: ${table}`);
  }
  const streamArn = description.LatestStreamArn as string | undefined;
  if (!streamArn) throw notFound(`Table ${name} has no stream.`);
  const api = createStreamsApi({ storage: engine.storage });
  const stream = (api.execute('DescribeStream', { StreamArn: streamArn }) as { StreamDescription: any })
    .StreamDescription;
  const shards: StreamView['shards'] = (stream.Shards as any[]).map((s) => ({
    shardId: s.ShardId,
    ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}),
    startingSequenceNumber: s.SequenceNumberRange.StartingSequenceNumber,
    ...(s.SequenceNumberRange.EndingSequenceNumber
      ? { endingSequenceNumber: s.SequenceNumberRange.EndingSequenceNumber }
      : {}),
  }));

  const records: StreamRecordView[] = [];
  for (const shard of shards) {
    const kept: StreamRecordView[] = [];
    let iterator = (
      api.execute('GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shard.shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }) as { ShardIterator?: string }
    ).ShardIterator;
    for (let page = 0; iterator && page < MAX_PAGES; page++) {
      const out = api.execute('GetRecords', { ShardIterator: iterator, Limit: 1000 }) as {
        Records: any[];
        NextShardIterator?: string;
      };
      for (const r of out.Records) {
        kept.push(recordView(r, shard.shardId));
        // Only the newest `limit` of a shard can be among the newest `limit` overall.
        if (kept.length > limit) kept.shift();
      }
      if (out.Records.length === 0) break;
      iterator = out.NextShardIterator;
    }
    records.push(...kept);
  }
  records.sort((a, b) => compareSequence(b.sequenceNumber, a.sequenceNumber));
  const newest = records.slice(0, limit);

  if (journal) {
    const byEvent = new Map<string, StreamDeliveryRecord[]>();
    const names = new Set([table, name, ...(declared ? [] : idsOf(app, name))]);
    for (const delivery of journal.streamDeliveries()) {
      if (!names.has(delivery.table)) continue;
      for (const id of delivery.eventIds) {
        let list = byEvent.get(id);
        if (!list) byEvent.set(id, (list = []));
        list.push(delivery);
      }
    }
    for (const record of newest) record.deliveries = byEvent.get(record.eventID) ?? [];
  }
  return { streamArn, shards, records: newest };
}

const idsOf = (app: AppModel, name: string) =>
  Object.entries(app.tables)
    .filter(([, t]) => t.name === name)
    .map(([id]) => id);

function recordView(r: any, shardId: string): StreamRecordView {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    sequenceNumber: d.SequenceNumber,
    shardId,
    keys: d.Keys ?? {},
    ...(d.NewImage ? { newImage: d.NewImage } : {}),
    ...(d.OldImage ? { oldImage: d.OldImage } : {}),
    approximateCreationDateTime: toMs(d.ApproximateCreationDateTime),
    deliveries: [],
  };
}

const toMs = (value: unknown) =>
  typeof value === 'number' ? Math.round(value * 1000) : value instanceof Date ? value.getTime() : 0;

/** Sequence numbers are decimal strings of up to 40 digits: longer is larger, then by digit. */
function compareSequence(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
