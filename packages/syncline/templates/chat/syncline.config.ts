import { defineApp } from 'syncline';

// A chat room: messages kept per room in order, and every member of the room sees new ones live.
export default defineApp({
  name: 'chat',
  tables: {
    Messages: { partitionKey: 'room', sortKey: 'sentAt' },
  },
  graphql: {
    schema: 'schema.graphql',
    authentication: { type: 'API_KEY' },
    apiKeys: [{ name: 'default' }],
    dataSources: { messages: { type: 'AMAZON_DYNAMODB', config: { tableName: 'Messages' } } },
    resolvers: {
      'Query.messages': { dataSource: 'messages', code: 'resolvers/messages.js' },
      'Mutation.sendMessage': { dataSource: 'messages', code: 'resolvers/sendMessage.js' },
    },
  },
});
