// The three servers compared by bench/graphql: raw node:http, Syncline, and Mercurius with graphql-jit,
// each answering `{ hello }` with the same resolver work (return a constant string).
import http from 'node:http';

export async function rawHttp() {
  const body = JSON.stringify({ data: { hello: 'Hello, world!' } });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/graphql`, close: () => server.close() };
}

export async function mercurius() {
  const { default: Fastify } = await import('fastify');
  const { default: mercuriusPlugin } = await import('mercurius');
  const app = Fastify();
  app.register(mercuriusPlugin, {
    schema: 'type Query { hello(name: String): String }',
    resolvers: { Query: { hello: (_, { name }) => `Hello, ${name ?? 'world'}!` } },
    jit: 1,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}/graphql`, close: () => app.close() };
}

export async function syncline(dir, dist = '../../packages/syncline/dist/index.js') {
  const { createServer } = await import(dist);
  const server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
  return { url: server.endpoints.graphql, apiKey: server.apiKey, close: () => server.close() };
}
