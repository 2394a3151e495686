// What the server tells its observers (metrics, the access log) about each request it answered. One call per
// request with a plain record: observers must be cheap, they run on the request path.
import type { RequestAuth } from '../graphql/requestContext.js';

export interface RequestRecord {
  /** `graphql`, `dynamodb`, `dynamodbstreams`, `http` (function routes). */
  api: string;
  /** What was asked, bounded by the app: `query getOrder`, `PutItem`, `POST /orders`. */
  operation: string;
  /** The client's own name for it (GraphQL operationName), when it gave one: for logs only, never a metric label. */
  operationName?: string | null;
  status: number;
  durationMs: number;
  /** Who called: the auth mode and the identity's name (never a secret). */
  caller?: string;
  requestId?: string;
  /** The X-Ray trace id the request carried or was given. */
  traceId?: string;
}

export interface ServerObserver {
  request(record: RequestRecord): void;
}

export const noObserver: ServerObserver = { request() {} };

/** Fans one record out to several observers. */
export function observers(list: readonly ServerObserver[]): ServerObserver {
  if (list.length === 0) return noObserver;
  if (list.length === 1) return list[0];
  return {
    request(record) {
      for (const o of list) o.request(record);
    },
  };
}

/** The caller as an access log names it: the auth mode and the identity's user name, subject or ARN. */
export function callerOf(auth: RequestAuth): string {
  const identity = auth.identity as Record<string, unknown> | null;
  if (!identity || typeof identity !== 'object') return auth.mode;
  const name = identity.userArn ?? identity.username ?? identity.sub ?? identity.accountId;
  return typeof name === 'string' ? `${auth.mode} ${name}` : auth.mode;
}

/** The access key id of a SigV4 `Authorization` header (`Credential=AKID/…`), else undefined. */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const at = authorization.indexOf('Credential=');
  if (at === -1) return undefined;
  const end = authorization.indexOf('/', at);
  return end === -1 ? undefined : authorization.slice(at + 11, end);
}
