import { util } from '@aws-appsync/utils';
import { query } from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return query({
    index: 'byStatus',
    query: { status: { eq: ctx.args.status } },
    scanIndexForward: false,
    limit: ctx.args.limit ?? 50,
    nextToken: ctx.args.nextToken,
  });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
