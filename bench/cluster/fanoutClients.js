// A load-generator process of the cluster fan-out benchmark. As `subscribers` it holds AppSync-protocol sockets
// to its nodes and counts data frames (sampling mutation-to-delivery latency from the payload's `sentAt`); as
// `mutator` it keeps a fixed number of createOrder mutations in flight, round-robin over the nodes' HTTP APIs.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';

const now = () => performance.timeOrigin + performance.now();
let sockets = [];
let received = 0;
let latencies = [];
let mutating = false;
let mutations = 0;

function open(url, apiKey) {
  const host = new URL(url).host;
  const header = Buffer.from(JSON.stringify({ host, 'x-api-key': apiKey })).toString('base64url');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['graphql-ws', `header-${header}`], { perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('open', () => ws.send('{"type":"connection_init"}'));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"data"')) {
        received++;
        // One sample in 16 keeps the generator cheap; string search instead of JSON.parse for the same reason.
        if ((received & 15) === 0) {
          const at = text.indexOf('"sentAt":"');
          latencies.push(now() - Number(text.slice(at + 10, text.indexOf('"', at + 10))));
        }
      } else if (text.startsWith('{"type":"connection_ack"')) {
        const data = JSON.stringify({
          query: 'subscription { onCreateOrder { id item quantity sentAt } }',
          variables: {},
        });
        ws.send(
          JSON.stringify({
            id: '1',
            type: 'start',
            payload: { data, extensions: { authorization: { host, 'x-api-key': apiKey } } },
          }),
        );
      } else if (text.startsWith('{"type":"start_ack"')) resolve(ws);
      else if (text.includes('error')) reject(new Error(text));
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function mutate(endpoint, apiKey, i) {
  const body = JSON.stringify({
    query:
      'mutation ($id: ID!, $s: String!) { createOrder(id: $id, item: "tea", quantity: 1, sentAt: $s) { id item quantity sentAt } }',
    variables: { id: String(i), s: String(now()) },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      endpoint,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function mutateLoop(endpoints, apiKey, inFlight) {
  mutating = true;
  let next = 0;
  const worker = async () => {
    while (mutating) {
      const i = next++;
      await mutate(endpoints[i % endpoints.length], apiKey, i);
      mutations++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

let loop;
process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'subscribe') {
      for (const { url, count } of msg.targets) {
        for (let i = 0; i < count; i += 100) {
          const n = Math.min(100, count - i);
          sockets.push(...(await Promise.all(Array.from({ length: n }, () => open(url, msg.apiKey)))));
        }
      }
      process.send({ ok: true, count: sockets.length });
    } else if (msg.cmd === 'mutate') {
      loop = mutateLoop(msg.endpoints, msg.apiKey, msg.inFlight);
      process.send({ ok: true });
    } else if (msg.cmd === 'stopMutating') {
      mutating = false;
      await loop;
      process.send({ ok: true, mutations });
    } else if (msg.cmd === 'count') {
      process.send({ ok: true, received, latencies: msg.reset ? latencies.splice(0) : [] });
      if (msg.reset) latencies = [];
    } else if (msg.cmd === 'close') {
      for (const ws of sockets) ws.terminate();
      sockets = [];
      process.send({ ok: true });
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
