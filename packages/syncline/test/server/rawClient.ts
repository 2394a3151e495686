// Raw clients for listener tests: they speak HTTP byte by byte, so a test controls exactly when each byte leaves
// (a slowloris, an idle keep-alive connection, a TLS handshake left unfinished).
import { connect as connectPlain, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far, as latin1. */
  received(): string;
  /** Resolves when the socket is closed (by either side). */
  closed: Promise<void>;
  isClosed(): boolean;
}

export async function openRaw(port: number, options: { tls?: boolean } = {}): Promise<RawConnection> {
  const socket: Socket = options.tls
    ? connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false })
    : connectPlain(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  // A reset from the server is one of the ways it closes: not a test failure.
  socket.on('error', () => {});
  const closedPromise = new Promise<void>((ok) =>
    socket.once('close', () => {
      closed = true;
      ok();
    }),
  );
  await new Promise<void>((ok, fail) => {
    socket.once(options.tls ? 'secureConnect' : 'connect', () => ok());
    socket.once('close', () => fail(new Error('closed before connecting')));
  });
  return { socket, received: () => text, closed: closedPromise, isClosed: () => closed };
}

/**
 * Sends `first`, then one of `lines` every `everyMs`, cycling, until the server closes the connection or `giveUpMs`
 * passes. Returns whether the server closed it while the client was still sending.
 */
export async function trickle(
  connection: RawConnection,
  first: string,
  lines: string[],
  { everyMs = 100, giveUpMs = 8000 } = {},
): Promise<{ closedByServer: boolean; sent: number }> {
  const { socket } = connection;
  socket.write(first);
  let sent = 0;
  const timer = setInterval(() => {
    if (!connection.isClosed()) socket.write(lines[sent++ % lines.length]);
  }, everyMs);
  const gaveUp = new Promise<'gave up'>((ok) => setTimeout(() => ok('gave up'), giveUpMs));
  const outcome = await Promise.race([connection.closed.then(() => 'closed' as const), gaveUp]);
  clearInterval(timer);
  if (outcome === 'gave up') socket.destroy();
  return { closedByServer: outcome === 'closed', sent };
}

/** Waits until the connection closes, or `giveUpMs` passes; true if it closed. */
export async function closesWithin(connection: RawConnection, giveUpMs = 8000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<false>((ok) => {
    timer = setTimeout(() => ok(false), giveUpMs);
  });
  const closed = await Promise.race([connection.closed.then(() => true as const), gaveUp]);
  clearTimeout(timer);
  if (!closed) connection.socket.destroy();
  return closed;
}

/** Resolves with the first complete response's status line and body once `received` holds one. */
export async function firstResponse(connection: RawConnection, giveUpMs = 8000): Promise<string> {
  const deadline = Date.now() + giveUpMs;
  for (;;) {
    const text = connection.received();
    const end = text.indexOf('\r\n\r\n');
    if (end !== -1) {
      const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length >= end + 4 + length) return text.slice(0, end + 4 + length);
    }
    if (connection.isClosed()) return text;
    if (Date.now() > deadline) throw new Error(`no response; received ${JSON.stringify(text)}`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}
