// One port for TLS and plain connections. Amplify v6 turns the printed `http://…/graphql` endpoint into
// `wss://…/graphql/realtime` on the same port, while curl and graphql-ws use plain HTTP there; so the first byte
// of each connection decides: 0x16 opens a TLS handshake, anything else is plain HTTP.
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TlsMaterial } from './devCertificate.js';
import { type FastRouter, serveFast } from './fastHttp/connection.js';

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
  keepAliveTimeout?: number;
  /** Plain connections whose requests these routes claim are served without node:http (decision 0006). */
  fast?: { router: FastRouter; onError?: (error: unknown) => void };
}): Promise<DualListener> {
  const { fast } = options;
  // node:http's default, which the fast path keeps too.
  const keepAliveTimeout = options.keepAliveTimeout ?? 5000;
  const plain: Server = createHttpServer({ keepAliveTimeout: options.keepAliveTimeout }, options.request);
  const secure: Server = createHttpsServer(
    { cert: options.tls.cert, key: options.tls.key, keepAliveTimeout: options.keepAliveTimeout },
    options.request,
  );
  plain.on('upgrade', options.upgrade);
  secure.on('upgrade', options.upgrade);

  const sockets = new Set<Socket>();
  // noDelay as http.createServer sets it: this server accepts the sockets, so its options are the ones that apply, and
  // with Nagle's algorithm a response can wait for the client's delayed ACK.
  const net: NetServer = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const handOver = (server: Server, unread: Buffer | undefined) => {
      socket.pause();
      if (unread) socket.unshift(unread);
      server.emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.once('data', (chunk: Buffer) => {
      if (chunk[0] === TLS_HANDSHAKE) handOver(secure, chunk);
      else if (!fast) handOver(plain, chunk);
      else
        serveFast(socket, chunk, {
          router: fast.router,
          onError: fast.onError,
          keepAliveTimeoutMs: keepAliveTimeout,
          handOver: (_, unread) => handOver(plain, unread),
        });
    });
    // A peer that connects and vanishes before sending a byte must not leak an error.
    socket.on('error', () => socket.destroy());
  });

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
      plain.closeAllConnections();
      secure.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
