// GraphQL over Server-Sent Events, the graphql-sse library's "distinct connections" mode: each operation is its
// own HTTP request (POST /graphql with `accept: text/event-stream`, or GET/POST /graphql/stream) answered with a
// stream of `next` events and one `complete`. Validation errors travel as a `next` event, as the protocol asks;
// a failed authentication is a plain 401 like the HTTP endpoint's. The client cancels by closing the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BodyTooLarge, readBody } from '../../server/body.js';
import type { SubscriptionHandle, SubscriptionHub, SubscriptionSink } from '../hub.js';
import { normalizeHeaders, type OperationEnv, type OperationRequest, runOperation } from '../operations.js';
import type { RealtimeSettings } from '../settings.js';

interface Shared {
  env: OperationEnv;
  hub: SubscriptionHub;
  settings: RealtimeSettings;
  log: Logger;
}

const MAX_BODY = 1024 * 1024;
const COMPLETE = 'event: complete\ndata:\n\n';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

class StreamSink implements SubscriptionSink {
  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  deliver(payloadJson: string): void {
    if (this.res.writableEnded) return;
    if (this.res.writableLength > this.maxBufferedBytes) {
      // A reader that stopped reading cannot be told anything more; its stream is cut.
      this.res.destroy();
      return;
    }
    this.res.write('event: next\ndata: ' + payloadJson + '\n\n');
  }

  invalidated(): void {
    if (!this.res.writableEnded) this.res.end(COMPLETE);
  }
}

export class SseProtocol {
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly shared: Shared) {}

  /** Whether this request is for the SSE transport rather than plain GraphQL over HTTP. */
  accepts(req: IncomingMessage, path: string): boolean {
    if (path === '/graphql/stream') return true;
    return path === '/graphql' && (req.headers.accept ?? '').includes('text/event-stream');
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' && req.method !== 'GET') {
      res.setHeader('allow', 'GET, POST');
      return sendJson(res, 405, {
        errors: [
          {
            errorType: 'BadRequestException',
            message: 'Only the distinct-connections mode of GraphQL over SSE is served.',
          },
        ],
      });
    }
    let request: OperationRequest;
    try {
      request = await parseRequest(req);
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return sendJson(res, 413, {
          errors: [{ errorType: 'PayloadTooLargeException', message: 'The request body is too large.' }],
        });
      return sendJson(res, 400, {
        errors: [{ errorType: 'MalformedHttpRequestException', message: (error as Error).message }],
      });
    }
    const outcome = await runOperation(this.shared.env, request, normalizeHeaders(req.headers), {
      subscriptionsOnly: false,
    });
    if (outcome.kind === 'rejected' && outcome.reason === 'unauthorized') {
      return sendJson(res, 401, { errors: outcome.errors.map(({ errorType, message }) => ({ errorType, message })) });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    if (outcome.kind !== 'subscription') {
      const result = outcome.kind === 'result' ? outcome.result : { errors: outcome.errors };
      res.end('event: next\ndata: ' + JSON.stringify(result) + '\n\n' + COMPLETE);
      return;
    }
    res.flushHeaders();
    const handle: SubscriptionHandle = this.shared.hub.subscribe(
      outcome.registration,
      new StreamSink(res, this.shared.settings.maxBufferedBytes),
    );
    this.streams.add(res);
    res.on('close', () => {
      this.streams.delete(res);
      handle.unsubscribe();
    });
  }

  /** Keep-alive comments, so proxies and the client keep an idle stream open. */
  tick(): void {
    for (const res of this.streams) if (!res.writableEnded && res.writableLength === 0) res.write(':\n\n');
  }

  close(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }
}

async function parseRequest(req: IncomingMessage): Promise<OperationRequest> {
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const variables = params.get('variables');
    let parsed: unknown = null;
    if (variables) {
      try {
        parsed = JSON.parse(variables);
      } catch {
        throw new Error('Unable to parse the variables query parameter as JSON.');
      }
    }
    if (parsed !== null && !isObject(parsed)) throw new Error('variables must be a JSON object.');
    const query = params.get('query');
    if (!query) throw new Error('The request must contain a query.');
    return { query, variables: parsed as Record<string, unknown> | null, operationName: params.get('operationName') };
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, MAX_BODY)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    throw new Error('Unable to parse JSON document');
  }
  if (!isObject(body) || typeof body.query !== 'string')
    throw new Error('The request body must contain a query string.');
  if (body.variables != null && !isObject(body.variables)) throw new Error('variables must be a JSON object.');
  if (body.operationName != null && typeof body.operationName !== 'string')
    throw new Error('operationName must be a string.');
  return {
    query: body.query,
    variables: (body.variables as Record<string, unknown> | undefined) ?? null,
    operationName: (body.operationName as string | undefined) ?? null,
  };
}
