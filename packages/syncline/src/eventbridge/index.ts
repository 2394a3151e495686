// The EventBridge capability: the `AWSEvents.PutEvents` JSON 1.1 API, served through the server's AWS JSON
// dispatcher (and so its door: SigV4 for `events`, policies checked on `events:PutEvents` per event bus), onto the
// app's local event buses, whose rules invoke the app's functions.
import type { Capability, ServerContext } from '../server/capability.js';
import type { FunctionsCapability } from '../server/functions.js';
import { createEventBus, type EventBus } from './bus.js';
import { busNameOf, EventsError, PUT_EVENTS_MAX_BYTES } from './putEvents.js';

export { appBuses, appRules, type EventBus } from './bus.js';
export type { EventBridgeEvent } from './putEvents.js';

export const EVENTS_TARGET_PREFIX = 'AWSEvents.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Past the entries' 256 KB, room for the JSON around them; a larger body is refused before it is read. */
const MAX_BODY = PUT_EVENTS_MAX_BYTES * 2;

export interface EventBridgeCapability extends Capability {
  readonly bus: EventBus;
}

const answer = (status: number, body: unknown) => ({
  status,
  headers: { 'content-type': CONTENT_TYPE },
  body: JSON.stringify(body),
});

const error = (type: string, message: string) => answer(400, { __type: type, message });

export function eventbridgeCapability(
  ctx: ServerContext,
  functions: FunctionsCapability,
  /** Asked once the tables are open (the account is theirs). */
  accountId: () => string,
): EventBridgeCapability {
  const bus = createEventBus({ app: ctx.app, accountId, runtime: () => functions.runtime, log: ctx.log });
  const busArn = (name: string) => `arn:aws:events:${ctx.app().region}:${accountId()}:event-bus/${name}`;
  return {
    name: 'eventbridge',
    bus,
    awsJsonApis: [
      {
        targetPrefix: EVENTS_TARGET_PREFIX,
        signingName: 'events',
        maxBody: MAX_BODY,
        tooLarge: { __type: 'ValidationException', message: 'Request is too large.' },
        scope(operation, body) {
          const action = `events:${operation}`;
          const entries = (body as { Entries?: unknown } | undefined)?.Entries;
          if (operation !== 'PutEvents' || !Array.isArray(entries)) return [{ action, resources: ['*'] }];
          // Every bus an entry names is checked; an unreadable name on `*`, which only `Resource: "*"` allows.
          const names = new Set(entries.map((e) => (e && typeof e === 'object' ? busNameOf(e) : undefined)));
          return [{ action, resources: [...names].map((n) => (n === undefined ? '*' : busArn(n))) }];
        },
        handle(target, raw) {
          const operation = target.slice(EVENTS_TARGET_PREFIX.length);
          if (operation !== 'PutEvents') {
            return error(
              'UnknownOperationException',
              `Operation ${operation} is not supported by Syncline's EventBridge.`,
            );
          }
          let body: unknown;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            return error('SerializationException', 'The request body is not valid JSON.');
          }
          try {
            return answer(200, bus.putEvents(body));
          } catch (e) {
            if (e instanceof EventsError) return error(e.type, e.message);
            ctx.log.error({ err: e }, 'PutEvents failed');
            return error('InternalException', 'Internal error.');
          }
        },
      },
    ],
  };
}
