// The SubscriptionHub: who listens to which subscription field, with which filter and which selection. It knows
// no sockets; a protocol adapter hands it a sink per subscription. Matching is synchronous. Subscribers sharing a
// selection (same document, operation and variables) form one group, so a payload is rendered and serialized
// once per group and the same string goes to every matching subscriber in it.
import type { DeliveryShape } from '../graphql/subscriptions.js';
import type { Matcher } from './filters.js';

/** AppSync does not deliver subscription payloads over 240 KB. */
export const MAX_PAYLOAD_BYTES = 240 * 1024;

export interface Registration {
  /** The Subscription field name (`onCreateOrder`). */
  field: string;
  shape: DeliveryShape;
  /** Argument filter or enhanced filter, compiled. */
  filter: Matcher;
  invalidation?: Matcher;
  /** What the filter was compiled from and the client's variables, as sent: for the console's listing. */
  source?: { filter?: unknown; variables?: Record<string, unknown> | null };
}

/** What a protocol adapter gives the hub for one subscription. Must not throw. */
export interface SubscriptionSink {
  /** `payloadJson` is the `{"data":...}` object as JSON, shared by every subscriber of the same selection. */
  deliver(payloadJson: string): void;
  /** The hub already removed the subscription; the adapter tells the client and closes the connection. */
  invalidated(): void;
}

export interface SubscriptionHandle {
  readonly registration: Registration;
  unsubscribe(): void;
}

export interface HubStats {
  /** Subscriptions currently registered. */
  active: number;
  /** Values published (one per mutation root field × subscription field). */
  published: number;
  delivered: number;
  /** Payloads over 240 KB, not delivered (AppSync's InboundMessageError). */
  oversized: number;
  invalidated: number;
}

interface Subscriber extends SubscriptionHandle {
  filter: Matcher;
  invalidation: Matcher | undefined;
  sink: SubscriptionSink;
}

interface Group {
  shape: DeliveryShape;
  subscribers: Set<Subscriber>;
}

export class SubscriptionHub {
  private readonly fields = new Map<string, Map<string, Group>>();
  readonly stats: HubStats = { active: 0, published: 0, delivered: 0, oversized: 0, invalidated: 0 };

  constructor(private readonly onError: (error: unknown, context: string) => void = () => {}) {}

  subscribe(registration: Registration, sink: SubscriptionSink): SubscriptionHandle {
    let groups = this.fields.get(registration.field);
    if (!groups) this.fields.set(registration.field, (groups = new Map()));
    let group = groups.get(registration.shape.key);
    if (!group) groups.set(registration.shape.key, (group = { shape: registration.shape, subscribers: new Set() }));
    const members = group.subscribers;
    const stats = this.stats;
    const fields = this.fields;
    const key = registration.shape.key;
    const subscriber: Subscriber = {
      registration,
      filter: registration.filter,
      invalidation: registration.invalidation,
      sink,
      unsubscribe() {
        if (!members.delete(subscriber)) return;
        stats.active--;
        if (members.size === 0) {
          const current = fields.get(registration.field);
          if (current?.get(key)?.subscribers === members) current.delete(key);
          if (current?.size === 0) fields.delete(registration.field);
        }
      },
    };
    members.add(subscriber);
    stats.active++;
    return subscriber;
  }

  /** Publishes one mutation result to the given subscription fields; returns the number of deliveries. */
  publish(fields: string | readonly string[], value: unknown): number {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 0;
    const object = value as Record<string, unknown>;
    let count = 0;
    for (const field of typeof fields === 'string' ? [fields] : fields) {
      const groups = this.fields.get(field);
      this.stats.published++;
      if (!groups) continue;
      for (const group of groups.values()) count += this.deliverGroup(group, object);
    }
    this.stats.delivered += count;
    return count;
  }

  private deliverGroup(group: Group, value: Record<string, unknown>): number {
    let payload: string | undefined;
    let count = 0;
    for (const subscriber of group.subscribers) {
      let matches: boolean;
      try {
        matches = subscriber.filter(value);
      } catch (error) {
        this.onError(error, 'filter');
        continue;
      }
      if (!matches) continue;
      if (payload === undefined) {
        try {
          payload = group.shape.render(value);
        } catch (error) {
          this.onError(error, 'render');
          return count;
        }
        // Checked once per group; string length bounds the UTF-8 size from below, so most payloads skip the count.
        if (payload.length * 3 > MAX_PAYLOAD_BYTES && Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
          this.stats.oversized++;
          return count;
        }
      }
      subscriber.sink.deliver(payload);
      count++;
    }
    return count;
  }

  /** `extensions.invalidateSubscriptions`: removes the subscriptions whose invalidation filter matches. */
  invalidate(field: string, payload: Record<string, unknown>): number {
    const groups = this.fields.get(field);
    if (!groups) return 0;
    const hits: Subscriber[] = [];
    for (const group of groups.values()) {
      for (const subscriber of group.subscribers) {
        if (subscriber.invalidation?.(payload)) hits.push(subscriber);
      }
    }
    for (const subscriber of hits) {
      subscriber.unsubscribe();
      subscriber.sink.invalidated();
    }
    this.stats.invalidated += hits.length;
    return hits.length;
  }

  /** Number of distinct selections for a field: what a publish serializes at most. */
  groupCount(field: string): number {
    return this.fields.get(field)?.size ?? 0;
  }
}
