// Bulk operations (StartBulkPutItems and its Describe/List/Cancel companions) load items from Amazon S3, which
// Syncline does not provide: a start is checked and then refused saying so; no bulk operation ever exists.
import { requireSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { checkRequest, type RequestShape, tableName } from '../validation/shape.js';

const startShape: RequestShape = {
  fields: {
    ClientToken: { kind: 'string' },
    InputS3Configuration: { kind: 'struct', name: 'InputS3Configuration', notNull: true, fields: {} },
    TableName: tableName(true),
  },
};
const arnShape: RequestShape = {
  fields: { BulkOperationArn: { kind: 'string', notNull: true, minLength: 1, maxLength: 1024 } },
};
const listShape: RequestShape = {
  fields: { MaxResults: { kind: 'integer', min: 1, max: 100 }, NextToken: { kind: 'string' } },
};

export function startBulkPutItems(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ TableName: string }>(body, startShape);
  ctx.storage.read((tx) => requireSchema(ctx, tx, data.TableName));
  throw validation(
    'StartBulkPutItems is not available: bulk operations read from Amazon S3 and Syncline provides no Amazon S3; ' +
      'load items with BatchWriteItem instead',
  );
}

/** DescribeBulkOperation and CancelBulkOperation. */
export function findBulkOperation(_ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ BulkOperationArn: string }>(body, arnShape);
  throw new DynamoDBError(
    'ResourceNotFoundException',
    `Requested resource not found: BulkOperation: ${data.BulkOperationArn} not found`,
  );
}

export function listBulkOperations(_ctx: EngineContext, body: unknown): { BulkOperationsSummaryList: never[] } {
  checkRequest(body, listShape);
  return { BulkOperationsSummaryList: [] };
}
