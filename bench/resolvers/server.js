// The server under test in its own process: reports its URL, then its CPU time on request.
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? fileURLToPath(new URL('../../packages/syncline/dist/index.js', import.meta.url));
const { createServer } = await import(dist);
const server = await createServer({
  dir: fileURLToPath(new URL('./app', import.meta.url)),
  port: 0,
  data: ':memory:',
  log: 'silent',
});
process.send({ url: server.endpoints.graphql, apiKey: server.apiKey });
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  }
});
