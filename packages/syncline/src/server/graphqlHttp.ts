// POST /graphql and GET /graphql: AppSync's HTTP surface. Every response carries `x-amzn-RequestId`; GraphQL
// errors travel with 200 as on AppSync, request-level failures (auth, malformed body) with their own status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { sourceIpOf } from '../auth/authenticate.js';
import { newTraceRoot, parseTraceHeader } from '../functions/traceId.js';
import type { GraphqlApi } from '../graphql/api.js';
import { RequestError } from '../graphql/errors.js';
import { type ExecutionResult, type GraphqlRequest, newRequestId } from '../graphql/executor.js';
import type { MutationEvent } from '../graphql/mutationEvent.js';
import { newRequestContext, type RequestAuth } from '../graphql/requestContext.js';
import { BodyTooLarge, readBody } from '../http/body.js';
import { epochNow, newSpanId } from '../trace/ids.js';
import type { JournalWriter } from '../trace/journal.js';
import type { FastRoute } from './fastHttp/connection.js';
import { callerOf, type ServerObserver } from './observe.js';

export const MAX_GRAPHQL_BODY = 1024 * 1024;

export interface GraphqlHttpOptions {
  api: () => GraphqlApi;
  log: Logger;
  /** Called after a mutation completes, with the request's outcome (the realtime hub hooks in here); returns how many subscribers were delivered to. */
  onMutation?: (event: MutationEvent) => number;
  /** Told of each answered request (metrics, access log). */
  observe?: ServerObserver;
  /** Where mutations, and requests carrying `X-Amzn-Trace-Id`, are recorded as spans with their deliveries. */
  journal?: JournalWriter;
}

/** What one request turned out to be, filled in as it is served, for the observer. */
interface Served {
  operation: string;
  operationName: string | null | undefined;
  caller: string | undefined;
}

const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

/** One GraphQL HTTP request, as either HTTP path (node:http or the fast path, decision 0006) hands it over. */
export interface GraphqlHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** null for GET. */
  body: Buffer | null;
  remoteAddress(): string | undefined;
}

export interface GraphqlHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function respond(status: number, requestId: string, body: unknown): GraphqlHttpResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-RequestId': requestId },
    body: JSON.stringify(body),
  };
}

function send(res: ServerResponse, response: GraphqlHttpResponse) {
  const { status, headers, body } = response;
  // A flat header array skips Node's per-response header object walk.
  res.writeHead(status, [
    'content-type',
    headers['content-type'],
    'content-length',
    String(Buffer.byteLength(body)),
    'x-amzn-RequestId',
    headers['x-amzn-RequestId'],
  ]);
  res.end(body);
}

function parseRequest(req: GraphqlHttpRequest): GraphqlRequest {
  const { body } = req;
  if (req.method === 'GET') {
    const params = new URL(req.url, 'http://x').searchParams;
    const variables = params.get('variables');
    let parsed: Record<string, unknown> | null = null;
    if (variables) {
      try {
        parsed = JSON.parse(variables);
      } catch {
        throw new RequestError(
          400,
          'MalformedHttpRequestException',
          'Unable to parse the variables query parameter as JSON.',
        );
      }
    }
    return { query: params.get('query') ?? '', variables: parsed, operationName: params.get('operationName') };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body!.toString('utf8'));
  } catch {
    throw new RequestError(400, 'MalformedHttpRequestException', 'Unable to parse JSON document');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RequestError(
      400,
      'MalformedHttpRequestException',
      'The request body must be a JSON object with a query.',
    );
  }
  const { query, variables, operationName } = parsed as Record<string, unknown>;
  if (typeof query !== 'string' || !query.trim()) {
    throw new RequestError(400, 'MalformedHttpRequestException', 'The request body must contain a query string.');
  }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw new RequestError(400, 'MalformedHttpRequestException', 'variables must be a JSON object.');
  }
  if (operationName != null && typeof operationName !== 'string') {
    throw new RequestError(400, 'MalformedHttpRequestException', 'operationName must be a string.');
  }
  return {
    query,
    variables: variables as Record<string, unknown> | null,
    operationName: operationName as string | null,
  };
}

