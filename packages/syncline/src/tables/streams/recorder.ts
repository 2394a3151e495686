// The stream recorder: the table engine's change hook. It appends each change's record inside the writing
// transaction (a transactional outbox: no write without its record, no record without its write) and, once the
// transaction has committed, tells listeners which shards grew, so stream consumers wake on writes instead of polling.
import type { ChangeHook } from '../context.js';
import type { StoredTable } from '../model.js';
import type { StorageTx } from '../storage/port.js';
import { buildStreamRecord } from './records.js';
import { shardKeyOf } from './shards.js';

/** What is remembered of a stream that has records, so it stays describable after its table moves on. */
export interface StreamMeta {
  TableName: string;
  KeySchema: StoredTable['KeySchema'];
  StreamViewType: NonNullable<NonNullable<StoredTable['StreamSpecification']>['StreamViewType']>;
  StreamLabel: string;
}

export const streamMetaKey = (streamArn: string) => `stream:${streamArn}`;

export type ShardListener = (shardKeys: ReadonlySet<string>) => void;

export interface StreamRecorder {
  readonly onChange: ChangeHook;
  /** Calls `listener` after each commit that appended records to the stream; returns the unsubscribe function. */
  subscribe(streamArn: string, listener: ShardListener): () => void;
}

export function createStreamRecorder(
  options: {
    now?: () => number;
    /** The trace of the write in progress (`<Root>/<span id>`), kept with its records (records.ts). */
    trace?: () => string | undefined;
  } = {},
): StreamRecorder {
  const now = options.now ?? Date.now;
  const listeners = new Map<string, Set<ShardListener>>();
  let pending = new Map<string, Set<string>>();
  let scheduled = false;

  // Runs on the next check phase (setImmediate), after the transaction that appended has committed — also when
  // writes are group-committed at the end of the event-loop turn — or rolled back, in which case the wake-up
  // finds nothing new: harmless.
  const flush = () => {
    scheduled = false;
    const grown = pending;
    pending = new Map();
    for (const [arn, shards] of grown) for (const listener of listeners.get(arn) ?? []) listener(shards);
  };

  // Checked in the transaction each time (a key lookup): a cache could outlive a rolled-back first write.
  const register = (tx: StorageTx, table: StoredTable, arn: string) => {
    const key = streamMetaKey(arn);
    if (tx.getMeta(key) === undefined) {
      const meta: StreamMeta = {
        TableName: table.TableName,
        KeySchema: table.KeySchema,
        StreamViewType: table.StreamSpecification!.StreamViewType!,
        StreamLabel: table.LatestStreamLabel!,
      };
      tx.putMeta(key, JSON.stringify(meta));
    }
  };

  const onChange: ChangeHook = (change, tx) => {
    const table = change.table;
    const viewType = table.StreamSpecification?.StreamEnabled ? table.StreamSpecification.StreamViewType : undefined;
    const arn = table.LatestStreamArn;
    if (!viewType || !arn) return;
    const at = now();
    const built = buildStreamRecord(change, viewType, at);
    if (!built) return;
    const trace = options.trace?.();
    const record = trace ? { trace, ...built } : built;
    register(tx, table, arn);
    const shardKey = shardKeyOf(table, change.keys);
    tx.appendStreamRecord(arn, shardKey, JSON.stringify(record), at);
    if (!listeners.has(arn)) return;
    let shards = pending.get(arn);
    if (!shards) pending.set(arn, (shards = new Set()));
    shards.add(shardKey);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  return {
    onChange,
    subscribe(streamArn, listener) {
      let set = listeners.get(streamArn);
      if (!set) listeners.set(streamArn, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (!set.size) listeners.delete(streamArn);
      };
    },
  };
}
