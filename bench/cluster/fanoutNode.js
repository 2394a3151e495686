// One Syncline node of the cluster fan-out benchmark, in its own process: the fan-out bench app with the given
// pub/sub URL. Reports its endpoints over IPC, and its cluster counters when asked.
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('../fanout/app', import.meta.url));
let server;

process.on('message', async (msg) => {
  try {
    if (msg.cmd === 'start') {
      const { createServer } = await import('../../packages/syncline/dist/index.js');
      server = await createServer({ dir: app, port: 0, data: ':memory:', log: 'silent', pubsub: msg.pubsub });
      process.send({
        ok: true,
        graphql: server.endpoints.graphql,
        realtime: server.endpoints.realtime,
        apiKey: server.apiKey,
      });
    } else if (msg.cmd === 'state') {
      process.send({ ok: true, state: server.cluster.state(), hub: server.realtime.hub.stats });
    } else if (msg.cmd === 'stop') {
      await server.close();
      process.send({ ok: true });
    }
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
});
