export function request(ctx) {
  return { operation: 'BatchInvoke', payload: { writerId: ctx.source.writerId } };
}

export function response(ctx) {
  return ctx.result;
}
