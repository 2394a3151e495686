// GraphQL over SSE, the graphql-sse library's "single connection" mode, on /graphql/stream: a PUT reserves a stream
// and answers its token; one event stream (GET or POST with `accept: text/event-stream`) fulfils the reservation;
// operations are POSTed with the token and an `extensions.operationId`, accepted with 202, and their results travel
// on that one stream as `next {id, payload}` and `complete {id}`; a DELETE with `?operationId=` stops one.
//
// The token (a random UUID, in `x-graphql-event-stream-token` or `?token=`) is the stream's only key, so every
// operation is authenticated on its own request, as in distinct-connections mode; a reservation no stream takes up
// within 30 s is dropped, and at most 10,000 wait at once (docs/realtime.md).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SubscriptionHandle, SubscriptionSink } from '../hub.js';
import { normalizeHeaders, runOperation } from '../operations.js';
import { keepAlive, readOperation, type SseShared, sendJson, writeEvents } from './sseCommon.js';

export const TOKEN_HEADER = 'x-graphql-event-stream-token';
const RESERVATION_TTL_MS = 30_000;
const MAX_WAITING_RESERVATIONS = 10_000;

interface Reservation {
  token: string;
  stream: ServerResponse | undefined;
  /** Events of operations sent before the stream connected, written when it does. */
  queued: string[];
  queuedBytes: number;
  /** Running operations; undefined while one is being prepared. */
  ops: Map<string, SubscriptionHandle | undefined>;
  expiry: NodeJS.Timeout | undefined;
}

const errorsJson = (message: string) => ({ errors: [{ message }] });
const nextEvent = (id: string, payloadJson: string) =>
  `event: next\ndata: {"id":${JSON.stringify(id)},"payload":${payloadJson}}\n\n`;
const completeEvent = (id: string) => `event: complete\ndata: {"id":${JSON.stringify(id)}}\n\n`;

/** The reservation token a request carries, if any. */
export function streamToken(req: IncomingMessage): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header) return header;
  const query = (req.url ?? '').indexOf('?');
  if (query === -1) return undefined;
  return new URLSearchParams((req.url ?? '').slice(query + 1)).get('token') || undefined;
}

export class SingleConnections {
  private readonly reservations = new Map<string, Reservation>();
  private waiting = 0;

  constructor(private readonly shared: SseShared) {}

  async handle(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
    if (req.method === 'PUT') return this.reserve(req, res);
    const reservation = token === undefined ? undefined : this.reservations.get(token);
    if (!reservation) return sendJson(res, 404, errorsJson('Stream not found'));
    if (req.method === 'DELETE') return this.stop(req, res, reservation);
    if ((req.headers.accept ?? '').includes('text/event-stream')) return this.connect(res, reservation);
    return this.execute(req, res, reservation);
  }

  /** Keep-alive comments on idle streams. */
  tick(): void {
    for (const { stream } of this.reservations.values()) if (stream) keepAlive(stream);
  }

  close(): void {
    for (const reservation of [...this.reservations.values()]) {
      reservation.stream?.destroy();
      this.drop(reservation);
    }
  }

  private reserve(req: IncomingMessage, res: ServerResponse): void {
    const accept = req.headers.accept;
    if (accept && !accept.includes('*/*') && !accept.includes('text/plain')) {
      res.writeHead(406).end();
      return;
    }
    if (this.waiting >= MAX_WAITING_RESERVATIONS) {
      sendJson(res, 503, errorsJson('Too many stream reservations are waiting for their stream'));
      return;
    }
    const token = randomUUID();
    const reservation: Reservation = {
      token,
      stream: undefined,
      queued: [],
      queuedBytes: 0,
      ops: new Map(),
      expiry: setTimeout(() => this.drop(reservation), RESERVATION_TTL_MS).unref(),
    };
    this.reservations.set(token, reservation);
    this.waiting++;
    res.writeHead(201, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(token) });
    res.end(token);
  }

  private connect(res: ServerResponse, reservation: Reservation): void {
    // Only one stream may ever fulfil a reservation (the protocol's rule, and what keeps a leaked token harmless
    // while its owner is connected).
    if (reservation.stream) {
      sendJson(res, 409, errorsJson('Stream already open'));
      return;
    }
    clearTimeout(reservation.expiry);
    reservation.expiry = undefined;
    this.waiting--;
    reservation.stream = res;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    // A comment first: some browsers wait for a body before they report the stream open.
    res.write(`:\n\n${reservation.queued.join('')}`);
    reservation.queued = [];
    reservation.queuedBytes = 0;
    res.on('close', () => this.drop(reservation));
  }

  private async execute(req: IncomingMessage, res: ServerResponse, reservation: Reservation): Promise<void> {
    const request = await readOperation(req, res);
    if (!request) return;
    const id = request.extensions?.operationId;
    if (typeof id !== 'string' || !id) return sendJson(res, 400, errorsJson('Operation ID is missing'));
    if (reservation.ops.has(id)) return sendJson(res, 409, errorsJson('Operation with ID already exists'));
    reservation.ops.set(id, undefined);
    const outcome = await runOperation(this.shared.env, request, normalizeHeaders(req.headers), {
      subscriptionsOnly: false,
    });
    // Stopped (DELETE, or the stream went away) while it was being prepared: nothing more to run or send.
    if (!reservation.ops.has(id) || !this.reservations.has(reservation.token)) {
      res.writeHead(204).end();
      return;
    }
    if (outcome.kind === 'rejected') {
      reservation.ops.delete(id);
      const errors = outcome.errors.map(({ errorType, message }) => ({ errorType, message }));
      return sendJson(res, outcome.reason === 'unauthorized' ? 401 : 400, { errors });
    }
    if (outcome.kind === 'result') {
      reservation.ops.delete(id);
      this.emit(reservation, nextEvent(id, JSON.stringify(outcome.result)) + completeEvent(id));
    } else {
      const sink: SubscriptionSink = {
        deliver: (payloadJson) => this.emit(reservation, nextEvent(id, payloadJson)),
        invalidated: () => {
          reservation.ops.delete(id);
          this.emit(reservation, completeEvent(id));
        },
      };
      reservation.ops.set(id, this.shared.hub.subscribe(outcome.registration, sink));
    }
    res.writeHead(202).end();
  }

  private stop(req: IncomingMessage, res: ServerResponse, reservation: Reservation): void {
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('operationId');
    if (!id) {
      sendJson(res, 400, errorsJson('Operation ID is missing'));
      return;
    }
    if (reservation.ops.has(id)) {
      reservation.ops.get(id)?.unsubscribe();
      reservation.ops.delete(id);
      this.emit(reservation, completeEvent(id));
    }
    res.writeHead(200).end();
  }

  private emit(reservation: Reservation, text: string): void {
    const { stream } = reservation;
    if (!stream) {
      reservation.queued.push(text);
      reservation.queuedBytes += text.length;
      // Nobody is reading these; past the bound they would only pile up.
      if (reservation.queuedBytes > this.shared.settings.maxBufferedBytes) this.drop(reservation);
      return;
    }
    writeEvents(stream, text, this.shared.settings.maxBufferedBytes);
  }

  private drop(reservation: Reservation): void {
    if (this.reservations.get(reservation.token) !== reservation) return;
    this.reservations.delete(reservation.token);
    if (!reservation.stream) this.waiting--;
    clearTimeout(reservation.expiry);
    for (const handle of reservation.ops.values()) handle?.unsubscribe();
    reservation.ops.clear();
    if (reservation.stream && !reservation.stream.writableEnded) reservation.stream.end();
  }
}
