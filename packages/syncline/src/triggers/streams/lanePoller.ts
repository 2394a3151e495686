// One poller of a stream mapping: reads one shard (or, with a parallelization factor above 1, one lane of it:
// the records whose item key hashes to the lane, so each item's records keep their order) from its checkpoint,
// and delivers batches to the function with Lambda's semantics:
//   - a batch is up to batchSize records (6 MB at most), gathered until full or the batching window ends;
//     with a window of 0 the poller is woken by the write's commit, not by a timer;
//   - records not matching the filter patterns are dropped and the position advances past them;
//   - a failed batch is retried (maximumRetryAttempts, -1 = until the records expire), split in two first when
//     bisectBatchOnFunctionError is on (splits are not retries); ReportBatchItemFailures checkpoints before the
//     lowest reported record and retries from it; records past maximumRecordAgeInSeconds are not retried;
//     exhausted batches go to the on-failure destination and the shard moves on;
//   - tumbling windows pass `state` from invocation to invocation, and a final invocation closes each window.
// Progress is saved durably after each delivered batch: after a crash, delivery resumes at the checkpoint
// (at least once, nothing skipped).
import type { StreamEventModel } from '../../app/model.js';
import { LeaseLostError } from '../../cluster/leases.js';
import { newTraceRoot } from '../../functions/traceId.js';
import type { FunctionRuntime, InvokeResult } from '../../functions/types.js';
import type { Storage } from '../../tables/storage/port.js';
import { fnv1a, keyText, materializeRecord, type ShardRef, traceOfStoredRecord } from '../../tables/streams/index.js';
import { epochNow, newSpanId } from '../../trace/ids.js';
import type { JournalWriter } from '../../trace/journal.js';
import { type Checkpoint, checkpointKey, loadCheckpoint, saveCheckpoint } from './checkpoints.js';
import { matchesAnyPattern } from './eventPattern.js';
import { type FailureCondition, type FailureDestination, failurePayload, sendFailure } from './failureDestination.js';
import { type LambdaStreamRecord, type TumblingWindowEvent, toLambdaRecord } from './lambdaEvent.js';

/** Lambda's synchronous invocation payload limit caps a batch. */
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** A tumbling window's state above this ends the window early. */
const MAX_STATE_BYTES = 1024 * 1024;
const READ_PAGE = 1000;
/** Records skipped without a delivery (filtered out, other lanes) are checkpointed at most this often. */
const SKIP_CHECKPOINT_MS = 1000;

export interface MappingLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LaneOptions {
  mappingId: string;
  functionName: string;
  functionArn: string;
  event: StreamEventModel;
  streamArn: string;
  shard: ShardRef;
  lane: number;
  lanes: number;
  storage: Storage;
  runtime: () => FunctionRuntime | undefined;
  destination?: FailureDestination;
  log: MappingLog;
  now: () => number;
  /** Delay before retry number `attempt` (1-based). */
  retryDelayMs: (attempt: number) => number;
  /**
   * Writes the lane's checkpoint; default: a meta row in `storage`. In a cluster the write is fenced by the shard's
   * lease and throws LeaseLostError once another node holds it, which stops this poller.
   */
  saveCheckpoint?: (key: string, checkpoint: Checkpoint) => void;
  /** Told, before each delivery, the age of the batch's last record in ms (metrics: stream lag per shard). */
  onBatch?: (functionName: string, shardId: string, iteratorAgeMs: number) => void;
  /** Where each delivery attempt and its span are recorded; `table` names the source table there. */
  journal?: JournalWriter;
  table?: string;
}

interface Pending {
  sequence: number;
  createdAt: number;
  record: LambdaStreamRecord;
  /** The writing request's trace, `<Root>/<span id>` (tables/streams/records.ts). */
  trace?: string;
}

