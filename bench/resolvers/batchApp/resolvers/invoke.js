export function request(ctx) {
  return { operation: 'Invoke', payload: { writerId: ctx.source.writerId } };
}

export function response(ctx) {
  return ctx.result;
}
