// Stream records: what a change becomes in the stream, in DynamoDB Streams' wire shape.
// A record is stored without its sequence number and event id (storage assigns the sequence on append); both are
// added when the record is read, the event id derived from stream and sequence so every read of a record agrees.
import { createHash } from 'node:crypto';
import type { ItemChange } from '../context.js';
import type { StreamSpecification } from '../model.js';
import { type Item, itemSize, valuesEqual } from '../values/index.js';
import { formatSequenceNumber } from './sequenceNumbers.js';

export type StreamViewType = NonNullable<StreamSpecification['StreamViewType']>;
export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** The `dynamodb` member of a record (StreamRecord in the API reference). */
export interface StreamRecordData {
  /** Epoch seconds, rounded down. */
  ApproximateCreationDateTime: number;
  Keys: Item;
  NewImage?: Item;
  OldImage?: Item;
  SequenceNumber: string;
  SizeBytes: number;
  StreamViewType: StreamViewType;
}

/** A record as GetRecords returns it. */
export interface StreamRecord {
  eventID: string;
  eventName: EventName;
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: StreamRecordData;
  /** Present on TTL deletions only. */
  userIdentity?: { PrincipalId: 'dynamodb.amazonaws.com'; Type: 'Service' };
}

/** What storage keeps per record: the wire record minus what the sequence determines. */
export type StoredStreamRecord = Omit<StreamRecord, 'eventID' | 'eventVersion' | 'eventSource' | 'dynamodb'> & {
  dynamodb: Omit<StreamRecordData, 'SequenceNumber'>;
  /**
   * The trace of the write that made the record (`<X-Ray Root>/<span id>`), first in the JSON so a reader finds
   * it without parsing: the stream batch that delivers the record continues that trace. Never on the wire.
   */
  trace?: string;
};

const TRACE_PREFIX = '{"trace":"';

/** The `trace` of a stored record's JSON, or undefined. */
export function traceOfStoredRecord(json: string): string | undefined {
  if (!json.startsWith(TRACE_PREFIX)) return undefined;
  const end = json.indexOf('"', TRACE_PREFIX.length);
  return end === -1 ? undefined : json.slice(TRACE_PREFIX.length, end);
}

const SERVICE_IDENTITY = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } as const;

/** True when two item images are the same item (numbers by value, sets unordered): such a write records nothing. */
export function sameItem(a: Item, b: Item): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((n) => Object.hasOwn(b, n) && valuesEqual(a[n], b[n]));
}

function regionOf(tableArn: string): string {
  return tableArn.split(':')[3] ?? 'us-east-1';
}

/** The record of a change, or undefined when the change changes nothing. */
export function buildStreamRecord(
  change: ItemChange,
  viewType: StreamViewType,
  nowMs: number,
): StoredStreamRecord | undefined {
  const { oldItem, newItem, keys } = change;
  if (oldItem && newItem && sameItem(oldItem, newItem)) return undefined;
  const eventName: EventName = oldItem ? (newItem ? 'MODIFY' : 'REMOVE') : 'INSERT';
  const data: StoredStreamRecord['dynamodb'] = {
    ApproximateCreationDateTime: Math.floor(nowMs / 1000),
    Keys: keys,
    SizeBytes: 0,
    StreamViewType: viewType,
  };
  let size = itemSize(keys);
  if (newItem && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
    data.NewImage = newItem;
    size += itemSize(newItem);
  }
  if (oldItem && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
    data.OldImage = oldItem;
    size += itemSize(oldItem);
  }
  data.SizeBytes = size;
  const record: StoredStreamRecord = { eventName, awsRegion: regionOf(change.table.TableArn), dynamodb: data };
  if (change.origin === 'ttl') record.userIdentity = SERVICE_IDENTITY;
  return record;
}

/** A globally unique, stable event id: 32 hex digits like DynamoDB's. */
export function eventIdOf(streamArn: string, sequence: number): string {
  return createHash('md5').update(`${streamArn}#${sequence}`).digest('hex');
}

/** The wire record of a stored one. */
export function materializeRecord(streamArn: string, sequence: number, json: string): StreamRecord {
  const stored = JSON.parse(json) as StoredStreamRecord;
  const { ApproximateCreationDateTime, Keys, NewImage, OldImage, SizeBytes, StreamViewType } = stored.dynamodb;
  // Members in DynamoDB's order, images only when the view type carries them.
  const dynamodb: StreamRecordData = {
    ApproximateCreationDateTime,
    Keys,
    ...(NewImage ? { NewImage } : {}),
    ...(OldImage ? { OldImage } : {}),
    SequenceNumber: formatSequenceNumber(sequence),
    SizeBytes,
    StreamViewType,
  };
  const record: StreamRecord = {
    eventID: eventIdOf(streamArn, sequence),
    eventName: stored.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: stored.awsRegion,
    dynamodb,
  };
  if (stored.userIdentity) record.userIdentity = stored.userIdentity;
  return record;
}
