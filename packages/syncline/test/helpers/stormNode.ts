// What the crash test's child server (streams/durableChild.ts) and the cluster test's nodes (cluster/postgresNode.ts)
// share: the `Storm` table with a stream, the mapping of that stream to a stand-in function that records each batch,
// and a loopback HTTP server that prints `READY <port>` for the parent process.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TableDefinition } from '../../src/tables/index.js';
import type { StreamMappingSpec, StreamMappingsOptions } from '../../src/triggers/streams/index.js';
import { streamEvent } from '../streams/mappingHarness.js';

/** A table keyed by `id`, with a NEW_AND_OLD_IMAGES stream when `stream`. */
export function idTable(name: string, stream: boolean): TableDefinition {
  return {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  } as TableDefinition;
}

/**
 * Storm's stream mapped to function `fn`: batches of 10 from the trim horizon, retried forever; `record` is what the
 * function does with a batch (log it), after which it takes `delayMs` before answering, so that a kill often lands
 * between a delivery and its checkpoint.
 */
export function stormMapping(options: {
  parallelizationFactor: number;
  delayMs: number;
  record(records: unknown[]): void;
}): { specs: StreamMappingSpec[]; runtime: NonNullable<ReturnType<StreamMappingsOptions['runtime']>> } {
  return {
    specs: [
      {
        functionName: 'fn',
        id: 'fn:Storm',
        tableName: 'Storm',
        event: streamEvent({ table: 'Storm', batchSize: 10, parallelizationFactor: options.parallelizationFactor }),
      },
    ],
    runtime: {
      names: () => ['fn'],
      async invoke(_name, event) {
        options.record((event as { Records: unknown[] }).Records);
        await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        return { ok: true, payload: null, requestId: 'r', durationMs: options.delayMs };
      },
      async close() {},
    },
  };
}

/** Serves `listener` on a free loopback port and tells the parent which: `READY <port>` on stdout. */
export function listenAndAnnounce(listener: RequestListener) {
  const server = createServer(listener);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
  });
  return server;
}
