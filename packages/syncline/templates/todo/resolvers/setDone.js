import { util } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return update({
    key: { id: ctx.args.id },
    update: { done: ctx.args.done },
    condition: { id: { attributeExists: true } },
  });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
