// The Lambda event shapes for DynamoDB stream mappings: each record as the Streams API returns it, plus
// `eventSourceARN`, with the TTL service identity in Lambda's casing (`principalId`/`type`).
import type { StreamRecord } from '../../tables/streams/index.js';

export interface LambdaStreamRecord extends Omit<StreamRecord, 'userIdentity'> {
  eventSourceARN: string;
  userIdentity?: { type: 'Service'; principalId: 'dynamodb.amazonaws.com' };
}

export interface DynamoDBStreamEvent {
  Records: LambdaStreamRecord[];
}

/** The extra members of a tumbling-window invocation. */
export interface TumblingWindowEvent extends DynamoDBStreamEvent {
  window: { start: string; end: string };
  state: unknown;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
  isWindowTerminatedEarly: boolean;
}

export function toLambdaRecord(record: StreamRecord, streamArn: string): LambdaStreamRecord {
  const { userIdentity, ...rest } = record;
  const out: LambdaStreamRecord = { ...rest, eventSourceARN: streamArn };
  if (userIdentity) out.userIdentity = { type: userIdentity.Type, principalId: userIdentity.PrincipalId };
  return out;
}
