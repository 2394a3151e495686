import { util } from '@aws-appsync/utils';
import { update } from '@aws-appsync/utils/dynamodb';

const STATUSES = ['PENDING', 'PREPARING', 'READY', 'DELIVERED', 'STALE'];

export function request(ctx) {
  if (!STATUSES.includes(ctx.args.status)) {
    util.error(`status must be one of ${STATUSES.join(', ')}`, 'BadRequest');
  }
  return update({
    key: { id: ctx.args.id },
    update: { status: ctx.args.status },
    condition: { id: { attributeExists: true } },
  });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
