import { defineApp } from 'syncline';

// A shared to-do list: add, complete and delete items; every open client sees the changes live.
export default defineApp({
  name: 'todo',
  tables: {
    Todos: { partitionKey: 'id' },
  },
  graphql: {
    schema: 'schema.graphql',
    authentication: { type: 'API_KEY' },
    apiKeys: [{ name: 'default' }],
    dataSources: { todos: { type: 'AMAZON_DYNAMODB', config: { tableName: 'Todos' } } },
    resolvers: {
      'Query.todos': { dataSource: 'todos', code: 'resolvers/todos.js' },
      'Mutation.addTodo': { dataSource: 'todos', code: 'resolvers/addTodo.js' },
      'Mutation.setDone': { dataSource: 'todos', code: 'resolvers/setDone.js' },
      'Mutation.deleteTodo': { dataSource: 'todos', code: 'resolvers/deleteTodo.js' },
    },
  },
});
