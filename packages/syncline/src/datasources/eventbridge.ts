// AppSync's AMAZON_EVENTBRIDGE data source: `{ operation: 'PutEvents', events: [{ source, detail, detailType,
// resources?, time? }] }` put on the data source's bus through the same PutEvents as the API (validation, per-entry
// errors, delivery to rules), and `ctx.result` is EventBridge's answer `{ Entries, FailedEntryCount }`. A request
// refused as a whole (more than 10 events, over 256 KB) is `ctx.error` with type `EventBridge:<ErrorName>`.
import type { EventBus } from '../eventbridge/index.js';
import { EventsError } from '../eventbridge/putEvents.js';
import { type DataSource, DataSourceError } from './types.js';

export function eventbridgeDataSource(name: string, busName: string, bus: EventBus): DataSource {
  return {
    name,
    type: 'AMAZON_EVENTBRIDGE',
    invoke(request) {
      const r = request as { operation?: unknown; events?: unknown } | null;
      if (!r || typeof r !== 'object' || r.operation !== 'PutEvents') {
        throw new DataSourceError(
          `Unsupported operation '${String(r?.operation)}'. An EventBridge request's operation is PutEvents.`,
          'MappingTemplate',
        );
      }
      if (!Array.isArray(r.events)) {
        throw new DataSourceError('events must be a list of events.', 'MappingTemplate');
      }
      const entries = r.events.map((e: Record<string, unknown> | null) => ({
        Source: e?.source,
        DetailType: e?.detailType,
        // AppSync takes the detail as an object and sends it as JSON; a string is sent as written.
        Detail:
          e?.detail === undefined ? undefined : typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail),
        Resources: e?.resources,
        Time: e?.time,
        EventBusName: busName,
      }));
      try {
        return bus.putEvents({ Entries: entries });
      } catch (error) {
        if (error instanceof EventsError) throw new DataSourceError(error.message, `EventBridge:${error.type}`);
        throw error;
      }
    },
  };
}