export interface GraphqlEndpoint {
  /** Serves one request that node:http parsed. */
  http(req: IncomingMessage, res: ServerResponse): void;
  /** The same service for the fast path (decision 0006). */
  fast: FastRoute;
}

export function graphqlEndpoint(options: GraphqlHttpOptions): GraphqlEndpoint {
  const fail = (requestId: string, error: unknown): GraphqlHttpResponse => {
    if (error instanceof RequestError) {
      if (error.reason) options.log.debug({ requestId, reason: error.reason }, error.message);
      return respond(error.statusCode, requestId, error.toBody());
    }
    if (error instanceof BodyTooLarge) {
      return respond(413, requestId, {
        errors: [
          { errorType: 'PayloadTooLargeException', message: `The request body exceeds ${MAX_GRAPHQL_BODY} bytes.` },
        ],
      });
    }
    options.log.error({ err: error, requestId }, 'GraphQL request failed');
    return respond(500, requestId, {
      errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }],
    });
  };

  // Synchronous from the body to the response unless a resolver (or a JWT / Lambda authorizer check) is async:
  // a query on a NONE data source with an API key answers without a single promise tick.
  const observer = options.observe;
  const serve = (req: GraphqlHttpRequest): GraphqlHttpResponse | Promise<GraphqlHttpResponse> => {
    if (!observer) return handle(req, newRequestId(), undefined);
    const started = performance.now();
    const requestId = newRequestId();
    const served: Served = { operation: 'unknown', operationName: undefined, caller: undefined };
    const record = (response: GraphqlHttpResponse) => {
      observer.request({
        api: 'graphql',
        operation: served.operation,
        operationName: served.operationName,
        status: response.status,
        durationMs: performance.now() - started,
        caller: served.caller,
        requestId,
        traceId: req.headers['x-amzn-trace-id'],
      });
      return response;
    };
    const response = handle(req, requestId, served);
    return response instanceof Promise ? response.then(record) : record(response);
  };

  const handle = (
    req: GraphqlHttpRequest,
    requestId: string,
    served: Served | undefined,
  ): GraphqlHttpResponse | Promise<GraphqlHttpResponse> => {
    try {
      const request = parseRequest(req);
      if (served) served.operationName = request.operationName;
      const api = options.api();
      const { headers, url } = req;
      const q = url.indexOf('?');
      const auth = api.authenticate({
        method: req.method,
        path: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? '' : url.slice(q + 1),
        headers,
        body: req.body ?? '',
        // Only IAM and JWT identities carry it; an API-key request never reads it.
        get sourceIp() {
          return sourceIpOf(headers, req.remoteAddress());
        },
        operation: {
          query: request.query,
          operationName: request.operationName ?? null,
          variables: request.variables ?? null,
        },
      });
      if (auth instanceof Promise) {
        return auth.then(
          (resolved) => execute(req, requestId, request, resolved, served),
          (error) => fail(requestId, error),
        );
      }
      return execute(req, requestId, request, auth, served);
    } catch (error) {
      return fail(requestId, error);
    }
  };

  const execute = (
    req: GraphqlHttpRequest,
    requestId: string,
    request: GraphqlRequest,
    auth: RequestAuth,
    served: Served | undefined,
  ): GraphqlHttpResponse | Promise<GraphqlHttpResponse> => {
    try {
      const api = options.api();
      if (served) served.caller = callerOf(auth);
      const prepared = api.executor.prepare(request.query, request.operationName);
      if ('errors' in prepared) return respond(200, requestId, { data: null, errors: prepared.errors });
      // Root field names are the schema's, so the label stays bounded whatever clients send.
      if (served) served.operation = `${prepared.kind} ${prepared.rootFields[0]?.fieldName ?? ''}`;
      if (prepared.kind === 'subscription') {
        throw new RequestError(
          400,
          'BadRequestException',
          'Subscriptions are served over WebSocket at /graphql/realtime.',
        );
      }
      if (prepared.kind === 'mutation' && req.method === 'GET') {
        throw new RequestError(405, 'BadRequestException', 'Mutations must be sent with POST.');
      }
      const context = newRequestContext(requestId, auth, req.headers, req.headers.host ?? null);
      // Plain queries stay off the journal (the fast path's speed); mutations and traced requests are spans.
      const traceHeader = req.headers['x-amzn-trace-id'];
      const span =
        options.journal && (prepared.kind === 'mutation' || traceHeader)
          ? openSpan(options.journal, traceHeader, prepared.kind, prepared.rootFields[0]?.fieldName ?? '', requestId)
          : undefined;
      const finish = (result: ExecutionResult) => {
        if (prepared.kind === 'mutation') {
          const event = { result, rootFields: prepared.rootFields, invalidations: context.invalidations };
          if (span) span.deliver(event, (e) => options.onMutation?.(e) ?? 0, api);
          else options.onMutation?.(event);
        }
        span?.end(result);
        return respond(200, requestId, result);
      };
      // Synchronous resolvers' table writes happen inside `within`: their stream records carry the trace on.
      const result = span
        ? span.within(() => api.executor.execute(prepared, request.variables, context))
        : api.executor.execute(prepared, request.variables, context);
      if (result instanceof Promise) return result.then(finish, (error) => fail(requestId, error));
      return finish(result);
    } catch (error) {
      return fail(requestId, error);
    }
  };

  const fromNode = (req: IncomingMessage, body: Buffer | null): GraphqlHttpRequest => ({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers as Record<string, string>,
    body,
    remoteAddress: () => req.socket.remoteAddress,
  });
  const answer = (res: ServerResponse, response: GraphqlHttpResponse | Promise<GraphqlHttpResponse>) => {
    if (response instanceof Promise) void response.then((r) => send(res, r));
    else send(res, response);
  };

  return {
    http(req, res) {
      if (req.method !== 'POST') {
        answer(res, serve(fromNode(req, null)));
        return;
      }
      readBody(req, MAX_GRAPHQL_BODY).then(
        (body) => answer(res, serve(fromNode(req, body))),
        (error) => send(res, fail(newRequestId(), error)),
      );
    },
    fast: {
      maxBody: MAX_GRAPHQL_BODY,
      handle: (r) =>
        serve({
          method: r.method,
          url: r.url,
          headers: r.headers,
          body: r.body,
          remoteAddress: () => r.socket.remoteAddress,
        }),
    },
  };
}

