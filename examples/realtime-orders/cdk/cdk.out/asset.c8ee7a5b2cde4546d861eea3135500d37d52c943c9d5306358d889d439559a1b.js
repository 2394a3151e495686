export const request = (ctx) => ({ payload: { ...ctx.args.order, removed: true } });

export const response = (ctx) => ctx.result;