type Outcome =
  | { kind: 'ok' }
  | { kind: 'partial'; index: number }
  | { kind: 'error'; errorType: string; errorMessage?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class LanePoller {
  private readonly key: string;
  private readonly windowMs: number;
  private position = 0;
  private window: Checkpoint['window'];
  private lastSaved = 0;
  private firstSeenAt: number | undefined;
  private closed = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Invocations made for the batch being delivered (retries and bisected halves count up), for the journal. */
  private attempts = 0;
  /** Pending retry back-offs; closing cuts them short. */
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly o: LaneOptions) {
    this.key = checkpointKey(o.mappingId, o.streamArn, o.shard.shardKey, o.lane, o.lanes);
    this.windowMs = o.event.tumblingWindowInSeconds * 1000;
  }

  start(): void {
    this.running = this.run().catch((error) => {
      const context = { err: error, function: this.o.functionName, shard: this.o.shard.shardId };
      if (error instanceof LeaseLostError)
        this.o.log.warn(context, 'stream poller stopped: its shard moved to another node');
      else this.o.log.error(context, 'stream poller stopped');
    });
  }

  /** New records may be in the shard. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops after the invocation in flight (its batch is not checkpointed: it is delivered again next time). */
  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    for (const cut of [...this.sleepers]) cut();
    await this.running;
  }

  private wait(ms?: number): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wakeUp?.(), Math.max(0, ms));
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  private restore(): void {
    const { storage, streamArn, shard } = this.o;
    let checkpoint = loadCheckpoint(storage, this.key) ?? this.fromOtherLaneCounts();
    if (!checkpoint) {
      const after =
        this.o.event.startingPosition === 'LATEST'
          ? storage.read(
              (tx) =>
                tx.streamShardRange(streamArn, shard.shardKey)?.last ?? tx.streamTrimHorizon(streamArn, shard.shardKey),
            )
          : 0;
      checkpoint = { after };
      // Saved at once: a LATEST mapping must not skip what is written between now and its first delivery.
      this.persist(checkpoint);
    }
    this.position = checkpoint.after;
    this.window = checkpoint.window;
  }

  /** After a parallelization change, resume from the least advanced lane of the previous layout (at least once). */
  private fromOtherLaneCounts(): Checkpoint | undefined {
    let found: Checkpoint | undefined;
    for (let lanes = 1; lanes <= 10; lanes++) {
      if (lanes === this.o.lanes) continue;
      for (let lane = 0; lane < lanes; lane++) {
        const other = loadCheckpoint(
          this.o.storage,
          checkpointKey(this.o.mappingId, this.o.streamArn, this.o.shard.shardKey, lane, lanes),
        );
        if (other && (!found || other.after < found.after)) found = { after: other.after };
      }
    }
    return found;
  }

  private save(): void {
    const checkpoint: Checkpoint = { after: this.position };
    if (this.window) checkpoint.window = this.window;
    this.persist(checkpoint);
    this.lastSaved = this.o.now();
  }

  private persist(checkpoint: Checkpoint): void {
    if (this.o.saveCheckpoint) this.o.saveCheckpoint(this.key, checkpoint);
    else saveCheckpoint(this.o.storage, this.key, checkpoint);
  }

  private windowOf(p: Pending): number {
    return Math.floor(p.createdAt / this.windowMs) * this.windowMs;
  }

  private laneOf(record: LambdaStreamRecord): number {
    const keys = record.dynamodb.Keys;
    const text = Object.keys(keys)
      .sort()
      .map((k) => `${k}=${keyText(keys[k])}`)
      .join('\u0000');
    return fnv1a(text) % this.o.lanes;
  }

  /** The next batch after the position, and how far reading got (dropped records included). */
  private collect(): { batch: Pending[]; through: number } {
    const { storage, streamArn, shard, event } = this.o;
    const batch: Pending[] = [];
    let through = this.position;
    let bytes = 0;
    for (;;) {
      const rows = storage.read((tx) => tx.readStreamRecords(streamArn, through, READ_PAGE, shard.shardKey));
      for (const row of rows) {
        const record = toLambdaRecord(materializeRecord(streamArn, row.sequence, row.record), streamArn);
        const pending: Pending = { sequence: row.sequence, createdAt: row.createdAt, record };
        const trace = traceOfStoredRecord(row.record);
        if (trace) pending.trace = trace;
        if (this.o.lanes > 1 && this.laneOf(record) !== this.o.lane) {
          through = row.sequence;
          continue;
        }
        if (!matchesAnyPattern(event.filterPatterns, record)) {
          through = row.sequence;
          continue;
        }
        if (batch.length && this.windowMs && this.windowOf(pending) !== this.windowOf(batch[0]))
          return { batch, through };
        bytes += row.record.length;
        if (batch.length && bytes > MAX_BATCH_BYTES) return { batch, through };
        batch.push(pending);
        through = row.sequence;
        if (batch.length >= event.batchSize) return { batch, through };
      }
      if (rows.length < READ_PAGE) return { batch, through };
    }
  }

  private async run(): Promise<void> {
    this.restore();
    const { event } = this.o;
    const batchingMs = event.maximumBatchingWindowInSeconds * 1000;
    while (!this.closed) {
      this.woken = false;
      const { batch, through } = this.collect();
      const now = this.o.now();
      if (this.window) {
        const ended = batch.length
          ? this.windowOf(batch[0]) !== this.window.start
          : now >= this.window.start + this.windowMs;
        if (ended) {
          if (!(await this.finishWindow(false))) return;
          continue;
        }
      }
      if (!batch.length) {
        if (through > this.position) {
          this.position = through;
          if (now - this.lastSaved >= SKIP_CHECKPOINT_MS) this.save();
        }
        await this.wait(this.window ? this.window.start + this.windowMs - now : undefined);
        continue;
      }
      if (batch.length < event.batchSize && batchingMs > 0) {
        this.firstSeenAt ??= now;
        const left = this.firstSeenAt + batchingMs - now;
        if (left > 0) {
          await this.wait(left);
          continue;
        }
      }
      this.firstSeenAt = undefined;
      this.attempts = 0;
      if (!(await this.deliver(batch))) return;
      this.position = through;
      this.save();
      if (this.window && JSON.stringify(this.window.state ?? null).length > MAX_STATE_BYTES) {
        if (!(await this.finishWindow(true))) return;
      }
    }
  }

  /** Delivers `records` (or hands them to the destination); false when closed before finishing. */
  private async deliver(records: Pending[]): Promise<boolean> {
    const { event } = this.o;
    let batch = records;
    let failures = 0;
    let invokes = 0;
    for (;;) {
      if (this.closed) return false;
      if (event.maximumRecordAgeInSeconds >= 0) {
        const cutoff = this.o.now() - event.maximumRecordAgeInSeconds * 1000;
        const stale = batch.findIndex((p) => p.createdAt >= cutoff);
        const count = stale === -1 ? batch.length : stale;
        if (count > 0) {
          if (!(await this.fail(batch.slice(0, count), 'RecordAgeExceeded', invokes, undefined))) return false;
          this.advance(batch[count - 1]);
          batch = batch.slice(count);
          if (!batch.length) return true;
        }
      }
      this.o.onBatch?.(this.o.functionName, this.o.shard.shardId, this.o.now() - batch[batch.length - 1].createdAt);
      const outcome = await this.invoke(batch);
      invokes++;
      if (outcome.kind === 'ok') return true;
      if (this.closed) return false;
      if (outcome.kind === 'partial') {
        if (outcome.index > 0) {
          this.advance(batch[outcome.index - 1]);
          batch = batch.slice(outcome.index);
        }
      } else if (event.bisectBatchOnFunctionError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        if (!(await this.deliver(batch.slice(0, half)))) return false;
        this.advance(batch[half - 1]);
        return this.deliver(batch.slice(half));
      }
      failures++;
      if (event.maximumRetryAttempts >= 0 && failures > event.maximumRetryAttempts) {
        const errorType = outcome.kind === 'error' ? outcome.errorType : undefined;
        return this.fail(batch, 'RetryAttemptsExhausted', invokes, errorType);
      }
      await this.sleep(this.o.retryDelayMs(failures));
    }
  }

  /** Records up to `p` are done: checkpoint there (so a crash mid-retry does not redeliver them). */
  private advance(p: Pending): void {
    if (p.sequence > this.position) {
      this.position = p.sequence;
      this.save();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private functionEvent(batch: Pending[], final = false, early = false): unknown {
    const Records = batch.map((p) => p.record);
    if (!this.windowMs) return { Records };
    const start = this.window?.start ?? this.windowOf(batch[0]);
    const event: TumblingWindowEvent = {
      Records,
      window: { start: new Date(start).toISOString(), end: new Date(start + this.windowMs).toISOString() },
      state: this.window?.state ?? {},
      shardId: this.o.shard.shardId,
      eventSourceARN: this.o.streamArn,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: early,
    };
    return event;
  }

  private async call(event: unknown, traceHeader?: string): Promise<InvokeResult | undefined> {
    const runtime = this.o.runtime();
    try {
      if (!runtime) throw new Error('no functions runtime');
      return await runtime.invoke(this.o.functionName, event, { traceHeader, trigger: 'stream' });
    } catch (error) {
      this.o.log.error({ err: error, function: this.o.functionName }, 'stream mapping could not invoke its function');
      return undefined;
    }
  }

  private async invoke(batch: Pending[]): Promise<Outcome> {
    const journal = this.o.journal;
    if (!journal) return this.outcome(batch, await this.call(this.functionEvent(batch)));
    // The function continues the trace of the batch's first traced record (a batch of untraced records starts
    // one); the batch's span is recorded in every trace its records carry.
    this.attempts++;
    const start = epochNow();
    const spanId = newSpanId();
    const parents = new Map<string, string | undefined>();
    for (const p of batch) {
      if (!p.trace) continue;
      const slash = p.trace.indexOf('/');
      const root = p.trace.slice(0, slash);
      if (!parents.has(root)) parents.set(root, p.trace.slice(slash + 1));
    }
    if (parents.size === 0) parents.set(newTraceRoot(), undefined);
    const [root] = parents.keys();
    const result = await this.call(this.functionEvent(batch), `Root=${root};Parent=${spanId};Sampled=0`);
    const outcome = this.outcome(batch, result);
    this.record(journal, batch, outcome, result, start, spanId, parents);
    return outcome;
  }

  private record(
    journal: JournalWriter,
    batch: Pending[],
    outcome: Outcome,
    result: InvokeResult | undefined,
    start: number,
    spanId: string,
    parents: Map<string, string | undefined>,
  ): void {
    const durationMs = epochNow() - start;
    const table = this.o.table ?? this.o.streamArn;
    const shardId = this.o.shard.shardId;
    const error =
      outcome.kind === 'error'
        ? outcome.errorMessage
          ? `${outcome.errorType}: ${outcome.errorMessage}`
          : outcome.errorType
        : undefined;
    journal.streamDelivery({
      table,
      functionName: this.o.functionName,
      shardId,
      eventIds: batch.map((p) => p.record.eventID),
      attempt: this.attempts,
      start,
      durationMs,
      result: outcome.kind,
      error,
      requestId: result?.requestId,
      traceIds: [...parents.keys()],
    });
    let first = true;
    for (const [traceId, parentSpanId] of parents) {
      journal.span({
        traceId,
        // Only the continued trace holds the function's parent; the others get their own id.
        spanId: first ? spanId : newSpanId(),
        parentSpanId,
        name: `${table} → ${this.o.functionName}`,
        kind: 'stream-batch',
        start,
        durationMs,
        status: outcome.kind === 'ok' ? 'ok' : 'error',
        attributes: {
          'aws.dynamodb.table_names': table,
          'aws.dynamodb.shard_id': shardId,
          'messaging.batch.message_count': batch.length,
          'syncline.attempt': this.attempts,
          'syncline.result': outcome.kind,
          ...(error ? { 'error.type': error } : {}),
        },
      });
      first = false;
    }
  }

  private outcome(batch: Pending[], result: InvokeResult | undefined): Outcome {
    if (!result) return { kind: 'error', errorType: 'ServiceException' };
    if (!result.ok)
      return { kind: 'error', errorType: result.error.errorType, errorMessage: result.error.errorMessage };
    const payload = result.payload;
    if (this.windowMs) {
      // A tumbling-window function must return its state; without it the invocation counts as failed.
      if (!isObject(payload) || !('state' in payload)) return { kind: 'error', errorType: 'InvalidStateResponse' };
      this.window = { start: this.window?.start ?? this.windowOf(batch[0]), state: payload.state };
    }
    if (!this.o.event.reportBatchItemFailures) return { kind: 'ok' };
    const failures = isObject(payload) ? payload.batchItemFailures : undefined;
    if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) {
      return { kind: 'ok' };
    }
    if (!Array.isArray(failures)) return { kind: 'error', errorType: 'Unhandled' };
    let lowest = batch.length;
    for (const failure of failures) {
      const id = isObject(failure) ? failure.itemIdentifier : undefined;
      const index = typeof id === 'string' && id ? batch.findIndex((p) => p.record.dynamodb.SequenceNumber === id) : -1;
      // An empty, null or unknown identifier fails the whole batch, as Lambda does.
      if (index === -1) return { kind: 'error', errorType: 'Unhandled' };
      lowest = Math.min(lowest, index);
    }
    return { kind: 'partial', index: lowest };
  }

  /** Closes the open window with its final invocation; a failing final invocation halts the lane until it succeeds. */
  private async finishWindow(early: boolean): Promise<boolean> {
    for (let attempt = 1; !this.closed; attempt++) {
      const result = await this.call(this.functionEvent([], true, early));
      if (result?.ok) {
        this.window = undefined;
        this.save();
        return true;
      }
      await this.sleep(this.o.retryDelayMs(attempt));
    }
    return false;
  }

  private async fail(
    batch: Pending[],
    condition: FailureCondition,
    invokeCount: number,
    functionError: string | undefined,
  ): Promise<boolean> {
    const first = batch[0];
    const last = batch[batch.length - 1];
    const context = {
      function: this.o.functionName,
      condition,
      shard: this.o.shard.shardId,
      from: first.record.dynamodb.SequenceNumber,
      to: last.record.dynamodb.SequenceNumber,
    };
    const destination = this.o.destination;
    if (!destination) {
      this.o.log.warn(context, 'stream batch discarded after failures (no onFailure destination)');
      return true;
    }
    const payload = failurePayload(
      {
        functionArn: this.o.functionArn,
        condition,
        invokeCount,
        functionError,
        shardId: this.o.shard.shardId,
        streamArn: this.o.streamArn,
        first: { sequenceNumber: first.record.dynamodb.SequenceNumber, arrivedAt: first.createdAt },
        last: { sequenceNumber: last.record.dynamodb.SequenceNumber, arrivedAt: last.createdAt },
        batchSize: batch.length,
      },
      this.o.now(),
    );
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await sendFailure(destination, payload);
        return true;
      } catch (error) {
        this.o.log.error({ ...context, err: error }, 'could not deliver to the onFailure destination; retrying');
        await this.sleep(this.o.retryDelayMs(attempt));
      }
    }
    return false;
  }
}
