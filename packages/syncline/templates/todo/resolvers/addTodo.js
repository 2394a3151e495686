import { util } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  const title = ctx.args.title.trim();
  if (!title) util.error('a to-do needs a title', 'BadRequest');
  return put({
    key: { id: util.autoId() },
    item: { title, done: false, createdAt: util.time.nowISO8601() },
    condition: { id: { attributeExists: false } },
  });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
