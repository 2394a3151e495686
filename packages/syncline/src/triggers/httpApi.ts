// The functions' HTTP routes on the server's port, behaving as an API Gateway HTTP API with Lambda proxy
// integrations: route selection, the 1.0/2.0 events, response mapping, CORS, and the gateway's own errors.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import { newTraceRoot, parseTraceHeader, TRACE_HEADER } from '../functions/traceId.js';
import type { FunctionRuntime, InvokeResult } from '../functions/types.js';
import { BodyTooLarge, readBody } from '../http/body.js';
import { epochNow, newSpanId } from '../trace/ids.js';
import type { JournalWriter } from '../trace/journal.js';
import {
  eventV1,
  eventV2,
  type GatewayRequest,
  type GatewayResponse,
  gatewayErrors,
  gatewayRequestId,
  responseV1,
  responseV2,
} from './apiGatewayPayload.js';
import { isCorsHeader, isPreflight, preflightHeaders, responseCorsHeaders } from './httpCors.js';
import { compileRoutes, matchRoute, servesPath } from './httpRoutes.js';

/** HTTP API's payload limit. */
const MAX_BODY = 10 * 1024 * 1024;
/** HTTP API gives an integration at most 30 s. */
const INTEGRATION_TIMEOUT_MS = 30_000;
/** Paths the server answers itself; never routed to a function. */
const RESERVED = /^\/graphql(\/|$)/;

export interface HttpApiOptions {
  app: AppModel;
  runtime: FunctionRuntime;
  log: Logger;
  accountId: string;
  integrationTimeoutMs?: number;
  /** Where each routed request's span is recorded: the first hop of the traced path. */
  journal?: JournalWriter;
}

export interface HttpApi {
  /**
   * True when a route serves this path (with any method). Other paths stay with the rest of the server (the web
   * app, the 404), and GraphQL's paths and AWS API calls (x-amz-target) are never the gateway's.
   */
  handles(req: { headers: Readonly<Record<string, string | string[] | undefined>> }, path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
  /** The route key (`POST /orders`) a request matches, for metrics and logs; undefined when none does. */
  routeKey(method: string, path: string): string | undefined;
}

export function createHttpApi(options: HttpApiOptions): HttpApi {
  const { app, runtime, log } = options;
  const routes = compileRoutes(app);
  const cors = app.httpCors;
  const integrationTimeout = options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS;
  // A stable id per app, shaped like API Gateway's 10-character API ids.
  const apiId = createHash('sha256').update(app.name).digest('hex').slice(0, 10);
  const ctx = { accountId: options.accountId, apiId };

  const send = (req: IncomingMessage, res: ServerResponse, response: GatewayResponse, requestId: string) => {
    const headers = cors ? response.headers.filter(([n]) => !isCorsHeader(n)) : [...response.headers];
    if (cors) headers.push(...responseCorsHeaders(cors, req));
    headers.push(['apigw-requestid', requestId], ['content-length', String(response.body.length)]);
    res.writeHead(response.statusCode, headers.flat());
    res.end(req.method === 'HEAD' ? undefined : response.body);
  };

  const invoke = (name: string, event: unknown, traceHeader?: string): Promise<InvokeResult | 'timeout'> => {
    let timer: NodeJS.Timeout;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), integrationTimeout);
    });
    return Promise.race([runtime.invoke(name, event, { traceHeader, trigger: 'http' }), timeout]).finally(() =>
      clearTimeout(timer),
    );
  };

  /**
   * The route's span, recorded when the response is sent; returns the header the function continues: the
   * caller's trace (its Root and sampling decision) or a new one, with this span as the Parent.
   */
  const traceRoute = (req: IncomingMessage, res: ServerResponse, routeKey: string, requestId: string) => {
    const incoming = parseTraceHeader(req.headers[TRACE_HEADER]);
    const traceId = incoming?.root ?? newTraceRoot();
    const spanId = newSpanId();
    const journal = options.journal;
    if (journal) {
      const start = epochNow();
      res.once('finish', () =>
        journal.span({
          traceId,
          spanId,
          parentSpanId: incoming?.parent,
          name: routeKey,
          kind: 'http-route',
          start,
          durationMs: epochNow() - start,
          status: res.statusCode >= 500 ? 'error' : 'ok',
          attributes: {
            'http.request.method': req.method ?? 'GET',
            'http.route': routeKey,
            'http.response.status_code': res.statusCode,
            'aws.request_id': requestId,
          },
        }),
      );
    }
    return `Root=${traceId};Parent=${spanId};Sampled=${incoming?.sampled ?? '0'}`;
  };

  return {
    handles(req, path) {
      return (
        routes.length > 0 &&
        req.headers['x-amz-target'] === undefined &&
        !RESERVED.test(path) &&
        servesPath(routes, path)
      );
    },

    routeKey(method, path) {
      return matchRoute(routes, method, path)?.route.routeKey;
    },

    async handle(req, res, path) {
      const requestId = gatewayRequestId();
      if (cors && isPreflight(req)) {
        res.writeHead(204, [...preflightHeaders(cors, req), ['apigw-requestid', requestId]].flat()).end();
        return;
      }
      const method = req.method ?? 'GET';
      const match = matchRoute(routes, method, path);
      if (!match) {
        req.resume();
        send(req, res, gatewayErrors.notFound(), requestId);
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(req, MAX_BODY);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        send(req, res, gatewayErrors.tooLarge(), requestId);
        return;
      }
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const rawHeaders: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      const request: GatewayRequest = {
        method,
        rawPath: path,
        rawQueryString: q === -1 ? '' : url.slice(q + 1),
        rawHeaders,
        body,
        sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
        time: new Date(),
      };
      const { route, pathParameters } = match;
      const v1 = route.payload === '1.0';
      const event = v1 ? eventV1(request, route, pathParameters, ctx) : eventV2(request, route, pathParameters, ctx);
      const result = await invoke(route.functionName, event, traceRoute(req, res, route.routeKey, requestId));
      if (result === 'timeout') {
        log.warn({ route: route.routeKey, requestId }, 'integration timed out');
        send(req, res, v1 ? gatewayErrors.endpointTimeout() : gatewayErrors.serviceUnavailable(), requestId);
        return;
      }
      if (!result.ok) {
        send(
          req,
          res,
          result.error.errorType === 'TooManyRequestsException' ? gatewayErrors.throttled() : gatewayErrors.internal(),
          requestId,
        );
        return;
      }
      const response = v1 ? responseV1(result.payload) : responseV2(result.payload);
      if (!response) {
        log.warn(
          { function: route.functionName, route: route.routeKey, requestId },
          v1
            ? 'malformed Lambda proxy response: payload 1.0 needs an object with statusCode and a string body'
            : 'malformed Lambda proxy response: statusCode must be an HTTP status and body a string',
        );
        send(req, res, gatewayErrors.internal(), requestId);
        return;
      }
      send(req, res, response, requestId);
    },
  };
}
