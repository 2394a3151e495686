// Scheduled functions, as EventBridge rules: each enabled `schedule` event fires its function asynchronously
// with EventBridge's Scheduled Event (or the configured `input`). Rates count from when the server started, as
// a rule's rate counts from its creation; cron fires at minute boundaries in UTC. Missed fires (a sleeping
// laptop) are not replayed, as EventBridge does not replay them.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import type { FunctionRuntime } from '../functions/types.js';
import { type Clock, systemClock } from './clock.js';
import { nextCronTime, parseScheduleExpression, type ScheduleExpression } from './scheduleExpression.js';

/** Node timers overflow past ~24.8 days; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ScheduleRule {
  functionName: string;
  ruleName: string;
  ruleArn: string;
  expression: string;
  /** Epoch ms of the next fire, or null when the schedule never fires again. */
  next: number | null;
}

/** How the nodes of a cluster agree that each fire happens once (cluster/leasesSchedules.ts). */
export interface ScheduleClaims {
  /** The start time a rate's periods count from, shared by every node: the first `started` proposed wins. */
  anchor(rule: string, started: number): number;
  /** True for exactly one node per (rule, due time): that node fires. */
  claim(rule: string, due: number): boolean;
}

export interface SchedulesOptions {
  app: AppModel;
  runtime: FunctionRuntime;
  log: Logger;
  accountId: string;
  clock?: Clock;
  /** In a cluster: fire each due time on one node only. Without, this node fires every due time. */
  claims?: ScheduleClaims;
}

export interface Schedules {
  rules(): ScheduleRule[];
  close(): void;
}

/** EventBridge's Scheduled Event. */
export function scheduledEvent(rule: ScheduleRule, region: string, accountId: string, time: number) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [rule.ruleArn],
    detail: {},
  };
}

export function startSchedules(options: SchedulesOptions): Schedules {
  const { app, runtime, log, accountId } = options;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const rules: ScheduleRule[] = [];
  const timers = new Set<unknown>();
  let closed = false;

  for (const fn of Object.values(app.functions)) {
    fn.events.forEach((event, i) => {
      if (event.type !== 'schedule' || !event.enabled) return;
      const expression = parseScheduleExpression(event.expression);
      // Serverless names rules <service>-<function>-rule-<n>; EventBridge caps names at 64 characters.
      const ruleName = `${app.name}-${fn.name}-rule-${i + 1}`.slice(0, 64);
      const rule: ScheduleRule = {
        functionName: fn.name,
        ruleName,
        ruleArn: `arn:aws:events:${app.region}:${accountId}:rule/${ruleName}`,
        expression: event.expression,
        next: null,
      };
      rules.push(rule);
      // The key a cluster agrees on: the rule and its expression (a changed expression starts a new rate anchor).
      const claimKey = `${rule.ruleArn}|${event.expression}`;
      const anchor = options.claims?.anchor(claimKey, started) ?? started;
      const next = (after: number): number | null => nextFire(expression, anchor, after);
      const claimed = (at: number) => {
        if (!options.claims) return true;
        try {
          return options.claims.claim(claimKey, at);
        } catch (err) {
          // Without the database no node can claim; skipping beats firing on every node.
          log.error({ err, function: fn.name, rule: ruleName }, 'schedule fire skipped: could not claim it');
          return false;
        }
      };
      const arm = (at: number | null) => {
        rule.next = at;
        if (at === null || closed) return;
        const delay = at - clock.now();
        const handle = clock.setTimeout(
          () => {
            timers.delete(handle);
            if (closed) return;
            if (delay > MAX_TIMER_MS) {
              arm(at);
              return;
            }
            if (claimed(at)) {
              const input = event.input !== undefined ? event.input : scheduledEvent(rule, app.region, accountId, at);
              log.debug({ function: fn.name, rule: ruleName }, 'schedule fired');
              void runtime.invoke(fn.name, input, { invocationType: 'Event', trigger: 'schedule' });
            }
            arm(next(Math.max(at, clock.now())));
          },
          Math.min(Math.max(0, delay), MAX_TIMER_MS),
        );
        timers.add(handle);
      };
      arm(next(started));
    });
  }

  return {
    rules: () => rules.map((r) => ({ ...r })),
    close() {
      closed = true;
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
    },
  };
}

function nextFire(expression: ScheduleExpression, started: number, after: number): number | null {
  if (expression.kind === 'cron') return nextCronTime(expression.cron, after);
  const periods = Math.floor((after - started) / expression.everyMs) + 1;
  return started + periods * expression.everyMs;
}
