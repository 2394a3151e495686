// The one dispatcher for AWS JSON 1.0 APIs: `POST /` with `X-Amz-Target: <Service>.<Operation>`, routed by the
// target's service prefix to the capability that declared it. Shared by node:http and the fast path (one route per
// service, each keeping its own body limit); the door (auth/awsApiDoor.ts) is checked here, once, for every
// service; and errors raised here are shaped here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsApiDoor, DoorRefusal } from '../auth/awsApiDoor.js';
import { parseTraceHeader } from '../functions/traceId.js';
import { readJsonApiBody } from '../http/body.js';
import { epochNow, newSpanId } from '../trace/ids.js';
import type { JournalWriter } from '../trace/journal.js';
import type { AwsJsonResponse, AwsJsonService, HttpRoute } from './capability.js';
import { accessKeyOf, type ServerObserver } from './observe.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** An error as AWS JSON services return it. AccessDeniedException carries `Message`, as DynamoDB sends it. */
export function awsJsonError(status: number, refusal: DoorRefusal): AwsJsonResponse {
  const key = refusal.type === 'AccessDeniedException' ? 'Message' : 'message';
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE },
    body: JSON.stringify({ __type: `com.amazon.coral.service#${refusal.type}`, [key]: refusal.message }),
  };
}

export function awsJsonRoutes(
  services: readonly AwsJsonService[],
  door: AwsApiDoor | undefined,
  observe?: ServerObserver,
  journal?: JournalWriter,
): HttpRoute[] {
  return services.map((service) => awsJsonRoute(service, door, observe, journal));
}

/** DynamoDB operations that write items: their spans are the traced path's `table-write` hop. */
const WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

/** One service's route; with no door (dev), requests go straight to the service as before. */
export function awsJsonRoute(
  service: AwsJsonService,
  door: AwsApiDoor | undefined,
  observe?: ServerObserver,
  journal?: JournalWriter,
): HttpRoute {
  const { targetPrefix } = service;
  // `DynamoDB_20120810.` → `dynamodb`, `DynamoDBStreams_20120810.` → `dynamodbstreams`.
  const api = targetPrefix.replace(/_\d+\.$/, '').toLowerCase();
  const serve = (method: string, url: string, headers: Record<string, string>, body: Buffer, target: string) => {
    if (!observe) return traced(method, url, headers, body, target);
    const started = performance.now();
    const record = (response: AwsJsonResponse) => {
      observe.request({
        api,
        operation: target.slice(targetPrefix.length),
        status: response.status,
        durationMs: performance.now() - started,
        caller: accessKeyOf(headers.authorization),
        requestId: response.headers['x-amzn-RequestId'] ?? response.headers['x-amzn-requestid'],
        traceId: headers['x-amzn-trace-id'],
      });
      return response;
    };
    const response = traced(method, url, headers, body, target);
    return response instanceof Promise ? response.then(record) : record(response);
  };
  // A call carrying `X-Amzn-Trace-Id` (the AWS SDK in a function sends `_X_AMZN_TRACE_ID`) is a span of that trace,
  // and the ambient span of its synchronous work: the stream records it writes carry the trace on.
  const traced = (method: string, url: string, headers: Record<string, string>, body: Buffer, target: string) => {
    const incoming = journal && headers['x-amzn-trace-id'] && parseTraceHeader(headers['x-amzn-trace-id']);
    if (!journal || !incoming) return answer(method, url, headers, body, target);
    const parent = { traceId: incoming.root, spanId: newSpanId() };
    const start = epochNow();
    const operation = target.slice(targetPrefix.length);
    const record = (response: AwsJsonResponse) => {
      const tables = tableNamesOf(body);
      journal.span({
        traceId: parent.traceId,
        spanId: parent.spanId,
        parentSpanId: incoming.parent,
        name: tables ? `${operation} ${tables}` : operation,
        kind: api === 'dynamodb' && WRITES.has(operation) ? 'table-write' : 'aws-api',
        start,
        durationMs: epochNow() - start,
        status: response.status < 400 ? 'ok' : 'error',
        attributes: {
          'rpc.service': api,
          'rpc.method': operation,
          'http.response.status_code': response.status,
          ...(tables ? { 'aws.dynamodb.table_names': tables } : {}),
        },
      });
      return response;
    };
    const response = journal.within(parent, () => answer(method, url, headers, body, target));
    return response instanceof Promise ? response.then(record) : record(response);
  };
  const answer = (method: string, url: string, headers: Record<string, string>, body: Buffer, target: string) => {
    if (door) {
      const q = url.indexOf('?');
      const refused = door.check(
        { method, path: q === -1 ? url : url.slice(0, q), query: q === -1 ? '' : url.slice(q + 1), headers, body },
        service.signingName,
        () => service.scope(target.slice(targetPrefix.length), parseBody(body)),
      );
      if (refused) return awsJsonError(400, refused);
    }
    return service.handle(target, body);
  };
  return {
    matches: (r) => {
      if (r.method !== 'POST') return false;
      const target = r.headers['x-amz-target'];
      return typeof target === 'string' && target.startsWith(targetPrefix);
    },
    serve(req: IncomingMessage, res: ServerResponse) {
      void (async () => {
        const body = await readJsonApiBody(req, res, service.maxBody, service.tooLarge);
        if (!body) return;
        const headers = req.headers as Record<string, string>;
        const response = await serve(req.method ?? 'POST', req.url ?? '/', headers, body, headers['x-amz-target']);
        res.writeHead(response.status, response.headers).end(response.body);
      })();
    },
    fast: {
      maxBody: service.maxBody,
      handle: (r) => serve(r.method, r.url, r.headers, r.body, r.headers['x-amz-target']),
    },
  };
}

/** The tables a traced request names (its span's name), read again only for traced requests. */
function tableNamesOf(body: Buffer): string | undefined {
  const parsed = parseBody(body) as { TableName?: unknown; RequestItems?: unknown } | undefined;
  if (typeof parsed?.TableName === 'string') return parsed.TableName;
  if (parsed?.RequestItems && typeof parsed.RequestItems === 'object')
    return Object.keys(parsed.RequestItems).join(',');
  return undefined;
}

/** The body as the policy check reads it; a body that does not parse names no resource (the service refuses it). */
function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
