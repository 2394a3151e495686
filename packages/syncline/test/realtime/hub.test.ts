import { describe, expect, it } from 'vitest';
import type { DeliveryShape } from '../../src/graphql/subscriptions.js';
import { argumentMatcher, compileFilter, matchAll } from '../../src/realtime/filters.js';
import { MAX_PAYLOAD_BYTES, SubscriptionHub, type SubscriptionSink } from '../../src/realtime/hub.js';

function countingShape(key: string) {
  const shape = {
    key,
    renders: 0,
    render(value: unknown) {
      shape.renders++;
      return JSON.stringify({ data: { onX: value } });
    },
  };
  return shape satisfies DeliveryShape;
}

function sink() {
  const s = { payloads: [] as string[], invalidations: 0 } as SubscriptionSink & {
    payloads: string[];
    invalidations: number;
  };
  s.deliver = (p) => s.payloads.push(p);
  s.invalidated = () => s.invalidations++;
  return s;
}

describe('SubscriptionHub', () => {
  it('renders a payload once per selection and hands the same string to every matching subscriber', () => {
    const hub = new SubscriptionHub();
    const a = countingShape('a');
    const b = countingShape('b');
    const sinks = Array.from({ length: 50 }, () => sink());
    for (const [i, s] of sinks.entries()) hub.subscribe({ field: 'onX', shape: i % 2 ? a : b, filter: matchAll }, s);
    expect(hub.groupCount('onX')).toBe(2);
    expect(hub.publish('onX', { id: '1' })).toBe(50);
    expect(a.renders).toBe(1);
    expect(b.renders).toBe(1);
    expect(new Set(sinks.map((s) => s.payloads[0])).size).toBe(1);
  });

  it('does not render for a selection none of whose subscribers match', () => {
    const hub = new SubscriptionHub();
    const shape = countingShape('a');
    const s = sink();
    hub.subscribe({ field: 'onX', shape, filter: argumentMatcher({ id: '2' }) }, s);
    expect(hub.publish(['onX', 'onY'], { id: '1' })).toBe(0);
    expect(shape.renders).toBe(0);
    expect(hub.stats.published).toBe(2);
  });

  it('drops payloads over 240 KB and counts them', () => {
    const hub = new SubscriptionHub();
    const s = sink();
    hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll }, s);
    expect(hub.publish('onX', { note: 'x'.repeat(MAX_PAYLOAD_BYTES) })).toBe(0);
    expect(hub.stats.oversized).toBe(1);
    // Multi-byte characters count by their UTF-8 size.
    expect(hub.publish('onX', { note: 'é'.repeat(MAX_PAYLOAD_BYTES / 2) })).toBe(0);
    expect(hub.stats.oversized).toBe(2);
    expect(hub.publish('onX', { note: 'x'.repeat(1000) })).toBe(1);
  });

  it('ignores null and list values', () => {
    const hub = new SubscriptionHub();
    const s = sink();
    hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll }, s);
    expect(hub.publish('onX', null)).toBe(0);
    expect(hub.publish('onX', [{ id: 1 }])).toBe(0);
  });

  it('unsubscribes, and forgets empty selections', () => {
    const hub = new SubscriptionHub();
    const handle = hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll }, sink());
    expect(hub.stats.active).toBe(1);
    handle.unsubscribe();
    handle.unsubscribe();
    expect(hub.stats.active).toBe(0);
    expect(hub.groupCount('onX')).toBe(0);
  });

  it('invalidates only the subscriptions whose invalidation filter matches the payload', () => {
    const hub = new SubscriptionHub();
    const inv = (userId: string) =>
      compileFilter({ filterGroup: [{ filters: [{ fieldName: 'userId', operator: 'eq', value: userId }] }] });
    const u1 = sink();
    const u2 = sink();
    const none = sink();
    hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll, invalidation: inv('u1') }, u1);
    hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll, invalidation: inv('u2') }, u2);
    hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll }, none);
    expect(hub.invalidate('onX', { userId: 'u1' })).toBe(1);
    expect([u1.invalidations, u2.invalidations, none.invalidations]).toEqual([1, 0, 0]);
    expect(hub.publish('onX', { id: 1 })).toBe(2);
    expect(u1.payloads).toEqual([]);
  });

  it('keeps delivering to others when a filter throws', () => {
    const errors: string[] = [];
    const hub = new SubscriptionHub((_e, stage) => errors.push(stage));
    const ok = sink();
    hub.subscribe(
      {
        field: 'onX',
        shape: countingShape('a'),
        filter: () => {
          throw new Error('boom');
        },
      },
      sink(),
    );
    hub.subscribe({ field: 'onX', shape: countingShape('a'), filter: matchAll }, ok);
    expect(hub.publish('onX', { id: 1 })).toBe(1);
    expect(errors).toEqual(['filter']);
  });
});
