// A table whose stream feeds one function. The function reports when it ran to the benchmark's collector,
// whose URL the benchmark sets in SINK_URL before the server loads this file.
export default {
  name: 'bench-report-streams',
  tables: {
    Writes: { partitionKey: 'id', stream: 'NEW_IMAGE' },
  },
  functions: {
    sink: {
      handler: 'handler.handler',
      environment: { SINK_URL: process.env.SINK_URL ?? 'http://127.0.0.1:9/' },
      events: [
        { stream: { table: 'Writes', batchSize: 100, maximumBatchingWindowInSeconds: 0, startingPosition: 'LATEST' } },
      ],
    },
  },
};
