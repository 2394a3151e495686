// ListStreams: the current stream of each table (or of one table), paged by stream ARN.
import { listStreams as allStreams } from '../catalog.js';
import type { StreamsContext } from '../context.js';
import { check, checkStreamArnForm, streamArnRule } from '../validation.js';

export function listStreams(ctx: StreamsContext, body: unknown): Record<string, unknown> {
  checkStreamArnForm((body as Record<string, unknown> | null)?.ExclusiveStartStreamArn);
  const input = check(body, (b) => [
    { member: 'tableName', value: b.TableName, type: 'string', minLength: 3, maxLength: 255 },
    { member: 'limit', value: b.Limit, type: 'integer', min: 1, max: 100 },
    { ...streamArnRule(b.ExclusiveStartStreamArn, false), member: 'exclusiveStartStreamArn' },
  ]);
  const limit = (input.Limit as number | undefined) ?? 100;
  // Paged in ARN order: a start ARN that names no stream (deleted since, say) still continues after its place.
  let streams = ctx.storage.read((tx) => allStreams(tx)).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  if (input.TableName !== undefined) streams = streams.filter((s) => s.tableName === input.TableName);
  const start = input.ExclusiveStartStreamArn as string | undefined;
  if (start !== undefined) streams = streams.filter((s) => s.arn > start);
  const page = streams.slice(0, limit);
  const out: Record<string, unknown> = {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
  };
  if (streams.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1].arn;
  return out;
}
