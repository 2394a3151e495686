import { WebSocket } from 'ws';
import { createServer, type SynclineServer } from '../../src/index.js';
import type { RealtimeSettings } from '../../src/realtime/index.js';
import { fixtureApp, gql } from '../helpers/server.js';

export const API_KEY = 'da2-realtimefixturekey000000';

export function startRealtime(settings?: Partial<RealtimeSettings>): Promise<SynclineServer> {
  return createServer({ dir: fixtureApp('realtime'), port: 0, data: ':memory:', log: 'silent', realtime: settings });
}

export const authHeader = (server: SynclineServer, key = API_KEY) => ({
  host: new URL(server.endpoints.graphql).host,
  'x-api-key': key,
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A raw WebSocket with a queue of parsed frames, for frame-level protocol tests. */
export class RawSocket {
  readonly frames: any[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      let frame: any;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = { raw: text };
      }
      this.frames.push(frame);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((ok) =>
      ws.on('close', (code, reason) => {
        ok({ code, reason: reason.toString() });
        for (const w of this.waiters.splice(0)) w();
      }),
    );
  }

  static async open(url: string, protocols: string[] = [], options: { headers?: Record<string, string> } = {}) {
    const ws = new WebSocket(url, protocols, { headers: options.headers });
    const socket = new RawSocket(ws);
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
      ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return socket;
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for (and removes) the first frame matching `match`, skipping keep-alives unless asked for. */
  async next(match: (frame: any) => boolean = (f) => f.type !== 'ka', timeoutMs = 5_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(match);
      if (i !== -1) return this.frames.splice(i, 1)[0];
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`socket closed; frames: ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching frame within ${timeoutMs} ms; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, left);
        this.waiters.push(() => {
          clearTimeout(t);
          ok();
        });
      });
    }
  }

  /** Resolves true if no frame matching `match` arrives within `ms`. */
  async quiet(match: (frame: any) => boolean = (f) => f.type !== 'ka', ms = 150): Promise<boolean> {
    try {
      await this.next(match, ms);
      return false;
    } catch {
      return true;
    }
  }

  close() {
    this.ws.close();
  }
}

/** An AppSync-protocol connection, acknowledged, authenticated with the `header-` subprotocol as Amplify ≥ 6.6 does. */
export async function appsyncConnection(server: SynclineServer, key = API_KEY): Promise<RawSocket> {
  const socket = await RawSocket.open(server.endpoints.realtime!, [
    'graphql-ws',
    `header-${b64url(authHeader(server, key))}`,
  ]);
  socket.send({ type: 'connection_init' });
  const ack = await socket.next();
  if (ack.type !== 'connection_ack') throw new Error(`expected connection_ack, got ${JSON.stringify(ack)}`);
  return socket;
}

export function startFrame(
  server: SynclineServer,
  id: string,
  query: string,
  variables: Record<string, unknown> = {},
  authorization: Record<string, string> = authHeader(server),
) {
  return { id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } } };
}

/** Starts a subscription and waits for its start_ack (or returns the error frame). */
export async function subscribe(
  socket: RawSocket,
  server: SynclineServer,
  id: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<any> {
  socket.send(startFrame(server, id, query, variables));
  return socket.next((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'));
}

export const mutate = (server: SynclineServer, query: string, variables?: Record<string, unknown>) =>
  gql(server, query, variables, { 'x-api-key': API_KEY });

export { b64url };
