// A subscription over AppSync's realtime protocol (subprotocol `graphql-ws`; docs/realtime.md), one socket per
// subscription so that stopping it in GraphiQL closes exactly what it opened:
//   open  ws(s)://<host>/graphql/realtime?header=<base64 JSON auth headers incl. host>&payload=e30=
//   C→S connection_init · S→C connection_ack · C→S start{id, payload{data, extensions{authorization}}}
//   S→C start_ack · data · ka · error · complete · connection_error;  C→S stop on unsubscribe.
// The handshake is authorized as `POST /graphql/connect` with body `{}`, each start as `POST /graphql` whose
// body is `payload.data` — what an IAM signature must cover.
import { type AuthChoice, authHeaders } from './auth.js';

export interface OperationParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** One frame as the result pane shows it. */
export interface ReceivedMessage {
  receivedAt: string;
  type: string;
  payload?: unknown;
}

export interface SubscriptionSink {
  message(message: ReceivedMessage): void;
  error(error: unknown): void;
  complete(): void;
}

const utf8Base64 = (text: string): string => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};

const SUBSCRIPTION_ID = 'console-1';

export function subscribeAppSync(
  params: OperationParams,
  auth: AuthChoice,
  extraHeaders: Record<string, string>,
  sink: SubscriptionSink,
): () => void {
  const host = location.host;
  const httpBase = `${location.protocol}//${host}`;
  let socket: WebSocket | undefined;
  let stopped = false;
  let started = false;

  const headersFor = async (path: string, body: string) => {
    const base = { host, 'content-type': 'application/json; charset=UTF-8', ...extraHeaders };
    const added = await authHeaders(auth, { url: `${httpBase}${path}`, method: 'POST', headers: base, body });
    return { ...base, ...added };
  };

  const received = (type: string, payload?: unknown) =>
    sink.message({ receivedAt: new Date().toISOString(), type, ...(payload === undefined ? {} : { payload }) });

  const run = async () => {
    const handshake = await headersFor('/graphql/connect', '{}');
    if (stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${host}/graphql/realtime?header=${encodeURIComponent(utf8Base64(JSON.stringify(handshake)))}&payload=e30=`;
    const ws = new WebSocket(url, 'graphql-ws');
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init' }));
    ws.onerror = () => {
      if (!stopped) sink.error(new Error(`The realtime socket ${url.split('?')[0]} failed.`));
    };
    ws.onclose = (event) => {
      if (!stopped) {
        received('close', { code: event.code, reason: event.reason });
        sink.complete();
      }
    };
    ws.onmessage = async (event) => {
      let frame: { type?: string; id?: string; payload?: unknown };
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      switch (frame.type) {
        case 'ka':
          return;
        case 'connection_ack': {
          received('connection_ack', frame.payload);
          if (started) return;
          started = true;
          const data = JSON.stringify({
            query: params.query,
            variables: params.variables ?? {},
            ...(params.operationName ? { operationName: params.operationName } : {}),
          });
          try {
            const authorization = await headersFor('/graphql', data);
            if (stopped) return;
            ws.send(
              JSON.stringify({ id: SUBSCRIPTION_ID, type: 'start', payload: { data, extensions: { authorization } } }),
            );
          } catch (error) {
            sink.error(error);
          }
          return;
        }
        case 'complete':
          received('complete', frame.payload);
          stopped = true;
          ws.close(1000);
          sink.complete();
          return;
        case 'connection_error':
          received('connection_error', frame.payload);
          stopped = true;
          ws.close(1000);
          sink.complete();
          return;
        default:
          received(frame.type ?? 'unknown', frame.payload);
      }
    };
  };

  run().catch((error: unknown) => {
    if (!stopped) sink.error(error);
  });

  return () => {
    if (stopped) return;
    stopped = true;
    if (socket?.readyState === WebSocket.OPEN) {
      if (started) socket.send(JSON.stringify({ type: 'stop', id: SUBSCRIPTION_ID }));
      socket.close(1000);
    } else socket?.close();
  };
}
