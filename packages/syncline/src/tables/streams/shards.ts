// Shards of a stream. DynamoDB splits a stream into shards by partition key and rotates them; Syncline keeps a
// fixed number of shards per stream that never close while the stream is enabled. Every record of an item goes to
// the shard its partition key hashes to, so per-item order is shard order. Shard ids are derived from the stream
// ARN, so they are stable across restarts without being stored.
import type { StoredTable } from '../model.js';
import { type AttributeValue, canonicalNumber, type Item } from '../values/index.js';

/** Shards per stream: enough for mappings to process keys in parallel, few enough to describe in one page. */
export const SHARD_COUNT = 4;

/** FNV-1a over UTF-16 units: cheap, stable and well spread for short keys. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A canonical text of a key value: equal values (1 and 1.0) give equal text. */
export function keyText(value: AttributeValue): string {
  if ('S' in value) return `S${value.S}`;
  if ('N' in value) return `N${canonicalNumber(value.N)}`;
  if ('B' in value) return `B${value.B}`;
  return JSON.stringify(value);
}

/** The shard key (its index as a string) for an item's keys. */
export function shardKeyOf(table: StoredTable, keys: Item): string {
  const hash = table.KeySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  return String(fnv1a(keyText(keys[hash])) % SHARD_COUNT);
}

export interface ShardRef {
  shardKey: string;
  shardId: string;
}

/** Shard ids in DynamoDB's form: `shardId-<20-digit creation time>-<8 hex>`. */
export function shardsOf(streamArn: string, createdAtMs: number): ShardRef[] {
  const stamp = String(Math.max(0, Math.floor(createdAtMs))).padStart(20, '0');
  return Array.from({ length: SHARD_COUNT }, (_, i) => ({
    shardKey: String(i),
    shardId: `shardId-${stamp}-${fnv1a(`${streamArn}#${i}`).toString(16).padStart(8, '0')}`,
  }));
}
