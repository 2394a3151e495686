// The DynamoDB Streams API over a storage: actions by wire name (the part after `DynamoDBStreams_20120810.`).
import { DynamoDBError } from '../errors.js';
import type { Storage } from '../storage/port.js';
import type { StreamsContext } from './context.js';
import { describeStream } from './operations/describeStream.js';
import { getRecords } from './operations/getRecords.js';
import { getShardIterator } from './operations/getShardIterator.js';
import { listStreams } from './operations/listStreams.js';

const ACTIONS = {
  DescribeStream: describeStream,
  GetRecords: getRecords,
  GetShardIterator: getShardIterator,
  ListStreams: listStreams,
} satisfies Record<string, (ctx: StreamsContext, body: unknown) => Record<string, unknown>>;

export interface StreamsApi {
  /** Runs an action by wire name; throws DynamoDBError (UnknownOperationException for unknown names). */
  execute(action: string, input: unknown): Record<string, unknown>;
}

export function createStreamsApi(options: { storage: Storage; now?: () => number }): StreamsApi {
  const ctx: StreamsContext = { storage: options.storage, now: options.now ?? Date.now };
  return {
    execute(action, input) {
      const run = Object.hasOwn(ACTIONS, action) ? ACTIONS[action as keyof typeof ACTIONS] : undefined;
      if (!run) throw new DynamoDBError('UnknownOperationException', `Unknown operation: ${action}`);
      return run(ctx, input);
    },
  };
}
