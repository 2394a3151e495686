// The Streams API's wire protocol: JSON 1.0 like DynamoDB's (`X-Amz-Target: DynamoDBStreams_20120810.<Action>`),
// with the same error bodies and `x-amz-crc32` checksum, so @aws-sdk/client-dynamodb-streams works unchanged.
import { randomUUID } from 'node:crypto';
import { DynamoDBError } from '../errors.js';
import { crc32, type DynamoDBResponse, failureResponse, type ProtocolOptions, parseRequestBody } from '../protocol.js';
import type { StreamsApi } from './api.js';

export const STREAMS_TARGET_PREFIX = 'DynamoDBStreams_20120810.';

function ok(payload: unknown): DynamoDBResponse {
  const body = JSON.stringify(payload);
  return {
    status: 200,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'x-amz-crc32': String(crc32(body)),
    },
    body,
  };
}

export function handleStreamsRequest(
  api: StreamsApi,
  target: string,
  body: Buffer | string,
  options: ProtocolOptions = {},
): DynamoDBResponse {
  const action = target.startsWith(STREAMS_TARGET_PREFIX) ? target.slice(STREAMS_TARGET_PREFIX.length) : '';
  try {
    if (!action) throw new DynamoDBError('UnknownOperationException', `Unknown operation: ${target}`);
    return ok(api.execute(action, parseRequestBody(body)));
  } catch (error) {
    return failureResponse(error, action, options);
  }
}
