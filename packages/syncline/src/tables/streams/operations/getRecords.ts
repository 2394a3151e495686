// GetRecords: up to 1000 records or 1 MB from the iterator's position, and the iterator to continue with.
// An open shard always returns a NextShardIterator (possibly with no records: keep polling); a closed shard
// (its stream disabled) stops returning one once it is read to the end.
import { findStream } from '../catalog.js';
import type { StreamsContext } from '../context.js';
import { expiredIterator, shardNotFound, streamNotFound, trimmed } from '../errors.js';
import { decodeIterator, encodeIterator, ITERATOR_LIFETIME_MS } from '../iterators.js';
import { materializeRecord } from '../records.js';
import { check } from '../validation.js';

const MAX_RECORDS = 1000;
const MAX_BYTES = 1024 * 1024;

export function getRecords(ctx: StreamsContext, body: unknown): Record<string, unknown> {
  const input = check(body, (b) => [
    { member: 'shardIterator', value: b.ShardIterator, required: true, type: 'string', minLength: 1, maxLength: 2048 },
    { member: 'limit', value: b.Limit, type: 'integer', min: 1, max: MAX_RECORDS },
  ]);
  const it = decodeIterator(input.ShardIterator as string);
  const now = ctx.now();
  if (now - it.issuedAt > ITERATOR_LIFETIME_MS) throw expiredIterator();
  return ctx.storage.read((tx) => {
    const stream = findStream(tx, it.streamArn);
    if (!stream) throw streamNotFound(it.streamArn);
    if (!stream.shards.some((s) => s.shardKey === it.shardKey)) throw shardNotFound();
    if (!it.horizon && it.after < tx.streamTrimHorizon(it.streamArn, it.shardKey)) throw trimmed();
    const rows = tx.readStreamRecords(
      it.streamArn,
      it.after,
      (input.Limit as number | undefined) ?? MAX_RECORDS,
      it.shardKey,
    );
    const records = [];
    let bytes = 0;
    let last = it.after;
    for (const row of rows) {
      bytes += row.record.length;
      if (records.length > 0 && bytes > MAX_BYTES) break;
      records.push(materializeRecord(it.streamArn, row.sequence, row.record));
      last = row.sequence;
    }
    const out: Record<string, unknown> = { Records: records };
    const end = tx.streamShardRange(it.streamArn, it.shardKey)?.last ?? 0;
    if (stream.status === 'ENABLED' || last < end) {
      out.NextShardIterator = encodeIterator({
        streamArn: it.streamArn,
        shardKey: it.shardKey,
        after: last,
        issuedAt: now,
        horizon: it.horizon && records.length === 0,
      });
    }
    return out;
  });
}
