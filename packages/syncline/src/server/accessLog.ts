// The access log: one info line per answered request — API, operation, status, duration, caller, request and
// trace ids — on the server's logger, so it follows --log-format and --log-level. Secrets never appear: the
// caller is an auth mode and a user name, subject, ARN or access key id (server/observe.ts).
import type { Logger } from 'pino';
import type { ServerObserver } from './observe.js';

export function accessLog(log: Logger): ServerObserver {
  const access = log.child({ access: true });
  return {
    request(r) {
      const ms = Math.round(r.durationMs * 10) / 10;
      access.info(
        {
          api: r.api,
          operation: r.operation,
          ...(r.operationName ? { operationName: r.operationName } : {}),
          status: r.status,
          durationMs: ms,
          ...(r.caller ? { caller: r.caller } : {}),
          ...(r.requestId ? { requestId: r.requestId } : {}),
          ...(r.traceId ? { traceId: r.traceId } : {}),
        },
        `${r.api} ${r.operation} ${r.status} ${ms} ms${r.caller ? ` ${r.caller}` : ''}`,
      );
    },
  };
}
