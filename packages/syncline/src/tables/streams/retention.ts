// Stream retention: DynamoDB keeps stream records for 24 hours. Trimming deletes older records and remembers
// each shard's trim horizon, so readers behind it get TrimmedDataAccessException instead of a silent gap.
import type { Storage } from '../storage/port.js';

export const RETENTION_MS = 24 * 60 * 60 * 1000;

export function trimStreams(storage: Storage, nowMs: number): number {
  return storage.transaction((tx) => tx.trimStreamRecords(nowMs - RETENTION_MS));
}
