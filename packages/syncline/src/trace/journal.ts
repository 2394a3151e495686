// The journal's memory: bounded rings of recent traces, invocations and stream deliveries, written on the request
// path and read by the console (and, through `subscribe`, by the OTLP exporter). Writing is a few array and map
// operations; nothing is serialized or copied until someone reads.
import type {
  InvocationRecord,
  Journal,
  JournalEvent,
  Span,
  StreamDeliveryRecord,
  TraceId,
  TraceSummary,
} from './types.js';

/** Where a span hangs in its trace: the trace and the span that caused it. */
export interface SpanParent {
  traceId: TraceId;
  spanId: string;
}

/** The write side, for the server's hooks. */
export interface JournalWriter {
  span(span: Span): void;
  invocation(record: InvocationRecord): void;
  streamDelivery(record: StreamDeliveryRecord): void;
  /**
   * Runs synchronous work (a table write) with `parent` as the ambient span, so hooks deep inside it (the stream
   * recorder) can tag what they produce without the span being passed through every layer.
   */
  within<T>(parent: SpanParent, work: () => T): T;
  /** The ambient span of the synchronous work running now, if any. */
  ambient(): SpanParent | undefined;
}

export interface JournalLimits {
  traces: number;
  spansPerTrace: number;
  /** Spans of all traces together: the oldest traces go first past it, so memory stays bounded whatever the shape. */
  spans: number;
  invocations: number;
  streamDeliveries: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = {
  traces: 500,
  spansPerTrace: 2000,
  spans: 50_000,
  invocations: 1000,
  streamDeliveries: 1000,
};

/** A fixed-size ring; `newest()` lists from the last pushed backwards. */
class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  newest(limit: number, keep?: (item: T) => boolean): T[] {
    const out: T[] = [];
    const n = this.items.length;
    for (let i = 1; i <= n && out.length < limit; i++) {
      const item = this.items[(this.next - i + n) % n];
      if (!keep || keep(item)) out.push(item);
    }
    return out;
  }
}

export function createJournal(limits: Partial<JournalLimits> = {}): Journal & JournalWriter {
  const max = { ...DEFAULT_JOURNAL_LIMITS, ...limits };
  // A Map iterates in insertion order, and a trace is moved to the end when it gets a span: the first key is the
  // trace idle longest, evicted first (a trace still growing, its stream batch running late, stays).
  const traces = new Map<TraceId, Span[]>();
  const invocations = new Ring<InvocationRecord>(max.invocations);
  const deliveries = new Ring<StreamDeliveryRecord>(max.streamDeliveries);
  const listeners = new Set<(event: JournalEvent) => void>();
  let ambient: SpanParent | undefined;
  let spanCount = 0;

  const evictOldest = () => {
    const oldest = traces.keys().next().value as TraceId;
    spanCount -= traces.get(oldest)!.length;
    traces.delete(oldest);
  };

  const emit = (event: JournalEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed console stream) must not fail the request that recorded.
      }
    }
  };

  const summary = (traceId: TraceId, spans: Span[]): TraceSummary => {
    let first = spans[0];
    let end = 0;
    let status: TraceSummary['status'] = 'ok';
    for (const span of spans) {
      if (span.start < first.start || (span.start === first.start && !span.parentSpanId)) first = span;
      end = Math.max(end, span.start + span.durationMs);
      if (span.status === 'error') status = 'error';
    }
    return {
      traceId,
      name: first.name,
      kind: first.kind,
      start: first.start,
      durationMs: end - first.start,
      spanCount: spans.length,
      status,
    };
  };

  return {
    span(span) {
      let spans = traces.get(span.traceId);
      if (spans) traces.delete(span.traceId);
      else if (traces.size >= max.traces) evictOldest();
      traces.set(span.traceId, (spans ??= []));
      if (spans.length >= max.spansPerTrace) return;
      spans.push(span);
      spanCount++;
      // The trace just written to is last, so it is evicted only when it is the only one.
      while (spanCount > max.spans && traces.size > 1) evictOldest();
      if (listeners.size) emit({ type: 'span', span });
    },
    invocation(record) {
      invocations.push(record);
      if (listeners.size) emit({ type: 'invocation', invocation: record });
    },
    streamDelivery(record) {
      deliveries.push(record);
      if (listeners.size) emit({ type: 'stream-delivery', delivery: record });
    },
    within(parent, work) {
      const outer = ambient;
      ambient = parent;
      try {
        return work();
      } finally {
        ambient = outer;
      }
    },
    ambient: () => ambient,

    traces(limit = 50) {
      const all = [...traces].map(([id, spans]) => summary(id, spans));
      return all.sort((a, b) => b.start - a.start).slice(0, limit);
    },
    trace(traceId) {
      const spans = traces.get(traceId);
      return spans && [...spans].sort((a, b) => a.start - b.start);
    },
    invocations(functionName, limit = 100) {
      return invocations.newest(limit, functionName === undefined ? undefined : (r) => r.functionName === functionName);
    },
    streamDeliveries(table, limit = 100) {
      return deliveries.newest(limit, table === undefined ? undefined : (r) => r.table === table);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
