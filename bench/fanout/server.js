// The server side of the fan-out benchmark, in its own process: either Syncline (subscriptions through the hub,
// published by a real HTTP mutation) or a raw `ws` server broadcasting one prebuilt frame. Driven over IPC.
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

const gc = globalThis.gc ?? (() => {});
let current;
let sendLoops = [];

async function settledRss() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
}

async function startSyncline(app) {
  const { createServer } = await import('../../packages/syncline/dist/index.js');
  const server = await createServer({ dir: app, port: 0, data: ':memory:', log: 'silent' });
  // Times the synchronous fan-out (filter, render once, frame and write every socket) inside the mutation.
  const hub = server.realtime.hub;
  const publish = hub.publish.bind(hub);
  hub.publish = (fields, value) => {
    const t = performance.now();
    const n = publish(fields, value);
    sendLoops.push({ ms: performance.now() - t, n });
    return n;
  };
  return {
    url: server.endpoints.realtime,
    graphql: server.endpoints.graphql,
    apiKey: server.apiKey,
    close: () => server.close(),
  };
}

async function startRaw() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, clientTracking: true });
  await new Promise((r) => wss.once('listening', r));
  // The same handshake shape as AppSync's, so the subscriber code is identical: ack the init, ack the start.
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'connection_init') ws.send('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
      else if (msg.type === 'start') ws.send(JSON.stringify({ type: 'start_ack', id: msg.id }));
    });
  });
  return {
    url: `ws://127.0.0.1:${wss.address().port}/graphql/realtime`,
    broadcast(frame) {
      const t = performance.now();
      const bytes = Buffer.from(frame);
      for (const ws of wss.clients) ws.send(bytes, { binary: false });
      sendLoops.push({ ms: performance.now() - t, n: wss.clients.size });
    },
    close: () =>
      new Promise((r) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => r());
      }),
  };
}

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'start') {
      const before = await settledRss();
      current = msg.kind === 'raw' ? await startRaw() : await startSyncline(msg.app);
      // The baseline is the started server with no connection, so the per-connection figure holds only sockets.
      const idle = await settledRss();
      process.send({ ok: true, url: current.url, graphql: current.graphql, apiKey: current.apiKey, rss: idle, before });
    } else if (msg.cmd === 'rss') {
      process.send({ ok: true, rss: await settledRss() });
    } else if (msg.cmd === 'broadcast') {
      current.broadcast(msg.frame);
      process.send({ ok: true });
    } else if (msg.cmd === 'sendLoops') {
      process.send({ ok: true, sendLoops });
      sendLoops = [];
    } else if (msg.cmd === 'stop') {
      await current.close();
      current = undefined;
      process.send({ ok: true });
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
