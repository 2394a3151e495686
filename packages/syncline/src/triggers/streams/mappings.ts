// Stream event source mappings: for each function's `stream` event, one poller per shard lane of the table's
// stream, woken by the stream recorder when a write commits. Mappings start with the server and stop with it;
// their checkpoints live in the table storage.
import type { AppModel, StreamEventModel } from '../../app/model.js';
import { type Fence, LeaseLostError, type LeaseUnit, type ShardLeases } from '../../cluster/leases.js';
import type { FunctionRuntime } from '../../functions/types.js';
import type { StoredTable, TableEngine } from '../../tables/index.js';
import { findStream, type StreamRecorder } from '../../tables/streams/index.js';
import type { Checkpoint } from './checkpoints.js';
import type { FailureDestination } from './failureDestination.js';
import { type LaneOptions, LanePoller, type MappingLog } from './lanePoller.js';

export interface StreamMappingsOptions {
  tables: TableEngine;
  recorder: StreamRecorder;
  runtime: () => FunctionRuntime | undefined;
  log: MappingLog;
  /** Told, before each batch is delivered, how old its last record is (the IteratorAge metric of Lambda). */
  onBatch?: LaneOptions['onBatch'];
  journal?: LaneOptions['journal'];
  now?: () => number;
  /** Delay before retry `attempt` (1-based); default 100 ms doubling up to 5 s. */
  retryDelayMs?: (attempt: number) => number;
  /**
   * In a cluster: each shard's pollers run only on the node holding the shard's lease, and their checkpoints are
   * fenced by it (docs/cluster.md). Without, every shard is polled here.
   */
  leases?: ShardLeases;
  /**
   * Also look for new records this often: writes made on other nodes wake nobody here. Default: only wake-ups
   * from this node's writes.
   */
  pollIntervalMs?: number;
}

/** One mapping as declared: a function and its stream event. */
export interface StreamMappingSpec {
  functionName: string;
  /** Distinguishes several mappings of one function to one table (checkpoints are kept per mapping). */
  id: string;
  event: StreamEventModel;
  /** DynamoDB name of the source table. */
  tableName: string;
  onFailure?: { function: string } | { tableName: string };
}

export interface StreamMappings {
  /** The mappings running, for diagnostics. */
  readonly running: ReadonlyArray<{ id: string; functionName: string; streamArn: string; pollers: number }>;
  close(): Promise<void>;
}

const defaultRetryDelay = (attempt: number) => Math.min(5000, 100 * 2 ** (attempt - 1));

/** The stream mappings an app declares. */
export function mappingSpecs(app: AppModel): StreamMappingSpec[] {
  const specs: StreamMappingSpec[] = [];
  for (const fn of Object.values(app.functions)) {
    const seen = new Map<string, number>();
    for (const event of fn.events) {
      if (event.type !== 'stream') continue;
      const n = seen.get(event.table) ?? 0;
      seen.set(event.table, n + 1);
      const onFailure = event.onFailure;
      specs.push({
        functionName: fn.name,
        id: `${fn.name}:${event.table}${n ? `:${n}` : ''}`,
        event,
        tableName: app.tables[event.table]?.name ?? event.table,
        onFailure:
          onFailure && 'table' in onFailure
            ? { tableName: app.tables[onFailure.table]?.name ?? onFailure.table }
            : onFailure,
      });
    }
  }
  return specs;
}

function destinationOf(spec: StreamMappingSpec, options: StreamMappingsOptions): FailureDestination | undefined {
  const target = spec.onFailure;
  if (!target) return undefined;
  if ('function' in target) return { kind: 'function', name: target.function, runtime: options.runtime };
  const json = options.tables.storage.read((tx) => tx.getTable(target.tableName));
  if (!json) throw new Error(`onFailure table ${target.tableName} does not exist`);
  const table = JSON.parse(json) as StoredTable;
  const keySchema = table.KeySchema.map((k) => ({
    name: k.AttributeName,
    type: table.AttributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType ?? 'S',
  }));
  return { kind: 'table', tableName: target.tableName, keySchema, tables: options.tables };
}

