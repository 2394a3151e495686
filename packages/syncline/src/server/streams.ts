// The eventing capability as the server mounts it: the DynamoDB Streams API on the server's port, the TTL
// sweeper and stream trimming on a timer, and the stream event source mappings of the app's functions.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import { newNodeId, ShardLeases } from '../cluster/leases.js';
import { postgresLeaseStore } from '../cluster/leasesPostgres.js';
import type { FunctionRuntime } from '../functions/types.js';
import type { TableEngine } from '../tables/index.js';
import { isPostgresStorage } from '../tables/storage/postgres.js';
import {
  createStreamsApi,
  handleStreamsRequest,
  STREAMS_TARGET_PREFIX,
  type StreamRecorder,
  trimStreams,
} from '../tables/streams/index.js';
import { mappingSpecs, type StreamMappings, startStreamMappings } from '../triggers/streams/index.js';
import { readJsonApiBody } from './body.js';
import type { FastRoute } from './fastHttp/connection.js';

export const STREAMS_TARGET = STREAMS_TARGET_PREFIX;
const MAX_STREAMS_BODY = 1024 * 1024;

/** DynamoDB deletes expired items within days; locally a few seconds keeps TTL observable. */
export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 5000;
const TRIM_INTERVAL_MS = 60_000;
const SWEEP_BATCH = 1000;
/** On PostgreSQL, writes made on other nodes wake no poller here: pollers also look this often. */
const CLUSTER_POLL_MS = 250;

export interface EventingOptions {
  tables: TableEngine;
  recorder: StreamRecorder;
  log: Logger;
  /** How often expired items are deleted; 0 turns the sweeper off (sweep by hand with `sweepTtl`). */
  ttlSweepIntervalMs?: number;
}

export interface Eventing {
  /** Serves one `DynamoDBStreams_20120810.*` request. */
  handle(req: IncomingMessage, res: ServerResponse, target: string): Promise<void>;
  /** The same service for the fast path (decision 0006). */
  fast: FastRoute;
  /** Deletes every item whose TTL has passed, now; returns how many. Also trims records past retention. */
  sweepTtl(): number;
  /** (Re)starts the app's stream mappings against `runtime`. */
  startMappings(app: AppModel, runtime: () => FunctionRuntime | undefined): Promise<void>;
  close(): Promise<void>;
}

export function createEventing(options: EventingOptions): Eventing {
  const { tables, recorder, log } = options;
  const api = createStreamsApi({ storage: tables.storage });
  // On PostgreSQL several nodes may share the streams: shards are leased so that one node polls each.
  const storage = tables.storage;
  const leases = isPostgresStorage(storage)
    ? new ShardLeases({ store: postgresLeaseStore(storage), node: newNodeId(), log })
    : undefined;
  let mappings: StreamMappings | undefined;
  let lastTrim = 0;
  const onInternalError = (err: unknown, action: string) =>
    log.error({ err, action }, 'DynamoDB Streams request failed');
  const serve = (target: string, body: Buffer) => handleStreamsRequest(api, target, body, { onInternalError });

  const sweepTtl = (): number => {
    let total = 0;
    for (;;) {
      const deleted = tables.sweepExpiredItems(SWEEP_BATCH);
      total += deleted;
      if (deleted < SWEEP_BATCH) break;
    }
    const now = Date.now();
    if (now - lastTrim >= TRIM_INTERVAL_MS) {
      lastTrim = now;
      trimStreams(tables.storage, now);
    }
    return total;
  };

  const interval = options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS;
  const timer =
    interval > 0
      ? setInterval(() => {
          try {
            const deleted = sweepTtl();
            if (deleted) log.debug({ deleted }, 'expired items deleted');
          } catch (err) {
            log.error({ err }, 'TTL sweep failed');
          }
        }, interval)
      : undefined;
  timer?.unref();

  return {
    async handle(req, res, target) {
      const body = await readJsonApiBody(req, res, MAX_STREAMS_BODY, {
        __type: 'com.amazon.coral.validate#ValidationException',
        message: 'Request too large',
      });
      if (!body) return;
      const response = serve(target, body);
      res.writeHead(response.status, response.headers).end(response.body);
    },
    fast: {
      maxBody: MAX_STREAMS_BODY,
      handle: (request) => serve(request.headers['x-amz-target'], request.body),
    },
    sweepTtl,
    async startMappings(app, runtime) {
      const previous = mappings;
      mappings = undefined;
      await previous?.close();
      mappings = startStreamMappings(mappingSpecs(app), {
        tables,
        recorder,
        runtime,
        log,
        leases,
        pollIntervalMs: leases ? CLUSTER_POLL_MS : undefined,
      });
    },
    async close() {
      clearInterval(timer);
      await mappings?.close();
      mappings = undefined;
      await leases?.close();
    },
  };
}
