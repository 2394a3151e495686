// The streams capability: the DynamoDB Streams API, the TTL sweeper and stream trimming on a timer, and the
// stream event source mappings of the app's functions.
import type { AppModel } from '../app/model.js';
import { streamsRequestScope } from '../auth/awsRequestScope.js';
import { newNodeId, ShardLeases } from '../cluster/leases.js';
import { postgresLeaseStore } from '../cluster/leasesPostgres.js';
import { isPostgresStorage } from '../tables/storage/postgres.js';
import { createStreamsApi, handleStreamsRequest, STREAMS_TARGET_PREFIX, trimStreams } from '../tables/streams/index.js';
import { mappingSpecs, type StreamMappings, startStreamMappings } from '../triggers/streams/index.js';
import type { Capability, ServerContext } from './capability.js';
import type { FunctionsCapability } from './functions.js';
import type { TablesCapability } from './tables.js';

export const STREAMS_TARGET = STREAMS_TARGET_PREFIX;
const MAX_STREAMS_BODY = 1024 * 1024;

/** DynamoDB deletes expired items within days; locally a few seconds keeps TTL observable. */
export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 5000;
const TRIM_INTERVAL_MS = 60_000;
const SWEEP_BATCH = 1000;
/** On PostgreSQL, writes made on other nodes wake no poller here: pollers also look this often. */
const CLUSTER_POLL_MS = 250;

export interface StreamsCapability extends Capability {
  /** Deletes every item whose TTL has passed, now; returns how many. Also trims records past retention. */
  sweepTtl(): number;
}

/**
 * Streams and TTL: the DynamoDB Streams API (through the server's AWS JSON dispatcher), the TTL sweeper and stream
 * trimming on a timer, and the app's stream event source mappings, which invoke the current functions runtime.
 */
export function streamsCapability(
  ctx: ServerContext,
  tables: TablesCapability,
  functions: FunctionsCapability,
  options: { ttlSweepIntervalMs?: number },
): StreamsCapability {
  const { log } = ctx;
  let leases: ShardLeases | undefined;
  let timer: NodeJS.Timeout | undefined;
  let mappings: StreamMappings | undefined;
  let lastTrim = 0;
  let api: ReturnType<typeof createStreamsApi> | undefined;
  const onInternalError = (err: unknown, action: string) =>
    log.error({ err, action }, 'DynamoDB Streams request failed');

  const sweepTtl = (): number => {
    const engine = tables.engine;
    let total = 0;
    for (;;) {
      const deleted = engine.sweepExpiredItems(SWEEP_BATCH);
      total += deleted;
      if (deleted < SWEEP_BATCH) break;
    }
    const now = Date.now();
    if (now - lastTrim >= TRIM_INTERVAL_MS) {
      lastTrim = now;
      trimStreams(engine.storage, now);
    }
    return total;
  };

  // Mappings (re)start against the current runtime, so no poller invokes one that a reload is closing.
  const startMappings = async (app: AppModel) => {
    const previous = mappings;
    mappings = undefined;
    await previous?.close();
    mappings = startStreamMappings(mappingSpecs(app), {
      tables: tables.engine,
      recorder: tables.recorder,
      runtime: () => functions.runtime,
      log,
      leases,
      pollIntervalMs: leases ? CLUSTER_POLL_MS : undefined,
      onBatch: ctx.onStreamBatch,
      journal: ctx.journal,
    });
  };

  return {
    name: 'streams',
    sweepTtl,
    awsJsonApis: [
      {
        targetPrefix: STREAMS_TARGET,
        // DynamoDB Streams clients sign for DynamoDB's service name.
        signingName: 'dynamodb',
        maxBody: MAX_STREAMS_BODY,
        tooLarge: { __type: 'com.amazon.coral.validate#ValidationException', message: 'Request too large' },
        scope: (operation, body) => streamsRequestScope(operation, body),
        handle: (target, body) => {
          api ??= createStreamsApi({ storage: tables.engine.storage });
          return handleStreamsRequest(api, target, body, { onInternalError });
        },
      },
    ],
    start() {
      const storage = tables.engine.storage;
      api = createStreamsApi({ storage });
      // On PostgreSQL several nodes may share the streams: shards are leased so that one node polls each.
      leases = isPostgresStorage(storage)
        ? new ShardLeases({ store: postgresLeaseStore(storage), node: newNodeId(), log })
        : undefined;
      const interval = options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS;
      if (interval > 0) {
        timer = setInterval(() => {
          try {
            const deleted = sweepTtl();
            if (deleted) log.debug({ deleted }, 'expired items deleted');
          } catch (err) {
            log.error({ err }, 'TTL sweep failed');
          }
        }, interval);
        timer.unref();
      }
    },
    // Mappings start once functions can run: their environment names the server's URLs.
    listening: () => startMappings(ctx.app()),
    reload: (next) => ({ commit: () => startMappings(next) }),
    metrics: () => ({ streamMappings: mappingSpecs(ctx.app()).length }),
    async close() {
      clearInterval(timer);
      await mappings?.close();
      mappings = undefined;
      await leases?.close();
    },
  };
}
