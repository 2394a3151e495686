// One GraphQL server under test, in its own process, driven by bench/run.js over IPC. Every kind serves the same
// schema with the same resolver work: `{ hello }` returns a constant greeting over HTTP, and `createOrder`
// returns its arguments and publishes them to every `onCreateOrder` subscriber over WebSocket.
// Usage (forked): node bench/peers/server.js raw | syncline | mercurius | apollo | yoga | appsync-simulator
// Lives in bench/peers/ so that the peers resolve from bench/peers/node_modules (graphql 16 for Apollo and
// Yoga, graphql 15.11.0 nested under the AppSync simulator) and never from the engine's graphql.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const kind = process.argv[2];
const gc = globalThis.gc ?? (() => {});

export const SCHEMA = /* GraphQL */ `
  type Query {
    hello(name: String): String
  }
  type Mutation {
    createOrder(id: ID!, item: String!, quantity: Int, sentAt: String!): Order
  }
  type Subscription {
    onCreateOrder: Order
  }
  type Order {
    id: ID!
    item: String!
    quantity: Int
    sentAt: String!
  }
`;
const hello = (name) => `Hello, ${name ?? 'world'}!`;
const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const closeHttp = (server) =>
  new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

/** Raw baseline: node:http answering the same bytes, and `ws` sending one prebuilt frame to every socket. */
async function raw() {
  const { WebSocketServer } = await import('ws');
  const helloBody = JSON.stringify({ data: { hello: hello() } });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString());
      let body = helloBody;
      if (query.startsWith('mutation')) {
        const order = { id: variables.id, item: 'tea', quantity: 1, sentAt: variables.s };
        body = JSON.stringify({ data: { createOrder: order } });
        const frame = Buffer.from(
          `{"type":"data","id":"1","payload":{"data":{"onCreateOrder":${JSON.stringify(order)}}}}`,
        );
        for (const ws of wss.clients) ws.send(frame, { binary: false });
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  // The same handshake as AppSync's (ack the init, ack the start), so the subscriber code is shared.
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'connection_init') ws.send('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
      else if (msg.type === 'start') ws.send(JSON.stringify({ type: 'start_ack', id: msg.id }));
    });
  });
  const port = await listen(server);
  return {
    graphql: `http://127.0.0.1:${port}/graphql`,
    realtime: `ws://127.0.0.1:${port}/graphql/realtime`,
    protocol: 'appsync',
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await closeHttp(server);
    },
  };
}

async function syncline() {
  const { createServer } = await import('../../packages/syncline/dist/index.js');
  const app = fileURLToPath(new URL('../report/app', import.meta.url));
  const server = await createServer({ dir: app, port: 0, host: '127.0.0.1', data: ':memory:', log: 'silent' });
  return {
    graphql: server.endpoints.graphql,
    realtime: server.endpoints.realtime,
    apiKey: server.apiKey,
    protocol: 'appsync',
    close: () => server.close(),
  };
}

