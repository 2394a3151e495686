// The APPSYNC_JS built-ins: what `@aws-appsync/utils`, `@aws-appsync/utils/dynamodb` and `/rds` resolve to in Syncline.
import type { HostSlot } from '../host.js';
import { dynamodbModule } from './dynamodbHelpers.js';
import { createExtensions } from './extensions.js';
import { rdsModule } from './rds.js';
import { runtime } from './runtime.js';
import { type Clock, createUtil } from './util.js';

export type { SubscriptionFilter, SubscriptionFilterRule, SubscriptionOperator } from './subscriptionFilters.js';
export type { Clock } from './util.js';

export type AppsyncBuiltins = ReturnType<typeof createBuiltins>;

/**
 * Built once per server; every request-specific effect goes through `slot.current()`. The objects are frozen
 * because all resolvers of the server share them: one resolver must not be able to patch `util` for the others.
 * `clock` exists for tests; it defaults to the system clock and Math.random.
 */
export function createBuiltins(slot: HostSlot, clock: Clock = { now: Date.now, random: Math.random }) {
  return deepFreeze({
    util: createUtil(slot, clock),
    runtime,
    extensions: createExtensions(slot),
    dynamodb: dynamodbModule,
    rds: rdsModule,
  });
}

function deepFreeze<T>(value: T): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    for (const key of Object.keys(value as object)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}
