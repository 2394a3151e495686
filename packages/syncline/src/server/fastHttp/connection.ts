// One plain-HTTP connection served without node:http while its requests are ones a fast route claims (the AWS
// JSON APIs, GraphQL POSTs): parse the head, take the body, call the handler, write the response in one write,
// in request order. The first request no route claims hands the connection, with every unread byte, to
// node:http for the rest of its life. Why: docs/decisions/0006-fast-http-path.md.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from './requestHead.js';

export interface FastRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  socket: Socket;
}

export interface FastResponse {
  status: number;
  /** Written as given; `content-length` is added when absent. No `connection` or `date`: the connection owns those. */
  headers: Record<string, string>;
  body: string;
}

export interface FastRoute {
  handle(request: FastRequest): FastResponse | Promise<FastResponse>;
  /** Larger bodies are node:http's, where the route's ordinary handler refuses them with its own error. */
  maxBody: number;
}

/** Picks the route for a request head, or undefined to leave the request (and its connection) to node:http. */
export type FastRouter = (head: RequestHead) => FastRoute | undefined;

export interface FastConnectionOptions {
  router: FastRouter;
  /** Gives the socket to node:http; `unread` holds the bytes read but not consumed, to be read again first. */
  handOver(socket: Socket, unread: Buffer | undefined): void;
  /** Idle time after which a connection without a request in flight is closed (node:http's keepAliveTimeout). */
  keepAliveTimeoutMs: number;
  /** A request's head must be complete this long after its first byte arrived (node:http's headersTimeout). */
  headersTimeoutMs?: number;
  /** A request must be complete this long after its first byte arrived (node:http's requestTimeout). */
  requestTimeoutMs?: number;
  /** Larger heads go to node:http, which answers 431 past the same limit. */
  maxHeadBytes?: number;
  /** Told about a handler that threw or rejected; the client gets a 500 and the connection closes. */
  onError?: (error: unknown) => void;
}

/** Pipelined requests answered ahead of the client's reading; past this the socket stops being read. */
const MAX_IN_FLIGHT = 32;
const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
const LF = 10;
const EMPTY = Buffer.alloc(0);

interface Slot {
  text: string | undefined;
  close: boolean;
}

let dateText = '';
let dateSecond = 0;

/** The Date header, formatted once per second as node:http does. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

function format(response: FastResponse, close: boolean, keepAlive: string): string {
  const { status, headers, body } = response;
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
  for (const name in headers) text += `${name}: ${headers[name]}\r\n`;
  if (headers['content-length'] === undefined) text += `content-length: ${Buffer.byteLength(body)}\r\n`;
  text += `date: ${httpDate()}\r\n${close ? 'connection: close\r\n' : keepAlive}\r\n`;
  return text + body;
}

/** node:http's own answer to a request past its time, byte for byte. */
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

const INTERNAL_ERROR: FastResponse = {
  status: 500,
  headers: { 'content-type': 'application/json' },
  body: '{"message":"Internal server error"}',
};

/** Serves `socket`, whose first bytes (`first`) were already read, until it closes or goes to node:http. */
export function serveFast(socket: Socket, first: Buffer, options: FastConnectionOptions): void {
  new FastConnection(socket, options).receive(first);
}

/**
 * How often idle and slow connections are looked for. One timer for all of them instead of `socket.setTimeout`, which
 * every read and every write re-arms (~1.2 µs a request on a bare net server at ~75k requests/s), or a timer per
 * request. A connection is closed up to this much after its keep-alive, head or request time, never before it.
 */
const SWEEP_MS = 250;
const watched = new Set<FastConnection>();
let sweeper: NodeJS.Timeout | undefined;

