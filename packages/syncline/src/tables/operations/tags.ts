// TagResource, UntagResource and ListTagsOfResource on table ARNs.
import { findSchema, saveTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import type { Tag } from '../model.js';
import type { StorageTx } from '../storage/port.js';
import { checkRequest, type RequestShape, str, tags } from '../validation/shape.js';

const ARN_SHAPE = /^arn:aws:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/;

// ARN checks in DynamoDB's order and words (observed 2026): not an ARN, not DynamoDB's, not a table, another
// region — ValidationException; another account — AccessDeniedException (a table this caller cannot see); in this
// account and region, a missing table — ResourceNotFoundException.
function tableOf(ctx: EngineContext, tx: StorageTx, arn: string, action: string) {
  if (!arn.startsWith('arn:')) throw validation(`${INVALID}ARNs must start with 'arn:': ${arn}`);
  const [, , service, region, account, resource = ''] = arn.split(':');
  if (service !== 'dynamodb') throw validation(`${INVALID}Provided Arn is not a DynamoDB resource arn: ${arn}`);
  if (resource.startsWith('table/') && resource.split('/').length > 2) {
    throw validation(
      `${INVALID}Invalid resource arn provided, only table or stream is accepted. Provided resource arn: ${arn}`,
    );
  }
  if (!ARN_SHAPE.test(arn) || region !== ctx.region) {
    throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${arn}`);
  }
  if (account !== ctx.accountId) {
    throw new DynamoDBError(
      'AccessDeniedException',
      `User: arn:aws:iam::${ctx.accountId}:user/syncline is not authorized to perform: dynamodb:${action} on resource: ${arn}`,
    );
  }
  const schema = findSchema(ctx, tx, resource.slice('table/'.length));
  if (!schema)
    throw new DynamoDBError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`);
  return structuredClone(schema.table);
}

const INVALID = 'One or more parameter values were invalid: ';
/** Tag characters AWS allows: letters, digits, whitespace and + - = . _ : / @ (the tagging rules). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

/** Tag rules DynamoDB applies to TagResource and CreateTable's Tags, in its words (observed 2026). */
export function checkTags(tags: Tag[], existing: Tag[] = []): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    if (!TAG_TEXT.test(tag.Key)) throw validation(`The Tag Key provided is invalid, Key: ${tag.Key}`);
    if (!TAG_TEXT.test(tag.Value)) throw validation(`The Tag Value provided is invalid, Value: ${tag.Value}`);
    if (tag.Key.startsWith('aws:')) throw validation(`Tag Key cannot be prefixed with aws:, Key: ${tag.Key}`);
    if (seen.has(tag.Key)) {
      throw validation(`Duplicate Tag Keys provided as input: Duplicate Tag Key found ${tag.Key}`);
    }
    seen.add(tag.Key);
  }
  const total = new Set([...existing.map((t) => t.Key), ...seen]).size;
  if (total > MAX_TAGS) throw validation('Number of Tags exceed the current limit for the provided ResourceArn');
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
    checkTags(data.Tags, table.Tags);
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
