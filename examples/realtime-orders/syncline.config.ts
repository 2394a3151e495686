import { defineApp } from 'syncline';

// The reference app, as far as Syncline runs it today: GraphQL with a DynamoDB-backed table and live
// subscriptions. The HTTP route, the stream-triggered function and the browser board arrive with the functions,
// streams and reference-app capabilities.
export default defineApp({
  name: 'realtime-orders',
  tables: {
    Orders: {
      partitionKey: 'id',
      globalIndexes: { byStatus: { partitionKey: 'status', sortKey: 'createdAt', projection: 'ALL' } },
    },
  },
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