export function startStreamMappings(specs: StreamMappingSpec[], options: StreamMappingsOptions): StreamMappings {
  const { tables, recorder, log } = options;
  const now = options.now ?? Date.now;
  const running: Array<{ id: string; functionName: string; streamArn: string; pollers: number }> = [];
  // The pollers running on this node, by mapping, stream ARN and shard key.
  const byShard = new Map<string, LanePoller[]>();
  const units: LeaseUnit[] = [];
  const unsubscribes: Array<() => void> = [];
  for (const spec of specs) {
    if (!spec.event.enabled) continue;
    const table = tables.storage.read((tx) => {
      const json = tx.getTable(spec.tableName);
      return json ? (JSON.parse(json) as StoredTable) : undefined;
    });
    const streamArn = table?.LatestStreamArn;
    const stream = streamArn ? tables.storage.read((tx) => findStream(tx, streamArn)) : undefined;
    if (stream?.status !== 'ENABLED') {
      log.warn(
        { function: spec.functionName, table: spec.tableName },
        'stream mapping not started: the table has no enabled stream',
      );
      continue;
    }
    const destination = destinationOf(spec, options);
    const lanes = spec.event.parallelizationFactor;
    for (const shard of stream.shards) {
      const shardPollers = (fence?: Fence): LanePoller[] => {
        const leases = options.leases;
        const saveCheckpoint =
          fence && leases
            ? (key: string, checkpoint: Checkpoint) => {
                if (!leases.store.putMetaFenced(key, JSON.stringify(checkpoint), fence)) {
                  throw new LeaseLostError(fence.lease);
                }
              }
            : undefined;
        return Array.from(
          { length: lanes },
          (_, lane) =>
            new LanePoller({
              mappingId: spec.id,
              functionName: spec.functionName,
              functionArn: `arn:aws:lambda:${tables.region}:${tables.accountId}:function:${spec.functionName}`,
              event: spec.event,
              streamArn: stream.arn,
              shard,
              lane,
              lanes,
              storage: tables.storage,
              runtime: options.runtime,
              destination,
              log,
              now,
              retryDelayMs: options.retryDelayMs ?? defaultRetryDelay,
              saveCheckpoint,
              onBatch: options.onBatch,
              journal: options.journal,
              table: spec.tableName,
            }),
        );
      };
      // One lease per mapping and shard: two mappings of one stream are leased (and checkpointed) separately.
      const shardKey = `${spec.id}|${stream.arn}#${shard.shardKey}`;
      if (!options.leases) {
        byShard.set(shardKey, shardPollers());
        continue;
      }
      units.push({
        name: shardKey,
        start(fence) {
          const started = shardPollers(fence);
          byShard.set(shardKey, started);
          for (const poller of started) poller.start();
        },
        async stop() {
          const stopping = byShard.get(shardKey) ?? [];
          byShard.delete(shardKey);
          await Promise.all(stopping.map((p) => p.close()));
        },
      });
    }
    unsubscribes.push(
      recorder.subscribe(stream.arn, (shardKeys) => {
        for (const key of shardKeys)
          for (const poller of byShard.get(`${spec.id}|${stream.arn}#${key}`) ?? []) poller.wake();
      }),
    );
    running.push({
      id: spec.id,
      functionName: spec.functionName,
      streamArn: stream.arn,
      pollers: stream.shards.length * lanes,
    });
  }
  const unregister = options.leases?.register(units);
  if (!unregister) for (const shardPollers of byShard.values()) for (const poller of shardPollers) poller.start();
  const poll = options.pollIntervalMs
    ? setInterval(() => {
        for (const shardPollers of byShard.values()) for (const poller of shardPollers) poller.wake();
      }, options.pollIntervalMs)
    : undefined;
  poll?.unref();
  return {
    running,
    async close() {
      clearInterval(poll);
      for (const unsubscribe of unsubscribes) unsubscribe();
      await unregister?.();
      await Promise.all([...byShard.values()].flat().map((p) => p.close()));
    },
  };
}
