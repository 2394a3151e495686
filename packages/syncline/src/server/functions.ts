// The functions capability as the server mounts it: the runtime (worker-thread instances per function), the
// HTTP API routes on the server's port, and the schedules. One value per app version: reload builds a new one
// and closes the old.
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import { newNodeId } from '../cluster/leases.js';
import { postgresScheduleClaims } from '../cluster/leasesSchedules.js';
import { postgresSecretStore } from '../cluster/secretsPostgres.js';
import { createFunctionRuntime, type FunctionsOptions, type LocalFunctionRuntime } from '../functions/index.js';
import type { TableEngine } from '../tables/index.js';
import { isPostgresStorage } from '../tables/storage/postgres.js';
import type { Clock } from '../triggers/clock.js';
import { createHttpApi, type HttpApi } from '../triggers/httpApi.js';
import { type Schedules, startSchedules } from '../triggers/schedules.js';

export interface FunctionsServerOptions extends FunctionsOptions {
  /** Drives the schedules; tests pass a ManualClock (triggers/clock.ts). */
  clock?: Clock;
  /** How long an HTTP route waits for its function before the gateway gives up (default 30 s, as HTTP APIs). */
  httpIntegrationTimeoutMs?: number;
}

export interface FunctionsCapability {
  runtime: LocalFunctionRuntime;
  http: HttpApi;
  schedules: Schedules;
  close(): Promise<void>;
}

export function mountFunctions(
  app: AppModel,
  options: {
    log: Logger;
    tables: TableEngine;
    endpoints: () => { http: string; graphql?: string; realtime?: string };
    settings?: FunctionsServerOptions;
  },
): FunctionsCapability {
  const { log, tables, settings = {} } = options;
  const storage = tables.storage;
  const runtime = createFunctionRuntime({
    ...settings,
    app,
    log,
    accountId: tables.accountId,
    describeTable: (TableName) => {
      try {
        return tables.describeTable({ TableName }).Table as { TableArn?: string; LatestStreamArn?: string };
      } catch {
        return {};
      }
    },
    endpoints: options.endpoints,
    // Every node of a cluster gives a function the same credentials, so any node accepts what it signs.
    credentials: isPostgresStorage(storage) ? postgresSecretStore(storage, 'function-credentials:') : undefined,
  });
  const http = createHttpApi({
    app,
    runtime,
    log,
    accountId: tables.accountId,
    integrationTimeoutMs: settings.httpIntegrationTimeoutMs,
  });
  const schedules = startSchedules({
    app,
    runtime,
    log,
    accountId: tables.accountId,
    clock: settings.clock,
    // On PostgreSQL the app may run on several nodes: each fire is claimed by one.
    claims: isPostgresStorage(storage) ? postgresScheduleClaims(storage, newNodeId()) : undefined,
  });
  return {
    runtime,
    http,
    schedules,
    async close() {
      schedules.close();
      await runtime.close();
    },
  };
}
