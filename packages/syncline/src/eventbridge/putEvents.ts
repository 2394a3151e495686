// EventBridge's PutEvents, as the service validates and answers it: the request is refused as a whole only when its
// shape is wrong (no Entries, more than 10, over 256 KB); otherwise each entry succeeds with an EventId or fails with
// its own ErrorCode and ErrorMessage, and FailedEntryCount counts the failures. Accepted entries become EventBridge
// events (`version`, `id`, `detail-type`, `source`, `account`, `time`, `region`, `resources`, `detail`).
import { randomUUID } from 'node:crypto';

/** PutEvents' limit on the total size of a request's entries. */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;
export const PUT_EVENTS_MAX_ENTRIES = 10;

export interface PutEventsRequestEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
  TraceHeader?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** The event rules see and targets receive. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

/** A request refused as a whole, serialized as `{ __type, message }` with status 400. */
export class EventsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = (s: unknown) => (typeof s === 'string' ? Buffer.byteLength(s, 'utf8') : 0);

/** The size PutEvents counts for one entry (AWS's documented calculation). */
export function entrySize(e: PutEventsRequestEntry): number {
  let size = e.Time !== undefined ? 14 : 0;
  size += utf8(e.Source) + utf8(e.DetailType) + utf8(e.Detail);
  if (Array.isArray(e.Resources)) for (const r of e.Resources) size += utf8(r);
  return size;
}

/** Checks the request's shape; returns its entries. */
export function parsePutEvents(body: unknown): PutEventsRequestEntry[] {
  const entries = (body as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries)) {
    throw new EventsError(
      'ValidationException',
      "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (entries.length < 1 || entries.length > PUT_EVENTS_MAX_ENTRIES) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${PUT_EVENTS_MAX_ENTRIES}`;
    throw new EventsError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  if (entries.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) {
    throw new EventsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  const total = entries.reduce((n, e) => n + entrySize(e), 0);
  if (total > PUT_EVENTS_MAX_BYTES) {
    throw new EventsError('ValidationException', 'Total size of the entries in the request is over the limit.');
  }
  return entries as PutEventsRequestEntry[];
}

const invalid = (parameter: string, reason: string) => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
});

/** The bus an entry names (a name or an event-bus ARN), `default` when it names none. */
export function busNameOf(entry: PutEventsRequestEntry): string | undefined {
  const name = entry.EventBusName;
  if (name === undefined || name === null || name === '') return 'default';
  if (typeof name !== 'string') return undefined;
  const arn = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/([A-Za-z0-9._/-]{1,256})$/.exec(name);
  if (arn) return arn[1];
  return /^[A-Za-z0-9._/-]{1,256}$/.test(name) ? name : undefined;
}

/**
 * One entry: its event, or the error PutEvents reports for it. `buses` are the names that exist; `time` gives the
 * event time when the entry has none.
 */
export function toEvent(
  entry: PutEventsRequestEntry,
  where: { account: string; region: string; buses: ReadonlySet<string>; now: Date },
): { bus: string; event: EventBridgeEvent } | { ErrorCode: string; ErrorMessage: string } {
  const { Source, DetailType, Detail, Resources, Time } = entry;
  if (typeof Source !== 'string' || Source === '') return invalid('Source', 'Source is a required argument.');
  if (Source.length > 256) return invalid('Source', 'Source is longer than 256 characters.');
  if (typeof DetailType !== 'string' || DetailType === '') {
    return invalid('DetailType', 'DetailType is a required argument.');
  }
  if (DetailType.length > 128) return invalid('DetailType', 'DetailType is longer than 128 characters.');
  if (typeof Detail !== 'string' || Detail === '') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (Source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  if (Resources !== undefined && (!Array.isArray(Resources) || Resources.some((r) => typeof r !== 'string'))) {
    return invalid('Resources', 'Resources must be a list of strings.');
  }
  const bus = busNameOf(entry);
  if (bus === undefined) return invalid('EventBusName', 'EventBusName is not a valid name or ARN.');
  if (!where.buses.has(bus)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  }
  let time = where.now;
  if (Time !== undefined && Time !== null) {
    // The SDK sends a timestamp as epoch seconds.
    const t = typeof Time === 'number' ? new Date(Time * 1000) : new Date(String(Time));
    if (Number.isNaN(t.getTime())) return invalid('Time', 'Time is not a valid timestamp.');
    time = t;
  }
  return {
    bus,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': DetailType,
      source: Source,
      account: where.account,
      // EventBridge's times have no fraction of a second.
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: where.region,
      resources: (Resources as string[] | undefined) ?? [],
      detail,
    },
  };
}
