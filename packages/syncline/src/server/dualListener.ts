// One port for TLS and plain connections. Amplify v6 turns the printed `http://…/graphql` endpoint into
// `wss://…/graphql/realtime` on the same port, while curl and graphql-ws use plain HTTP there; so the first byte
// of each connection decides: 0x16 opens a TLS handshake, anything else is plain HTTP.
// Every path has the same bounds (listenerLimits.ts): a first byte, a TLS handshake and a request head each within
// the head time, a whole request within the request time, idle connections closed, and a cap on open connections.
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TlsMaterial } from './devCertificate.js';
import { type FastRouter, serveFast } from './fastHttp/connection.js';
import { checkIntervalMs, type ListenerLimits, listenerLimits } from './listenerLimits.js';

const TLS_HANDSHAKE = 0x16;

export interface DualListener {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

export async function listenDual(options: {
  port: number;
  host: string;
  tls: TlsMaterial;
  request: RequestListener;
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** The keep-alive time, unless `limits` gives one. */
  keepAliveTimeout?: number;
  limits?: Partial<ListenerLimits>;
  /** Told about each connection closed because `limits.maxConnections` are open. */
  onConnectionRefused?: () => void;
  /** Plain connections whose requests these routes claim are served without node:http (decision 0006). */
  fast?: { router: FastRouter; onError?: (error: unknown) => void };
}): Promise<DualListener> {
  const { fast } = options;
  const limits = listenerLimits({ keepAliveTimeoutMs: options.keepAliveTimeout, ...options.limits });
  const http = {
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxHeaderSize: limits.maxHeaderBytes,
    connectionsCheckingInterval: checkIntervalMs(limits),
  };
  const plain: Server = createHttpServer(http, options.request);
  const secure: Server = createHttpsServer(
    { ...http, cert: options.tls.cert, key: options.tls.key, handshakeTimeout: limits.headersTimeoutMs },
    options.request,
  );
  // node:http enforces headersTimeout and requestTimeout only once its server has emitted 'listening' (that starts
  // its connection tracking); these two never listen themselves, as this listener hands them its sockets. Without
  // this a slow request head was never cut off on node:http or TLS.
  plain.emit('listening');
  secure.emit('listening');
  plain.on('upgrade', options.upgrade);
  secure.on('upgrade', options.upgrade);

  const sockets = new Set<Socket>();
  // noDelay as http.createServer sets it: this server accepts the sockets, so its options are the ones that apply, and
  // with Nagle's algorithm a response can wait for the client's delayed ACK.
  const net: NetServer = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Until its first byte the connection is no parser's: the head time starts at the connection, as on node:http.
    const silent = () => socket.destroy();
    socket.setTimeout(limits.headersTimeoutMs, silent);
    const handOver = (server: Server, unread: Buffer | undefined) => {
      socket.pause();
      if (unread) socket.unshift(unread);
      server.emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.off('timeout', silent);
      if (chunk[0] === TLS_HANDSHAKE) handOver(secure, chunk);
      else if (!fast) handOver(plain, chunk);
      else
        serveFast(socket, chunk, {
          router: fast.router,
          onError: fast.onError,
          keepAliveTimeoutMs: limits.keepAliveTimeoutMs,
          headersTimeoutMs: limits.headersTimeoutMs,
          requestTimeoutMs: limits.requestTimeoutMs,
          maxHeadBytes: limits.maxHeaderBytes,
          handOver: (_, unread) => handOver(plain, unread),
        });
    });
    // A peer that connects and vanishes before sending a byte must not leak an error.
    socket.on('error', () => socket.destroy());
  });
  // Past the cap, node closes each new connection as it is accepted, before any byte is read ('drop').
  net.maxConnections = limits.maxConnections;
  net.on('drop', () => options.onConnectionRefused?.());

  await new Promise<void>((ok, fail) => {
    net.once('error', fail);
    net.listen(options.port, options.host, () => {
      net.off('error', fail);
      ok();
    });
  });

  return {
    address: net.address() as AddressInfo,
    async close() {
      const closed = new Promise<void>((ok) => net.close(() => ok()));
      // Stops node:http's tracking timers; they never listened, so there is nothing else to close.
      plain.close(() => {});
      secure.close(() => {});
      plain.closeAllConnections();
      secure.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
