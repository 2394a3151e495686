// The Streams API's errors with DynamoDB's wording.
import { DynamoDBError } from '../errors.js';

export const streamNotFound = (arn: string) =>
  new DynamoDBError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);

export const shardNotFound = () =>
  new DynamoDBError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist');

export const trimmed = () =>
  new DynamoDBError(
    'TrimmedDataAccessException',
    'The operation attempted to read past the oldest stream record in a shard.',
  );

export const expiredIterator = () => new DynamoDBError('ExpiredIteratorException', 'Shard iterator has expired');
