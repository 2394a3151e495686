// GetShardIterator: a position in one shard — the oldest kept record (TRIM_HORIZON), just after the newest
// (LATEST), or at/after a sequence number. Asking for a trimmed position is TrimmedDataAccessException.
import { DynamoDBError } from '../../errors.js';
import { findStream } from '../catalog.js';
import type { StreamsContext } from '../context.js';
import { shardNotFound, streamNotFound, trimmed } from '../errors.js';
import { encodeIterator } from '../iterators.js';
import { parseSequenceNumber } from '../sequenceNumbers.js';
import { check, checkStreamArnForm, streamArnRule } from '../validation.js';

const TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;

export function getShardIterator(ctx: StreamsContext, body: unknown): Record<string, unknown> {
  checkStreamArnForm((body as Record<string, unknown> | null)?.StreamArn);
  const input = check(body, (b) => [
    streamArnRule(b.StreamArn),
    { member: 'shardId', value: b.ShardId, required: true, type: 'string', minLength: 28, maxLength: 65 },
    { member: 'shardIteratorType', value: b.ShardIteratorType, required: true, type: 'string', oneOf: TYPES },
    { member: 'sequenceNumber', value: b.SequenceNumber, type: 'string', minLength: 21, maxLength: 40 },
  ]);
  const arn = input.StreamArn as string;
  const type = input.ShardIteratorType as (typeof TYPES)[number];
  return ctx.storage.read((tx) => {
    const stream = findStream(tx, arn);
    if (!stream) throw streamNotFound(arn);
    const shard = stream.shards.find((s) => s.shardId === input.ShardId);
    if (!shard) throw shardNotFound();
    const horizon = tx.streamTrimHorizon(arn, shard.shardKey);
    const issue = (after: number, fromHorizon = false) => ({
      ShardIterator: encodeIterator({
        streamArn: arn,
        shardKey: shard.shardKey,
        after,
        issuedAt: ctx.now(),
        horizon: fromHorizon,
      }),
    });
    if (type === 'TRIM_HORIZON') return issue(horizon, true);
    if (type === 'LATEST') return issue(tx.streamShardRange(arn, shard.shardKey)?.last ?? horizon);
    if (input.SequenceNumber === undefined) {
      throw new DynamoDBError('ValidationException', `SequenceNumber is required for ShardIteratorType ${type}`);
    }
    const sequence = parseSequenceNumber(input.SequenceNumber as string);
    if (sequence === undefined) {
      throw new DynamoDBError('ValidationException', `Invalid SequenceNumber: ${String(input.SequenceNumber)}`);
    }
    const after = type === 'AT_SEQUENCE_NUMBER' ? sequence - 1 : sequence;
    if (after < horizon) throw trimmed();
    return issue(after);
  });
}
