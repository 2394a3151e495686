// GraphQL over Server-Sent Events, the graphql-sse library's "distinct connections" mode: each operation is its
// own HTTP request (POST /graphql with `accept: text/event-stream`, or GET/POST /graphql/stream) answered with a
// stream of `next` events and one `complete`. Validation errors travel as a `next` event, as the protocol asks;
// a failed authentication is a plain 401 like the HTTP endpoint's. The client cancels by closing the request.
// Requests on /graphql/stream that reserve a stream (PUT), carry a reservation token or stop an operation (DELETE)
// are the single-connection mode's (sseSingleConnection.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { prefersEventStream } from '../../http/accept.js';
import type { SubscriptionHandle, SubscriptionSink } from '../hub.js';
import { normalizeHeaders, runOperation } from '../operations.js';
import { keepAlive, readOperation, type SseShared, sendJson, writeEvents } from './sseCommon.js';
import { SingleConnections, streamToken } from './sseSingleConnection.js';

const COMPLETE = 'event: complete\ndata:\n\n';

class StreamSink implements SubscriptionSink {
  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  deliver(payloadJson: string): void {
    writeEvents(this.res, 'event: next\ndata: ' + payloadJson + '\n\n', this.maxBufferedBytes);
  }

  invalidated(): void {
    if (!this.res.writableEnded) this.res.end(COMPLETE);
  }
}

export class SseProtocol {
  private readonly streams = new Set<ServerResponse>();
  private readonly single: SingleConnections;

  constructor(private readonly shared: SseShared) {
    this.single = new SingleConnections(shared);
  }

  /** Whether this request is for the SSE transport rather than plain GraphQL over HTTP. */
  accepts(req: IncomingMessage, path: string): boolean {
    if (path === '/graphql/stream') return true;
    return path === '/graphql' && prefersEventStream(req.headers.accept);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const token = path === '/graphql/stream' ? streamToken(req) : undefined;
    if (path === '/graphql/stream' && (req.method === 'PUT' || req.method === 'DELETE' || token !== undefined)) {
      return this.single.handle(req, res, token);
    }
    if (req.method !== 'POST' && req.method !== 'GET') {
      res.setHeader('allow', path === '/graphql/stream' ? 'GET, POST, PUT, DELETE' : 'GET, POST');
      return sendJson(res, 405, {
        errors: [{ errorType: 'BadRequestException', message: `${req.method} is not served here.` }],
      });
    }
    const request = await readOperation(req, res);
    if (!request) return;
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
    for (const res of this.streams) keepAlive(res);
    this.single.tick();
  }

  close(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
    this.single.close();
  }
}