function watchTime(connection: FastConnection): void {
  watched.add(connection);
  sweeper ??= setInterval(() => {
    const now = Date.now();
    for (const c of watched) c.sweep(now);
    if (watched.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  }, SWEEP_MS).unref();
}

/**
 * Answers ready while this event-loop turn reads requests are written together when the turn's I/O is done
 * (setImmediate), not each as soon as its request is served. Each write to a client whose thread sleeps wakes it,
 * and on a VM a cross-CPU wake-up is dear; writes made back to back find the client already awake, and the kernel's
 * network path and the handlers' code each stay warm in the caches instead of alternating. Measured under wrk (16
 * connections, 2 vCPU): GetItem +12 % (file +20 %), Query +14 %, the write path 28 % → 22 % of the thread; at one
 * connection it costs one setImmediate per request (within the noise). Answers that come later (a commit, a
 * function) are written when they come: they settle together already.
 */
const deferred: FastConnection[] = [];
let flushScheduled = false;
/** Past this many connections waiting, the turn's answers go out at once: the first waits for no more than these. */
const MAX_DEFERRED = 32;

function flushDeferred(): void {
  flushScheduled = false;
  // Taken first: a flush that defers again starts the next batch instead of growing this one.
  for (const connection of deferred.splice(0)) connection.flush();
}

function deferFlush(connection: FastConnection): void {
  deferred.push(connection);
  if (deferred.length >= MAX_DEFERRED) flushDeferred();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushDeferred);
  }
}

class FastConnection {
  /** Bytes read and not yet consumed, in arrival order; joined only when a request's bytes are all here. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The bytes the request at the front needs in all, once its head is known; parsing waits for them. */
  private needed = 0;
  private readonly slots: Slot[] = [];
  /** No more requests are served here: the client asked to close, or the rest is node:http's. */
  private stopped = false;
  private handingOver = false;
  /** Parsing stopped at MAX_IN_FLIGHT with requests still unread: it resumes when answers have gone out. */
  private blocked = false;
  private readonly keepAlive: string;
  private readonly maxHeadBytes: number;
  /** When bytes last came in or went out (Date.now()). */
  private lastActive = Date.now();
  /** When the first byte of the request not yet consumed arrived (meaningful while `pendingBytes` > 0). */
  private requestStartedAt = 0;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onDrain = () => this.updateFlow();
  private readonly onClose = () => watched.delete(this);

  constructor(
    private readonly socket: Socket,
    private readonly options: FastConnectionOptions,
  ) {
    this.keepAlive = `connection: keep-alive\r\nkeep-alive: timeout=${Math.floor(options.keepAliveTimeoutMs / 1000)}\r\n`;
    this.maxHeadBytes = options.maxHeadBytes ?? MAX_HEAD_BYTES;
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.once('close', this.onClose);
    watchTime(this);
  }

  /**
   * Closes the connection if the request being received is past its time (408, as node:http answers), or if no
   * request is in flight and nothing moved for its keep-alive time. A request waiting because this side stopped
   * reading (answers owed, a client not reading them) is not the client's delay and is not timed here.
   */
  sweep(now: number): void {
    if (this.pendingBytes > 0 && !this.stopped && !this.blocked && !this.socket.isPaused()) {
      const limit =
        this.needed === 0
          ? (this.options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS)
          : (this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
      if (now - this.requestStartedAt >= limit) {
        this.timeOut();
        return;
      }
    }
    if (this.slots.length === 0 && now - this.lastActive >= this.options.keepAliveTimeoutMs) this.socket.destroy();
  }

  private timeOut(): void {
    this.stopped = true;
    this.handingOver = false;
    this.discardUnread();
    // No answer is owed before it, so the 408 is the next thing the client reads.
    if (this.slots.length === 0 && this.socket.writable) this.socket.write(REQUEST_TIMEOUT);
    this.socket.destroy();
  }

  receive(chunk: Buffer): void {
    const now = Date.now();
    this.lastActive = now;
    if (this.stopped && !this.handingOver) return;
    const continued = this.pendingBytes > 0;
    if (!continued) this.requestStartedAt = now;
    // Bytes that arrive while a hand-over waits for the last answers belong to node:http.
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.stopped || this.pendingBytes < this.needed) return;
    // A head still incomplete cannot end in a chunk without a line feed: no new parse of everything read so far
    // for each byte of a head sent slowly.
    if (continued && this.needed === 0 && this.pendingBytes <= this.maxHeadBytes && chunk.indexOf(LF) === -1) return;
    this.parse();
    // An answer ready now waits for the turn's end; with none, flush at once for flow control and hand-over.
    if (this.slots.length > 0 && this.slots[0].text !== undefined) deferFlush(this);
    else this.flush();
  }

