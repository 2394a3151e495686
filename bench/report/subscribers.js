// A load generator holding many subscriber sockets, in its own process. Speaks the three dialects measured:
// AppSync (`graphql-ws` with the `header-` subprotocol), the AppSync simulator's (auth only in `?header=`), and
// graphql-ws's `graphql-transport-ws`. Sockets leave from the source address it is given (127.0.0.x), so that
// several generators together can hold more sockets than one process's open-file limit. For every delivery it
// records the time since the mutation was sent (the payload's `sentAt`, wall clock) and which socket got it.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

const now = () => performance.timeOrigin + performance.now();
const MAX_SAMPLES = 200_000;
let sockets = [];
let latencies = [];
let received = 0;
let lastAt = 0;
let reached; // per socket: has it received anything since the last 'reset-reach'

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

function delivered(index, text) {
  const at = text.indexOf('"sentAt":"');
  if (at === -1) return false;
  // Cheaper than JSON.parse for thousands of frames: the load generator must not be the bottleneck.
  const sentAt = Number(text.slice(at + 10, text.indexOf('"', at + 10)));
  const t = now();
  if (latencies.length < MAX_SAMPLES) latencies.push(t - sentAt);
  received++;
  lastAt = t;
  reached[index] = 1;
  return true;
}

function open(index, { url, protocol, apiKey, query, localAddress }) {
  const host = new URL(url.replace(/^ws/, 'http')).host;
  const auth = { host, 'x-api-key': apiKey };
  const start = JSON.stringify({
    id: '1',
    type: 'start',
    payload: { data: JSON.stringify({ query, variables: {} }), extensions: { authorization: auth } },
  });
  let target = url;
  let protocols = ['graphql-ws', `header-${b64(auth)}`];
  if (protocol === 'appsync-query-auth') {
    target = `${url}?header=${Buffer.from(JSON.stringify(auth)).toString('base64')}&payload=e30=`;
    protocols = ['graphql-ws'];
  } else if (protocol === 'graphql-transport-ws') {
    protocols = ['graphql-transport-ws'];
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target, protocols, { perMessageDeflate: false, localAddress });
    const timer = setTimeout(() => reject(new Error('no subscription acknowledgement within 30 s')), 30_000);
    const ready = () => {
      clearTimeout(timer);
      resolve(ws);
    };
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)));
    ws.on('open', () => ws.send('{"type":"connection_init","payload":{}}'));
    ws.on('message', (data) => {
      const text = data.toString();
      if (delivered(index, text)) return;
      if (text.includes('"connection_ack"')) {
        if (protocol === 'graphql-transport-ws') {
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
          // graphql-transport-ws has no acknowledgement of a subscription: readiness is probed by the parent.
          ready();
        } else {
          ws.send(start);
        }
      } else if (text.includes('"start_ack"')) {
        ready();
      } else if (text.includes('"ping"')) {
        ws.send('{"type":"pong"}');
      } else if (text.includes('"error"') || text.includes('"connection_error"')) {
        reject(new Error(text.slice(0, 300)));
      }
    });
  });
}

process.on('disconnect', () => process.exit(0));
process.on('message', async (m) => {
  try {
    if (m.type === 'connect') {
      reached = new Uint8Array(m.count);
      const batch = 250;
      for (let i = 0; i < m.count; i += batch) {
        const n = Math.min(batch, m.count - i);
        sockets.push(...(await Promise.all(Array.from({ length: n }, (_, j) => open(i + j, m)))));
      }
      process.send({ id: m.id, count: sockets.length });
    } else if (m.type === 'reset') {
      latencies = [];
      received = 0;
      lastAt = 0;
      reached.fill(0);
      process.send({ id: m.id });
    } else if (m.type === 'wait') {
      // Until `expected` deliveries arrived, or the deadline.
      const deadline = Date.now() + m.timeoutMs;
      while (received < m.expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      let sockets = 0;
      for (const r of reached) sockets += r;
      process.send({ id: m.id, received, sockets, lastAt, latencies });
    } else if (m.type === 'close') {
      for (const ws of sockets) {
        ws.removeAllListeners('close');
        ws.terminate();
      }
      sockets = [];
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.message ?? error) });
  }
});
