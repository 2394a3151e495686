// TagResource, UntagResource and ListTagsOfResource on table ARNs.
import { findSchema, saveTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import type { Tag } from '../model.js';
import type { StorageTx } from '../storage/port.js';
import { checkRequest, type RequestShape, str, tags } from '../validation/shape.js';

const ARN_SHAPE = /^arn:aws:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/;

// A malformed ARN is a ValidationException; a well-formed one in another account or region is one this caller may
// not touch (AccessDeniedException, as DynamoDB answers for a table it cannot see); in this account and region, a
// missing table is ResourceNotFoundException.
function tableOf(ctx: EngineContext, tx: StorageTx, arn: string, action: string) {
  if (!ARN_SHAPE.test(arn)) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  if (!arn.startsWith(`arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:`)) {
    throw new DynamoDBError(
      'AccessDeniedException',
      `User: arn:aws:iam::${ctx.accountId}:user/syncline is not authorized to perform: dynamodb:${action} on resource: ${arn}`,
    );
  }
  const schema = findSchema(ctx, tx, arn.split('/')[1]);
  if (!schema)
    throw new DynamoDBError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
  return structuredClone(schema.table);
}

const tagShape: RequestShape = { fields: { ResourceArn: str, Tags: tags } };
const untagShape: RequestShape = { fields: { ResourceArn: str, TagKeys: { kind: 'list', of: str } } };
const listShape: RequestShape = { fields: { ResourceArn: str, NextToken: str } };

export function tagResource(ctx: EngineContext, body: unknown): Record<string, never> {
  const data = checkRequest<{ ResourceArn?: string; Tags?: Tag[] }>(body, tagShape);
  if (data.ResourceArn === undefined) throw validation('Invalid TableArn');
  return ctx.storage.transaction((tx) => {
    const table = tableOf(ctx, tx, data.ResourceArn!, 'TagResource');
    if (data.Tags === undefined) {
      throw validation(
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
      );
    }
    if (!data.Tags.length) throw validation('Atleast one Tag needs to be provided as Input.');
    for (const tag of data.Tags) {
      const existing = table.Tags.find((t) => t.Key === tag.Key);
      if (existing) existing.Value = tag.Value;
      else table.Tags.push({ Key: tag.Key, Value: tag.Value });
    }
    saveTable(ctx, tx, table);
    return {};
  });
}

export function untagResource(ctx: EngineContext, body: unknown): Record<string, never> {
  const data = checkRequest<{ ResourceArn?: string; TagKeys?: string[] }>(body, untagShape);
  if (data.ResourceArn === undefined) throw validation('Invalid TableArn');
  return ctx.storage.transaction((tx) => {
    const table = tableOf(ctx, tx, data.ResourceArn!, 'UntagResource');
    if (data.TagKeys === undefined) {
      throw validation(
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
      );
    }
    if (!data.TagKeys.length) throw validation('Atleast one Tag Key needs to be provided as Input.');
    table.Tags = table.Tags.filter((t) => !data.TagKeys!.includes(t.Key));
    saveTable(ctx, tx, table);
    return {};
  });
}

export function listTagsOfResource(ctx: EngineContext, body: unknown): { Tags: Tag[] } {
  const data = checkRequest<{ ResourceArn?: string }>(body, listShape);
  if (data.ResourceArn === undefined) throw validation('Invalid TableArn');
  return ctx.storage.transaction((tx) => ({ Tags: tableOf(ctx, tx, data.ResourceArn!, 'ListTagsOfResource').Tags }));
}
