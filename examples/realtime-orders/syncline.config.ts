import { defineApp } from 'syncline';

// The seed architecture end to end: POST /orders → createOrder function → Orders table (TTL) → stream →
// publishOrder function → SigV4-signed publish mutation on a NONE data source → every subscribed browser.
export default defineApp({
  name: 'realtime-orders',
  tables: {
    Orders: {
      partitionKey: 'id',
      ttl: 'expiresAt',
      stream: 'NEW_AND_OLD_IMAGES',
      globalIndexes: { byStatus: { partitionKey: 'status', sortKey: 'createdAt', projection: 'ALL' } },
    },
  },
  functions: {
    createOrder: {
      handler: 'functions/createOrder.handler',
      timeout: 6,
      environment: { TABLE: '${tables.Orders.name}' },
      events: [{ http: 'POST /orders' }],
    },
    publishOrder: {
      handler: 'functions/publishOrder.handler',
      timeout: 10,
      environment: { GRAPHQL_URL: '${graphql.url}' },
      events: [
        {
          stream: {
            table: 'Orders',
            batchSize: 10,
            bisectBatchOnFunctionError: true,
            functionResponseTypes: ['ReportBatchItemFailures'],
          },
        },
      ],
    },
    markStale: {
      handler: 'functions/markStale.handler',
      environment: { TABLE: '${tables.Orders.name}', STALE_AFTER_SECONDS: '900' },
      events: [{ schedule: 'rate(1 minute)' }],
    },
  },
  // The browser board: `syncline` runs the build, then serves web/dist at `/`.
  web: { dir: 'web/dist', build: 'node web/build.mjs' },
  graphql: {
    schema: 'schema.graphql',
    authentication: { type: 'API_KEY' },
    // The stream function signs its publish calls with its own credentials, as on AWS.
    additionalAuthentications: [{ type: 'AWS_IAM' }],
    apiKeys: [{ name: 'default' }],
    dataSources: {
      orders: { type: 'AMAZON_DYNAMODB', config: { tableName: 'Orders' } },
      none: { type: 'NONE' },
    },
    resolvers: {
      'Query.getOrder': { dataSource: 'orders', code: 'resolvers/getOrder.js' },
      'Query.ordersByStatus': { dataSource: 'orders', code: 'resolvers/ordersByStatus.js' },
      'Mutation.createOrder': { dataSource: 'orders', code: 'resolvers/createOrder.js' },
      'Mutation.setOrderStatus': { dataSource: 'orders', code: 'resolvers/setOrderStatus.js' },
      'Mutation.publishOrder': { dataSource: 'none', code: 'resolvers/publishOrder.js' },
      'Mutation.publishOrderRemoved': { dataSource: 'none', code: 'resolvers/publishOrderRemoved.js' },
    },
  },
});
