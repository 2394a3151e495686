export function request(ctx) {
  return { payload: `Hello, ${ctx.args.name ?? 'world'}!` };
}

export function response(ctx) {
  return ctx.result;
}
