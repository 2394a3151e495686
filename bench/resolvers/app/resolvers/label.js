export function request(ctx) {
  return { payload: `${ctx.source.id} #${ctx.source.n}`.toUpperCase() };
}

export function response(ctx) {
  return ctx.result;
}