/** Mercurius with graphql-jit, subscriptions on its own graphql-transport-ws server. */
async function mercurius() {
  const { default: Fastify } = await import('fastify');
  const { default: plugin } = await import('mercurius');
  const app = Fastify();
  app.register(plugin, {
    schema: SCHEMA,
    jit: 1,
    subscription: true,
    resolvers: {
      Query: { hello: (_, { name }) => hello(name) },
      Mutation: {
        createOrder: async (_, args, { pubsub }) => {
          await pubsub.publish({ topic: 'ORDER', payload: { onCreateOrder: args } });
          return args;
        },
      },
      Subscription: { onCreateOrder: { subscribe: (_, __, { pubsub }) => pubsub.subscribe('ORDER') } },
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = app.server.address().port;
  return {
    graphql: `http://127.0.0.1:${port}/graphql`,
    realtime: `ws://127.0.0.1:${port}/graphql`,
    protocol: 'graphql-transport-ws',
    close: () => app.close(),
  };
}

/** The schema and an in-memory PubSub for the servers that take an executable schema (Apollo, Yoga via graphql-ws). */
async function executableSchema() {
  const { makeExecutableSchema } = await import('@graphql-tools/schema');
  const { PubSub } = await import('graphql-subscriptions');
  const pubsub = new PubSub();
  const schema = makeExecutableSchema({
    typeDefs: SCHEMA,
    resolvers: {
      Query: { hello: (_, { name }) => hello(name) },
      Mutation: {
        createOrder: async (_, args) => {
          await pubsub.publish('ORDER', { onCreateOrder: args });
          return args;
        },
      },
      Subscription: { onCreateOrder: { subscribe: () => pubsub.asyncIterableIterator('ORDER') } },
    },
  });
  return schema;
}

/** Apollo Server 5 over HTTP (its standalone server) and graphql-ws for subscriptions, as Apollo documents. */
async function apollo() {
  const { ApolloServer } = await import('@apollo/server');
  const { startStandaloneServer } = await import('@apollo/server/standalone');
  const { WebSocketServer } = await import('ws');
  const { useServer } = await import('graphql-ws/use/ws');
  const schema = await executableSchema();
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/graphql', perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const cleanup = useServer({ schema }, wss);
  return {
    graphql: new URL('/graphql', url).href,
    realtime: `ws://127.0.0.1:${wss.address().port}/graphql`,
    protocol: 'graphql-transport-ws',
    close: async () => {
      await cleanup.dispose();
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
      await server.stop();
    },
  };
}

/** GraphQL Yoga on node:http, subscriptions over graphql-ws through Yoga's envelop (its documented recipe). */
async function yoga() {
  const { createYoga, createSchema, createPubSub } = await import('graphql-yoga');
  const { WebSocketServer } = await import('ws');
  const { useServer } = await import('graphql-ws/use/ws');
  const pubsub = createPubSub();
  const app = createYoga({
    logging: false,
    graphiql: false,
    schema: createSchema({
      typeDefs: SCHEMA,
      resolvers: {
        Query: { hello: (_, { name }) => hello(name) },
        Mutation: {
          createOrder: (_, args) => {
            pubsub.publish('ORDER', { onCreateOrder: args });
            return args;
          },
        },
        Subscription: { onCreateOrder: { subscribe: () => pubsub.subscribe('ORDER') } },
      },
    }),
  });
  const server = http.createServer(app);
  const wss = new WebSocketServer({ server, path: app.graphqlEndpoint, perMessageDeflate: false });
  const cleanup = useServer(
    {
      execute: (args) => args.rootValue.execute(args),
      subscribe: (args) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = app.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );
  const port = await listen(server);
  return {
    graphql: `http://127.0.0.1:${port}/graphql`,
    realtime: `ws://127.0.0.1:${port}/graphql`,
    protocol: 'graphql-transport-ws',
    close: async () => {
      await cleanup.dispose();
      for (const ws of wss.clients) ws.terminate();
      await closeHttp(server);
    },
  };
}

/** The Amplify AppSync simulator, standalone: VTL on a NONE data source; realtime auth only in `?header=`. */
async function appsyncSimulator() {
  const { AmplifyAppSyncSimulator } = await import('@aws-amplify/amplify-appsync-simulator');
  const port = await freePort();
  const simulator = new AmplifyAppSyncSimulator({ port, wsPort: await freePort() });
  const apiKey = 'da2-benchmarkkey0000000000';
  const response = '$util.toJson($ctx.result)';
  simulator.init({
    appSync: {
      name: 'bench',
      defaultAuthenticationType: { authenticationType: 'API_KEY' },
      apiKey,
      additionalAuthenticationProviders: [],
    },
    schema: {
      content: SCHEMA.replace(
        'onCreateOrder: Order',
        'onCreateOrder: Order @aws_subscribe(mutations: ["createOrder"])',
      ),
    },
    dataSources: [{ type: 'NONE', name: 'none' }],
    resolvers: [
      {
        kind: 'UNIT',
        typeName: 'Query',
        fieldName: 'hello',
        dataSourceName: 'none',
        requestMappingTemplate:
          '{"version":"2018-05-29","payload":"Hello, $util.defaultIfNull($ctx.args.name, "world")!"}',
        responseMappingTemplate: response,
      },
      {
        kind: 'UNIT',
        typeName: 'Mutation',
        fieldName: 'createOrder',
        dataSourceName: 'none',
        requestMappingTemplate: '{"version":"2018-05-29","payload":$util.toJson($ctx.args)}',
        responseMappingTemplate: response,
      },
    ],
  });
  await simulator.start();
  return {
    graphql: `http://127.0.0.1:${port}/graphql`,
    realtime: `ws://127.0.0.1:${port}/graphql/realtime`,
    apiKey,
    protocol: 'appsync-query-auth',
    close: () => simulator.stop(),
  };
}

async function freePort() {
  const server = http.createServer();
  const port = await listen(server);
  await closeHttp(server);
  return port;
}

async function settledRss() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
}

const kinds = { raw, syncline, mercurius, apollo, yoga, 'appsync-simulator': appsyncSimulator };
let current;

// The parent owns this process: when it goes away, so do we.
process.on('disconnect', () => process.exit(0));
process.on('message', async (m) => {
  try {
    if (m.type === 'start') {
      if (!kinds[kind]) throw new Error(`unknown server kind ${kind}`);
      const before = await settledRss();
      current = await kinds[kind]();
      const { close: _, ...endpoints } = current;
      process.send({ id: m.id, ...endpoints, before, rss: await settledRss() });
    } else if (m.type === 'rss') {
      process.send({ id: m.id, rss: await settledRss() });
    } else if (m.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ id: m.id, cpu: user + system });
    } else if (m.type === 'close') {
      await current?.close();
      process.send({ id: m.id }, () => process.exit(0));
    }
  } catch (error) {
    process.send({ id: m.id, error: String(error?.stack ?? error) });
  }
});
