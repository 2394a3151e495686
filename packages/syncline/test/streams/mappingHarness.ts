// Stream mappings without a server: a table engine with the stream recorder, and an in-test FunctionRuntime
// that calls plain JS functions (what the functions runtime port promises: failures come back as values).
import { randomUUID } from 'node:crypto';
import type { StreamEventModel } from '../../src/app/model.js';
import type { FunctionRuntime, InvokeResult } from '../../src/functions/types.js';
import { createTableEngine, openSqliteStorage, type Storage, type TableEngine } from '../../src/tables/index.js';
import { createStreamRecorder, type StreamRecorder } from '../../src/tables/streams/index.js';
import { type StreamMappingSpec, type StreamMappings, startStreamMappings } from '../../src/triggers/streams/index.js';

export type Handler = (event: any) => unknown;

export function fakeRuntime(handlers: Record<string, Handler>): FunctionRuntime {
  return {
    names: () => Object.keys(handlers),
    async invoke(name, event): Promise<InvokeResult> {
      const handler = handlers[name];
      if (!handler) throw new Error(`unknown function ${name}`);
      try {
        const payload = await handler(structuredClone(event));
        return { ok: true, payload: payload ?? null, requestId: randomUUID(), durationMs: 0 };
      } catch (e) {
        const error = e as Error;
        return {
          ok: false,
          error: { errorType: error.name, errorMessage: error.message },
          requestId: randomUUID(),
          durationMs: 0,
        };
      }
    },
    async close() {},
  };
}

export const streamEvent = (over: Partial<StreamEventModel> = {}): StreamEventModel => ({
  type: 'stream',
  table: 'Items',
  batchSize: 100,
  maximumBatchingWindowInSeconds: 0,
  startingPosition: 'TRIM_HORIZON',
  parallelizationFactor: 1,
  maximumRetryAttempts: -1,
  maximumRecordAgeInSeconds: -1,
  bisectBatchOnFunctionError: false,
  reportBatchItemFailures: false,
  filterPatterns: [],
  tumblingWindowInSeconds: 0,
  enabled: true,
  ...over,
});

export interface MappingHarness {
  storage: Storage;
  engine: TableEngine;
  recorder: StreamRecorder;
  start(
    specs: Array<Partial<StreamMappingSpec> & { event: StreamEventModel }>,
    handlers: Record<string, Handler>,
  ): StreamMappings;
  put(id: string, attrs?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export function mappingHarness(options: { location?: string; now?: () => number } = {}): MappingHarness {
  const storage = openSqliteStorage(options.location ?? ':memory:');
  const recorder = createStreamRecorder({ now: options.now });
  const engine = createTableEngine({ storage, onChange: recorder.onChange, accountId: '123456789012' });
  const table = (name: string, stream: boolean) => {
    if (engine.listTables({}).TableNames && (engine.listTables({}).TableNames as string[]).includes(name)) return;
    engine.createTable({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    });
  };
  table('Items', true);
  table('Failures', false);
  const running: StreamMappings[] = [];
  return {
    storage,
    engine,
    recorder,
    start(specs, handlers) {
      const mappings = startStreamMappings(
        specs.map((s, i) => ({ functionName: 'fn', id: `fn:Items:${i}`, tableName: 'Items', ...s })),
        {
          tables: engine,
          recorder,
          runtime: () => fakeRuntime(handlers),
          log: { warn() {}, error() {} },
          retryDelayMs: () => 5,
        },
      );
      running.push(mappings);
      return mappings;
    },
    put(id, attrs = {}) {
      const item: Record<string, unknown> = { id: { S: id } };
      for (const [k, v] of Object.entries(attrs)) item[k] = typeof v === 'number' ? { N: String(v) } : { S: String(v) };
      engine.putItem({ TableName: 'Items', Item: item });
    },
    async close() {
      for (const m of running) await m.close();
      storage.close();
    },
  };
}

export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
