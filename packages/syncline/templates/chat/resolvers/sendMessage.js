import { util } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  const { room, author, text } = ctx.args;
  if (!text.trim()) util.error('a message needs some text', 'BadRequest');
  const id = util.autoUlid();
  // The ULID after the time keeps two messages sent in the same millisecond apart.
  return put({ key: { room, sentAt: `${util.time.nowISO8601()}#${id}` }, item: { id, author, text } });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
