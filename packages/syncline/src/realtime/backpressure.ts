// Slow consumers: a client that stops reading must not hold more than the cap of bytes owed to it, nor delay
// anyone else. `ws.bufferedAmount` is not enough to see that: it counts only what is still in user space, while
// the kernel's send buffer (autotuned up to tcp_wmem's maximum, 4 MiB on Linux) and the peer's receive buffer
// absorb several more megabytes per connection — under a loaded CPU writes trickle in slowly enough for the
// buffers to grow, so a paused consumer held ~15 MB against a 4 MiB cap and was never dropped.
//
// So the bound counts every byte handed to the socket that the peer has not proven it read. The proof is
// WebSocket's own ping/pong (RFC 6455 requires every client to answer; browsers, ws, Amplify all do): a ping is
// queued behind the data, so its pong means the peer's WebSocket parser consumed everything before it. A
// connection whose unconfirmed bytes would exceed the cap is closed with a reason and dropped shortly after,
// since a non-reading peer never sees the close frame queued behind its backlog. The budget is also global: once
// the server as a whole holds more than `maxTotal` unconfirmed bytes, a connection lagging by more than a
// sixteenth of its cap is dropped at its next send, so any number of paused consumers stays bounded too.
import type { WebSocket } from 'ws';

export const SLOW_CONSUMER_CLOSE_CODE = 1008;
const TERMINATE_GRACE_MS = 2_000;
/** A text frame's header: at most 10 bytes from the server (no mask). */
const FRAME_HEADER_BYTES = 10;
const MAX_OUTSTANDING_PINGS = 16;

/** One server's unconfirmed-bytes budget, shared by all its WebSocket connections. */
export class SendBudget {
  /** Unconfirmed bytes across every connection. */
  used = 0;
  dropped = 0;

  constructor(
    readonly perConnection: number,
    readonly total: number,
  ) {}
}

/** A WebSocket whose sends are bounded by the bytes its peer has confirmed reading. */
export class BoundedSocket {
  private sent = 0;
  private confirmed = 0;
  private nextPingAt: number;
  private pingSeq = 0;
  /** Outstanding pings, oldest first: their sequence number and the byte offset they follow. */
  private readonly pings: { seq: number; offset: number }[] = [];
  private released = false;

  constructor(
    readonly ws: WebSocket,
    private readonly budget: SendBudget,
  ) {
    this.nextPingAt = this.pingStep();
    ws.on('pong', (data) => this.onPong(data));
    ws.once('close', () => this.release());
  }

  /** Bytes handed to the socket that the peer has not yet confirmed reading. */
  get unconfirmed(): number {
    return this.sent - this.confirmed;
  }

  /** Sends `text` unless the connection is closed or would go over its budget; returns whether it was sent. */
  send(text: string): boolean {
    const ws = this.ws;
    if (ws.readyState !== 1) return false;
    const bytes = Buffer.byteLength(text) + FRAME_HEADER_BYTES;
    const { perConnection, total } = this.budget;
    const owed = this.unconfirmed;
    if (
      owed + bytes > perConnection ||
      ws.bufferedAmount + bytes > perConnection ||
      (this.budget.used + bytes > total && owed > perConnection / 16)
    ) {
      this.shed();
      return false;
    }
    ws.send(text);
    this.sent += bytes;
    this.budget.used += bytes;
    if (this.sent >= this.nextPingAt && this.pings.length < MAX_OUTSTANDING_PINGS) {
      const seq = ++this.pingSeq;
      this.pings.push({ seq, offset: this.sent });
      this.nextPingAt = this.sent + this.pingStep();
      ws.ping(String(seq));
    }
    return true;
  }

  private pingStep(): number {
    return Math.max(1024, Math.floor(this.budget.perConnection / 4));
  }

  private onPong(data: Buffer) {
    const seq = Number(data.toString('latin1'));
    // Only a pong echoing one of our pings counts; unsolicited pongs (allowed as heartbeats) prove nothing.
    const i = this.pings.findIndex((p) => p.seq === seq);
    if (i === -1) return;
    const { offset } = this.pings[i];
    this.pings.splice(0, i + 1);
    if (offset > this.confirmed) {
      if (!this.released) this.budget.used -= offset - this.confirmed;
      this.confirmed = offset;
    }
  }

  private release() {
    if (this.released) return;
    this.released = true;
    this.budget.used -= this.unconfirmed;
  }

  private shed() {
    const ws = this.ws;
    this.budget.dropped++;
    ws.close(
      SLOW_CONSUMER_CLOSE_CODE,
      `Slow consumer: more than ${this.budget.perConnection} bytes waiting to be read`,
    );
    // The close frame waits behind the backlog, so the memory is released now, not when the peer reads.
    this.release();
    setTimeout(() => ws.terminate(), TERMINATE_GRACE_MS).unref();
  }
}
