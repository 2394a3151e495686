// ExportTableToPointInTime, ImportTable and their Describe/List companions. Exports and imports read and write
// Amazon S3, which Syncline does not provide: an export or import request is checked as DynamoDB checks it and
// then refused with a ValidationException saying so; the lists are empty and a Describe finds nothing.
import { findSchema } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import { checkRequest, type RequestShape } from '../validation/shape.js';

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/([a-zA-Z0-9_.-]{3,255})$/;

const exportShape: RequestShape = {
  fields: {
    TableArn: { kind: 'string', notNull: true, minLength: 1, maxLength: 1024 },
    ExportTime: { kind: 'string' },
    ClientToken: { kind: 'string' },
    S3Bucket: { kind: 'string', notNull: true, maxLength: 255 },
    S3BucketOwner: { kind: 'string' },
    S3Prefix: { kind: 'string', maxLength: 1024 },
    S3SseAlgorithm: { kind: 'string', enum: ['AES256', 'KMS'] },
    S3SseKmsKeyId: { kind: 'string', minLength: 1, maxLength: 2048 },
    ExportFormat: { kind: 'string', enum: ['DYNAMODB_JSON', 'ION'] },
    ExportType: { kind: 'string', enum: ['FULL_EXPORT', 'INCREMENTAL_EXPORT'] },
  },
};

const importShape: RequestShape = {
  fields: {
    ClientToken: { kind: 'string' },
    S3BucketSource: {
      kind: 'struct',
      name: 'S3BucketSource',
      notNull: true,
      fields: {
        S3Bucket: { kind: 'string', notNull: true },
        S3BucketOwner: { kind: 'string' },
        S3KeyPrefix: { kind: 'string' },
      },
    },
    InputFormat: { kind: 'string', notNull: true, enum: ['DYNAMODB_JSON', 'ION', 'CSV'] },
    InputCompressionType: { kind: 'string', enum: ['GZIP', 'ZSTD', 'NONE'] },
    TableCreationParameters: {
      kind: 'struct',
      name: 'TableCreationParameters',
      notNull: true,
      fields: { TableName: { kind: 'string', notNull: true, minLength: 3, maxLength: 255, regex: '[a-zA-Z0-9_.-]+' } },
    },
  },
};

const describeExportShape: RequestShape = {
  fields: { ExportArn: { kind: 'string', notNull: true, minLength: 37, maxLength: 1024 } },
};
const describeImportShape: RequestShape = {
  fields: { ImportArn: { kind: 'string', notNull: true, minLength: 37, maxLength: 1024 } },
};
const listShape: RequestShape = {
  fields: {
    TableArn: { kind: 'string', minLength: 1, maxLength: 1024 },
    MaxResults: { kind: 'integer', min: 1, max: 25 },
    PageSize: { kind: 'integer', min: 1, max: 25 },
    NextToken: { kind: 'string' },
  },
};

const NO_S3 = 'Syncline provides no Amazon S3';

export function exportTableToPointInTime(ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ TableArn: string }>(body, exportShape);
  const name = TABLE_ARN.exec(data.TableArn)?.[1];
  const schema =
    name !== undefined && data.TableArn.includes(`:${ctx.region}:${ctx.accountId}:`)
      ? ctx.storage.read((tx) => findSchema(ctx, tx, name))
      : undefined;
  if (!schema) throw new DynamoDBError('TableNotFoundException', `Table not found: ${data.TableArn}`);
  // DynamoDB exports from the point-in-time recovery log, and refuses a table without it first.
  if (!schema.table.PointInTimeRecovery?.Enabled) {
    throw new DynamoDBError(
      'PointInTimeRecoveryUnavailableException',
      `Point in time recovery is not enabled for table '${schema.table.TableName}'`,
    );
  }
  throw validation(
    `ExportTableToPointInTime is not available: exports are written to Amazon S3 and ${NO_S3}; ` +
      'read the table with Scan (parallel segments) or consume its DynamoDB stream instead',
  );
}

export function importTable(_ctx: EngineContext, body: unknown): never {
  checkRequest(body, importShape);
  throw validation(
    `ImportTable is not available: imports are read from Amazon S3 and ${NO_S3}; ` +
      'create the table with CreateTable and load it with BatchWriteItem instead',
  );
}

export function describeExport(_ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ ExportArn: string }>(body, describeExportShape);
  throw new DynamoDBError('ExportNotFoundException', `Export not found: ${data.ExportArn}`);
}

export function describeImport(_ctx: EngineContext, body: unknown): never {
  const data = checkRequest<{ ImportArn: string }>(body, describeImportShape);
  throw new DynamoDBError('ImportNotFoundException', `Import not found: ${data.ImportArn}`);
}

export function listExports(_ctx: EngineContext, body: unknown): { ExportSummaries: never[] } {
  checkRequest(body, listShape);
  return { ExportSummaries: [] };
}

export function listImports(_ctx: EngineContext, body: unknown): { ImportSummaryList: never[] } {
  checkRequest(body, listShape);
  return { ImportSummaryList: [] };
}
