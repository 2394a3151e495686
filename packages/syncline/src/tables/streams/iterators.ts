// Shard iterators: opaque to clients, self-contained for us. Like DynamoDB's they start with the stream ARN
// (`<arn>|1|<token>`); the token carries the shard, the position (read strictly after this sequence) and the
// issue time, so no server state is needed and an iterator outlives a restart until it expires (15 minutes).
import { DynamoDBError } from '../errors.js';

export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;

export interface ShardIterator {
  streamArn: string;
  shardKey: string;
  /** Read records with a sequence greater than this. */
  after: number;
  issuedAt: number;
  /** A TRIM_HORIZON iterator that has read nothing yet: it follows the horizon instead of failing when trimmed. */
  horizon: boolean;
}

export function encodeIterator(it: ShardIterator): string {
  const token = Buffer.from(JSON.stringify([it.shardKey, it.after, it.issuedAt, it.horizon ? 1 : 0])).toString(
    'base64',
  );
  return `${it.streamArn}|1|${token}`;
}

const invalid = () => new DynamoDBError('ValidationException', 'Invalid ShardIterator');

export function decodeIterator(text: string): ShardIterator {
  const parts = text.split('|');
  if (parts.length !== 3 || parts[1] !== '1') throw invalid();
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(parts[2], 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(fields) ||
    typeof fields[0] !== 'string' ||
    !Number.isSafeInteger(fields[1]) ||
    !Number.isFinite(fields[2])
  ) {
    throw invalid();
  }
  return {
    streamArn: parts[0],
    shardKey: fields[0],
    after: fields[1],
    issuedAt: fields[2],
    horizon: fields[3] === 1,
  };
}
