// The server under test in its own process (the app folder in argv[3], else ./app): reports its URL, then its CPU
// time or its Lambda invocations on request.
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? fileURLToPath(new URL('../../packages/syncline/dist/index.js', import.meta.url));
const { createServer } = await import(dist);
const server = await createServer({
  dir: process.argv[3] ?? fileURLToPath(new URL('./app', import.meta.url)),
  port: 0,
  data: ':memory:',
  log: 'silent',
});
process.send({ url: server.endpoints.graphql, apiKey: server.apiKey });
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  } else if (m === 'invocations') {
    // Lambda invocations of the batch bench's functions (batch.js); 0 for an app without them.
    const count = (name) => (server.app.functions?.[name] ? server.functions.stats(name).invocations : 0);
    process.send({ invocations: count('writer') + count('writers') });
  }
});