/**
 * A GraphQL request's span (`Mutation.publishOrder`), continuing the caller's `X-Amzn-Trace-Id` or starting a
 * trace, and its mutation's `delivery` span: how many subscribers the result reached on this node.
 */
function openSpan(
  journal: JournalWriter,
  header: string | undefined,
  kind: 'query' | 'mutation' | 'subscription',
  field: string,
  requestId: string,
) {
  const incoming = parseTraceHeader(header);
  const self = { traceId: incoming?.root ?? newTraceRoot(), spanId: newSpanId() };
  const start = epochNow();
  const typeName = kind === 'mutation' ? 'Mutation' : 'Query';
  return {
    within: <T>(work: () => T): T => journal.within(self, work),
    deliver(event: MutationEvent, publish: (event: MutationEvent) => number, api: GraphqlApi) {
      const at = epochNow();
      const delivered = publish(event);
      const fields = event.rootFields.flatMap((f) => api.schema.subscriptionsByMutation.get(f.fieldName) ?? []);
      journal.span({
        traceId: self.traceId,
        spanId: newSpanId(),
        parentSpanId: self.spanId,
        name: `${fields.length ? fields.join(', ') : 'no subscriptions'} ×${delivered}`,
        kind: 'delivery',
        start: at,
        durationMs: epochNow() - at,
        status: 'ok',
        attributes: { 'syncline.delivered': delivered, 'graphql.subscription.fields': fields.join(',') },
      });
    },
    end(result: ExecutionResult) {
      const errors = result.errors?.length ?? 0;
      journal.span({
        traceId: self.traceId,
        spanId: self.spanId,
        parentSpanId: incoming?.parent,
        name: `${typeName}.${field}`,
        kind: kind === 'mutation' ? 'mutation' : 'graphql',
        start,
        durationMs: epochNow() - start,
        status: errors ? 'error' : 'ok',
        attributes: { 'graphql.operation.type': kind, 'aws.request_id': requestId, 'graphql.errors': errors },
      });
    },
  };
}
