import { defineApp } from 'syncline';

// The reference app, as far as Syncline runs it today: GraphQL with a DynamoDB-backed table and live
// subscriptions, and the browser board. The HTTP route and the stream-triggered function arrive with the
// functions and streams capabilities.
export default defineApp({
  name: 'realtime-orders',
  tables: {
    Orders: {
      partitionKey: 'id',
      globalIndexes: { byStatus: { partitionKey: 'status', sortKey: 'createdAt', projection: 'ALL' } },
    },
  },
  // The browser board: `syncline` runs the build, then serves web/dist at `/`.
  web: { dir: 'web/dist', build: 'node web/build.mjs' },
  graphql: {
    schema: 'schema.graphql',
    authentication: { type: 'API_KEY' },
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
    },
  },
});
