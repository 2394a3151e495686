// One contender of bench/graphql in its own process, for cpu.js: reports its URL, then its CPU time on request.
// Usage (forked): serve.js <raw|mercurius|syncline> [app dir] [dist/index.js]
import { fileURLToPath } from 'node:url';
import { mercurius, rawHttp, syncline } from './servers.js';

const [which, dir, dist] = process.argv.slice(2);
const app = dir ?? fileURLToPath(new URL('./app', import.meta.url));
const start = { raw: rawHttp, mercurius, syncline: () => syncline(app, dist) }[which];
const server = await start();
process.send({ url: server.url, apiKey: server.apiKey });
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system, user, system });
  }
});
