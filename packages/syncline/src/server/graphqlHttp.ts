// POST /graphql and GET /graphql: AppSync's HTTP surface. Every response carries `x-amzn-RequestId`; GraphQL
// errors travel with 200 as on AppSync, request-level failures (auth, malformed body) with their own status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { sourceIpOf } from '../auth/authenticate.js';
import type { GraphqlApi } from '../graphql/api.js';
import { RequestError } from '../graphql/errors.js';
import { type ExecutionResult, type GraphqlRequest, newRequestId } from '../graphql/executor.js';
import { newRequestContext, type RequestAuth } from '../graphql/requestContext.js';
import { BodyTooLarge, readBody } from './body.js';

export const MAX_GRAPHQL_BODY = 1024 * 1024;

export interface GraphqlHttpOptions {
  api: () => GraphqlApi;
  log: Logger;
  /** Called after a mutation completes, with the request's outcome (the realtime hub hooks in here). */
  onMutation?: (event: MutationEvent) => void;
}

export interface MutationEvent {
  result: ExecutionResult;
  rootFields: { responseKey: string; fieldName: string }[];
  invalidations: unknown[];
}

const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';

function send(res: ServerResponse, status: number, requestId: string, body: unknown) {
  const text = JSON.stringify(body);
  // A flat header array skips Node's per-response header object walk.
  res.writeHead(status, [
    'content-type',
    JSON_CONTENT_TYPE,
    'content-length',
    String(Buffer.byteLength(text)),
    'x-amzn-RequestId',
    requestId,
  ]);
  res.end(text);
}

function parseRequest(req: IncomingMessage, body: Buffer | null): GraphqlRequest {
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
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

export function graphqlHttpHandler(options: GraphqlHttpOptions) {
  const fail = (res: ServerResponse, requestId: string, error: unknown) => {
    if (error instanceof RequestError) {
      if (error.reason) options.log.debug({ requestId, reason: error.reason }, error.message);
      return send(res, error.statusCode, requestId, error.toBody());
    }
    if (error instanceof BodyTooLarge) {
      return send(res, 413, requestId, {
        errors: [
          { errorType: 'PayloadTooLargeException', message: `The request body exceeds ${MAX_GRAPHQL_BODY} bytes.` },
        ],
      });
    }
    options.log.error({ err: error, requestId }, 'GraphQL request failed');
    send(res, 500, requestId, { errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }] });
  };

  // Synchronous from the last body chunk to the response unless a resolver (or a JWT / Lambda authorizer check)
  // is async: a query on a NONE data source with an API key answers without a single promise tick.
  const handle = (req: IncomingMessage, res: ServerResponse, requestId: string, body: Buffer | null) => {
    try {
      const request = parseRequest(req, body);
      const api = options.api();
      const headers = req.headers as Record<string, string>;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const auth = api.authenticate({
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? '' : url.slice(q + 1),
        headers,
        body: body ?? '',
        // Only IAM and JWT identities carry it; an API-key request never reads it.
        get sourceIp() {
          return sourceIpOf(headers, req.socket.remoteAddress);
        },
        operation: {
          query: request.query,
          operationName: request.operationName ?? null,
          variables: request.variables ?? null,
        },
      });
      if (auth instanceof Promise) {
        auth.then(
          (resolved) => execute(req, res, requestId, request, resolved),
          (error) => fail(res, requestId, error),
        );
      } else execute(req, res, requestId, request, auth);
    } catch (error) {
      fail(res, requestId, error);
    }
  };

  const execute = (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    request: GraphqlRequest,
    auth: RequestAuth,
  ) => {
    try {
      const api = options.api();
      const prepared = api.executor.prepare(request.query, request.operationName);
      if ('errors' in prepared) return send(res, 200, requestId, { data: null, errors: prepared.errors });
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
      const context = newRequestContext(
        requestId,
        auth,
        req.headers as Record<string, string>,
        req.headers.host ?? null,
      );
      const finish = (result: ExecutionResult) => {
        if (prepared.kind === 'mutation') {
          options.onMutation?.({ result, rootFields: prepared.rootFields, invalidations: context.invalidations });
        }
        send(res, 200, requestId, result);
      };
      const result = api.executor.execute(prepared, request.variables, context);
      if (result instanceof Promise) result.then(finish, (error) => fail(res, requestId, error));
      else finish(result);
    } catch (error) {
      fail(res, requestId, error);
    }
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = newRequestId();
    if (req.method !== 'POST') {
      handle(req, res, requestId, null);
      return;
    }
    readBody(req, MAX_GRAPHQL_BODY).then(
      (body) => handle(req, res, requestId, body),
      (error) => fail(res, requestId, error),
    );
  };
}
