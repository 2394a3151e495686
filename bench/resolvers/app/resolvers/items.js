import { util } from '@aws-appsync/utils';

export function request(ctx) {
  const items = Array.from({ length: ctx.args.n }).map((_, i) => ({ id: `item-${i}`, n: i }));
  ctx.stash.count = items.length;
  return { payload: items };
}

export function response(ctx) {
  if (ctx.stash.count !== ctx.result.length) util.error('lost items');
  return ctx.result;
}
