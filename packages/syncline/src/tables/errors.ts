// DynamoDB's errors as values. The JSON 1.0 protocol serializes them as
// `{"__type":"com.amazonaws.dynamodb.v20120810#<Name>","message":"..."}` with HTTP 400 (500 for internal ones);
// that serialization lives in the protocol handler, not here.

export type DynamoDBErrorName =
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'ConditionalCheckFailedException'
  /** PartiQL INSERT of an item whose key exists. */
  | 'DuplicateItemException'
  | 'TransactionCanceledException'
  | 'TransactionConflictException'
  | 'TransactionInProgressException'
  | 'IdempotentParameterMismatchException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'ItemCollectionSizeLimitExceededException'
  | 'LimitExceededException'
  | 'ProvisionedThroughputExceededException'
  | 'TrimmedDataAccessException'
  | 'ExpiredIteratorException'
  | 'AccessDeniedException'
  | 'InternalServerError'
  | 'MissingAuthenticationTokenException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  // Backups, point-in-time recovery, exports and imports.
  | 'TableNotFoundException'
  | 'TableAlreadyExistsException'
  | 'TableInUseException'
  | 'BackupNotFoundException'
  | 'BackupInUseException'
  | 'PointInTimeRecoveryUnavailableException'
  | 'InvalidRestoreTimeException'
  | 'ExportNotFoundException'
  | 'ImportNotFoundException'
  | 'GlobalTableNotFoundException'
  | 'PolicyNotFoundException';

export class DynamoDBError extends Error {
  constructor(
    readonly type: DynamoDBErrorName,
    message: string,
    /** Extra top-level members of the error body (e.g. `Item` on ConditionalCheckFailedException, `CancellationReasons`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = type;
  }

  get statusCode(): number {
    return this.type === 'InternalServerError' ? 500 : 400;
  }
}

export const validation = (message: string) => new DynamoDBError('ValidationException', message);
