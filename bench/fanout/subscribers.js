// A load generator holding many subscriber sockets (AppSync protocol). It records, for every data frame, the
// time from the mutation being sent (the `sentAt` field of the payload) to the frame being read here.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

const now = () => performance.timeOrigin + performance.now();
let sockets = [];
let latencies = [];
let received = 0;
let lastAt = 0;

function headerProtocol(apiKey, url) {
  const header = { host: new URL(url).host, 'x-api-key': apiKey };
  return `header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`;
}

function open(url, apiKey, query) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['graphql-ws', headerProtocol(apiKey, url)], { perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('open', () => ws.send('{"type":"connection_init"}'));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"data"')) {
        // Cheaper than JSON.parse for thousands of frames: the load generator must not be the bottleneck.
        const at = text.indexOf('"sentAt":"');
        const sentAt = Number(text.slice(at + 10, text.indexOf('"', at + 10)));
        const t = now();
        latencies.push(t - sentAt);
        received++;
        lastAt = t;
      } else if (text.startsWith('{"type":"connection_ack"')) {
        ws.send(
          JSON.stringify({
            id: '1',
            type: 'start',
            payload: {
              data: JSON.stringify({ query, variables: {} }),
              extensions: { authorization: { 'x-api-key': apiKey, host: new URL(url).host } },
            },
          }),
        );
      } else if (text.startsWith('{"type":"start_ack"')) {
        resolve(ws);
      } else if (text.startsWith('{"type":"error"') || text.startsWith('{"type":"connection_error"')) {
        reject(new Error(text));
      }
    });
  });
}

process.on('message', async (msg) => {
  if (msg.cmd === 'connect') {
    const batch = 200;
    for (let i = 0; i < msg.count; i += batch) {
      const n = Math.min(batch, msg.count - i);
      sockets.push(...(await Promise.all(Array.from({ length: n }, () => open(msg.url, msg.apiKey, msg.query)))));
    }
    process.send({ ok: true, count: sockets.length });
  } else if (msg.cmd === 'reset') {
    latencies = [];
    received = 0;
    lastAt = 0;
    process.send({ ok: true });
  } else if (msg.cmd === 'wait') {
    const deadline = Date.now() + msg.timeoutMs;
    while (received < msg.expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    process.send({ ok: true, received, lastAt, latencies });
  } else if (msg.cmd === 'close') {
    for (const ws of sockets) ws.terminate();
    sockets = [];
    process.send({ ok: true });
  }
});
