import { util } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';

const ONE_DAY = 24 * 60 * 60;

export function request(ctx) {
  const { item, quantity, customer } = ctx.args;
  if (quantity < 1) util.error('quantity must be at least 1', 'BadRequest');
  return put({
    key: { id: util.autoUlid() },
    item: {
      item,
      quantity,
      customer,
      status: 'PENDING',
      createdAt: util.time.nowISO8601(),
      expiresAt: util.time.nowEpochSeconds() + ONE_DAY,
    },
    condition: { id: { attributeExists: false } },
  });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
