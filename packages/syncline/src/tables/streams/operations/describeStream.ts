// DescribeStream: the stream's status, key schema and shards with their sequence number ranges. Shards of an
// enabled stream are open (no EndingSequenceNumber); disabling the stream closes them at their last record.
import { findStream } from '../catalog.js';
import type { StreamsContext } from '../context.js';
import { streamNotFound } from '../errors.js';
import { formatSequenceNumber } from '../sequenceNumbers.js';
import { check, checkStreamArnForm, streamArnRule } from '../validation.js';

export function describeStream(ctx: StreamsContext, body: unknown): Record<string, unknown> {
  checkStreamArnForm((body as Record<string, unknown> | null)?.StreamArn);
  const input = check(body, (b) => [
    streamArnRule(b.StreamArn),
    { member: 'limit', value: b.Limit, type: 'integer', min: 1, max: 100 },
    { member: 'exclusiveStartShardId', value: b.ExclusiveStartShardId, type: 'string', minLength: 28, maxLength: 65 },
  ]);
  const arn = input.StreamArn as string;
  return ctx.storage.read((tx) => {
    const stream = findStream(tx, arn);
    if (!stream) throw streamNotFound(arn);
    const limit = (input.Limit as number | undefined) ?? 100;
    // DynamoDB lists shards in lexical order of their ids (paging with ExclusiveStartShardId relies on it).
    let shards = [...stream.shards].sort((a, b) => (a.shardId < b.shardId ? -1 : a.shardId > b.shardId ? 1 : 0));
    const start = input.ExclusiveStartShardId;
    if (start !== undefined) shards = shards.filter((s) => s.shardId > (start as string));
    const page = shards.slice(0, limit).map((shard) => {
      const range = tx.streamShardRange(arn, shard.shardKey);
      const first = range?.first ?? tx.streamTrimHorizon(arn, shard.shardKey) + 1;
      const sequenceRange: Record<string, string> = { StartingSequenceNumber: formatSequenceNumber(first) };
      if (stream.status === 'DISABLED') sequenceRange.EndingSequenceNumber = formatSequenceNumber(range?.last ?? first);
      return { ShardId: shard.shardId, SequenceNumberRange: sequenceRange };
    });
    const description: Record<string, unknown> = {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: stream.status,
      StreamViewType: stream.viewType,
      CreationRequestDateTime: stream.createdAtMs / 1000,
      TableName: stream.tableName,
      KeySchema: stream.keySchema,
      Shards: page,
    };
    if (shards.length > limit) description.LastEvaluatedShardId = page[page.length - 1].ShardId;
    return { StreamDescription: description };
  });
}
