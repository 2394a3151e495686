// Durable checkpoints of a mapping: per shard lane, the sequence everything up to which has been handled, and the
// open tumbling window's state. Kept in the table storage, so they survive a crash exactly as the records do.
import type { Storage } from '../../tables/storage/port.js';

export interface Checkpoint {
  /** Every record of the lane with a sequence up to this one has been delivered (or sent to the destination). */
  after: number;
  /** The open tumbling window: its start (epoch ms) and the state the function returned last. */
  window?: { start: number; state: unknown };
}

export function checkpointKey(mappingId: string, streamArn: string, shardKey: string, lane: number, lanes: number) {
  return `esm:${mappingId}|${streamArn}|${shardKey}|${lane}/${lanes}`;
}

export function loadCheckpoint(storage: Storage, key: string): Checkpoint | undefined {
  const json = storage.read((tx) => tx.getMeta(key));
  return json === undefined ? undefined : (JSON.parse(json) as Checkpoint);
}

export function saveCheckpoint(storage: Storage, key: string, checkpoint: Checkpoint): void {
  storage.transaction((tx) => tx.putMeta(key, JSON.stringify(checkpoint)));
}
