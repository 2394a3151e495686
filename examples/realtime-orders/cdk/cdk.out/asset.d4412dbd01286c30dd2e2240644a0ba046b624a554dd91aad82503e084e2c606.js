// NONE data source: the order passes through untouched and reaches every onOrder subscriber.
export const request = (ctx) => ({ payload: { ...ctx.args.order, removed: false } });

export const response = (ctx) => ctx.result;
