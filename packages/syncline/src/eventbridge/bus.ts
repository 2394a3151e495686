// The app's event buses: PutEvents' entries become events on a bus, and every enabled rule of that bus whose event
// pattern matches invokes its target function asynchronously (Lambda's Event invocation: the function's async
// retries, event age and destinations apply, functions/asyncInvoke.ts), as EventBridge hands events to Lambda.
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import type { FunctionRuntime } from '../functions/types.js';
import { type EventPattern, matchesPattern } from '../triggers/streams/eventPattern.js';
import {
  type EventBridgeEvent,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
  parsePutEvents,
  toEvent,
} from './putEvents.js';

export interface EventRule {
  /** The bus's name. */
  bus: string;
  pattern: EventPattern;
  /** The target function's name. */
  function: string;
}

/** The buses of an app: `default` and those it declares. */
export function appBuses(app: AppModel): Set<string> {
  return new Set(['default', ...(app.eventBuses ?? [])]);
}

/** The rules the app's functions declare (`events: [{ eventBridge: { pattern, eventBus } }]`). */
export function appRules(app: AppModel): EventRule[] {
  const rules: EventRule[] = [];
  for (const fn of Object.values(app.functions)) {
    for (const e of fn.events) {
      if (e.type === 'eventBridge' && e.enabled) rules.push({ bus: e.eventBus, pattern: e.pattern, function: fn.name });
    }
  }
  return rules;
}

export interface EventBus {
  /** PutEvents: validates, delivers the accepted entries to matching rules' targets, answers per entry. */
  putEvents(body: unknown): { Entries: PutEventsResultEntry[]; FailedEntryCount: number };
  /** Delivers events already built (the AMAZON_EVENTBRIDGE data source goes through putEvents too). */
  deliver(bus: string, event: EventBridgeEvent): void;
}

export function createEventBus(options: {
  app: () => AppModel;
  accountId: () => string;
  runtime: () => FunctionRuntime;
  log: Logger;
  now?: () => Date;
}): EventBus {
  const now = options.now ?? (() => new Date());
  const deliver = (bus: string, event: EventBridgeEvent) => {
    for (const rule of appRules(options.app())) {
      if (rule.bus !== bus || !matchesPattern(rule.pattern, event)) continue;
      options
        .runtime()
        .invoke(rule.function, event, { invocationType: 'Event', trigger: 'eventbridge' })
        .catch((err) => options.log.error({ err, function: rule.function }, 'EventBridge target could not be invoked'));
    }
  };
  return {
    deliver,
    putEvents(body) {
      const entries: PutEventsRequestEntry[] = parsePutEvents(body);
      const app = options.app();
      const where = { account: options.accountId(), region: app.region, buses: appBuses(app), now: now() };
      let failed = 0;
      const results = entries.map((entry): PutEventsResultEntry => {
        const out = toEvent(entry, where);
        if ('ErrorCode' in out) {
          failed++;
          return out;
        }
        deliver(out.bus, out.event);
        return { EventId: out.event.id };
      });
      return { Entries: results, FailedEntryCount: failed };
    },
  };
}