  private unread(): Buffer | undefined {
    if (this.pending.length === 0) return undefined;
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
    return this.pending[0];
  }

  /** Forgets every byte not yet consumed: nothing more is read on this connection. */
  private discardUnread(): void {
    this.consume(0, EMPTY);
  }

  private consume(end: number, buffer: Buffer): void {
    this.needed = 0;
    this.pendingBytes = buffer.length - end;
    this.pending = this.pendingBytes === 0 ? [] : [buffer.subarray(end)];
    // The bound is per request: the next one's time starts when its first byte is here, at the latest read.
    if (this.pendingBytes > 0) this.requestStartedAt = this.lastActive;
  }

  /** Serves every complete request read so far. */
  private parse(): void {
    for (;;) {
      const buffer = this.unread();
      if (!buffer || this.stopped) break;
      if (this.slots.length >= MAX_IN_FLIGHT) {
        this.blocked = true;
        break;
      }
      const head = parseRequestHead(buffer, 0, this.maxHeadBytes);
      if (head === 'incomplete') break;
      const route = head === 'unsupported' ? undefined : this.options.router(head);
      if (head === 'unsupported' || !route || head.contentLength > route.maxBody) {
        this.stopped = true;
        this.handingOver = true;
        this.socket.pause();
        break;
      }
      const end = head.bodyStart + head.contentLength;
      if (buffer.length < end) {
        this.needed = end;
        break;
      }
      this.consume(end, buffer);
      this.serve(head, route, buffer.subarray(head.bodyStart, end));
      if (head.close) {
        this.stopped = true;
        this.discardUnread();
      }
    }
  }

  private serve(head: RequestHead, route: FastRoute, body: Buffer): void {
    const slot: Slot = { text: undefined, close: head.close };
    this.slots.push(slot);
    const request: FastRequest = {
      method: head.method,
      url: head.url,
      headers: head.headers,
      body,
      socket: this.socket,
    };
    let result: FastResponse | Promise<FastResponse>;
    try {
      result = route.handle(request);
    } catch (error) {
      this.fail(slot, error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => {
          slot.text = format(response, slot.close, this.keepAlive);
          this.flush();
        },
        (error) => {
          this.fail(slot, error);
          this.flush();
        },
      );
    } else {
      slot.text = format(result, slot.close, this.keepAlive);
    }
  }

  /** A handler failed: its client gets a 500 and the connection ends after it. */
  private fail(slot: Slot, error: unknown): void {
    this.options.onError?.(error);
    slot.close = true;
    slot.text = format(INTERNAL_ERROR, true, this.keepAlive);
    this.stopped = true;
    this.handingOver = false;
    this.discardUnread();
  }

  /** Writes the answered requests at the head of the queue, in order, in one write (also at a turn's end). */
  flush(): void {
    let out = '';
    let close = false;
    while (this.slots.length > 0 && this.slots[0].text !== undefined) {
      const slot = this.slots.shift()!;
      out += slot.text;
      if (slot.close) {
        close = true;
        // Nothing after a closing answer is written; requests still running are dropped with the connection.
        this.slots.length = 0;
      }
    }
    if (this.socket.destroyed || !this.socket.writable) return;
    if (out) {
      this.socket.write(out);
      this.lastActive = Date.now();
    }
    if (close) {
      this.socket.end();
      return;
    }
    if (this.slots.length === 0 && this.handingOver) {
      this.handOver();
      return;
    }
    this.updateFlow();
  }

  /** Stops reading while the client is not taking its responses, or too many requests wait for theirs. */
  private updateFlow(): void {
    if (this.stopped) return;
    if (this.slots.length >= MAX_IN_FLIGHT || this.socket.writableNeedDrain) {
      this.socket.pause();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    // Requests already read wait for no further bytes: nothing else would wake them.
    if (this.blocked) {
      this.blocked = false;
      this.parse();
      this.flush();
    }
  }

  private handOver(): void {
    this.handingOver = false;
    this.socket.off('data', this.onData);
    this.socket.off('drain', this.onDrain);
    this.socket.off('close', this.onClose);
    watched.delete(this);
    this.options.handOver(this.socket, this.unread());
  }
}
