// NONE: the request's `payload` becomes `ctx.result` untouched (AppSync's local pub/sub pattern).
import type { DataSource } from './types.js';

export function noneDataSource(name: string): DataSource {
  return {
    name,
    type: 'NONE',
    invoke(request) {
      return request && typeof request === 'object' && 'payload' in request
        ? (request as { payload: unknown }).payload
        : null;
    },
  };
}
