// AppSync's subscription semantics end to end: what a subscriber receives, and which mutations reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { appsyncConnection, mutate, type RawSocket, startRealtime, subscribe } from './helpers.js';

let server: SynclineServer;
let socket: RawSocket;
beforeAll(async () => {
  server = await startRealtime();
  socket = await appsyncConnection(server);
});
afterAll(async () => {
  socket.close();
  await server.close();
});

let n = 0;
const nextId = () => `sub-${++n}`;

async function listen(query: string, variables: Record<string, unknown> = {}) {
  const id = nextId();
  const ack = await subscribe(socket, server, id, query, variables);
  if (ack.type !== 'start_ack') throw new Error(JSON.stringify(ack));
  return {
    id,
    next: () => socket.next((f) => f.id === id && f.type === 'data'),
    quiet: () => socket.quiet((f) => f.id === id),
    stop: async () => {
      socket.send({ type: 'stop', id });
      await socket.next((f) => f.id === id && f.type === 'complete');
    },
  };
}

describe('the selection-set rule', () => {
  it('gives the subscriber its own selection, with null for fields the mutation did not select', async () => {
    const sub = await listen('subscription { onCreateOrder { id item quantity } }');
    await mutate(server, 'mutation { createOrder(id: "s1", item: "tea", quantity: 3) { id item } }');
    expect((await sub.next()).payload).toEqual({ data: { onCreateOrder: { id: 's1', item: 'tea', quantity: null } } });
    await sub.stop();
  });

  it('reports an error when a non-null field was not selected by the mutation', async () => {
    const sub = await listen('subscription { onStrict { id required } }');
    await mutate(server, 'mutation { createStrict(id: "x1", required: "r") { id } }');
    const { payload } = await sub.next();
    expect(payload.data).toEqual({ onStrict: null });
    expect(payload.errors[0].message).toMatch(/non-nullable field Strict\.required/);
    expect(payload.errors[0].path).toEqual(['onStrict', 'required']);
    await sub.stop();
  });

  it('drops fields the subscriber did not ask for, honours aliases, __typename and @include', async () => {
    const sub = await listen(
      'subscription ($q: Boolean!) { order: onCreateOrder { key: id __typename quantity @include(if: $q) } }',
      { q: false },
    );
    await mutate(server, 'mutation { createOrder(id: "s2", item: "tea", quantity: 3) { id item quantity } }');
    expect((await sub.next()).payload).toEqual({ data: { order: { key: 's2', __typename: 'Order' } } });
    await sub.stop();
  });

  it('passes AWS scalars and nested objects through as the mutation serialized them', async () => {
    const sub = await listen('subscription { onCreateOrder { id location { city } tags } }');
    await mutate(
      server,
      'mutation { createOrder(id: "s3", item: "t", city: "Porto", tags: ["a"]) { id location { city } tags } }',
    );
    expect((await sub.next()).payload.data.onCreateOrder).toEqual({
      id: 's3',
      location: { city: 'Porto' },
      tags: ['a'],
    });
    await sub.stop();
  });

  it('fires for every mutation listed in @aws_subscribe', async () => {
    const sub = await listen('subscription { onOrderChange { id status } }');
    await mutate(server, 'mutation { createOrder(id: "c", item: "t", status: "new") { id status } }');
    await mutate(server, 'mutation { updateOrder(id: "c", status: "paid") { id status } }');
    expect((await sub.next()).payload.data.onOrderChange).toEqual({ id: 'c', status: 'new' });
    expect((await sub.next()).payload.data.onOrderChange).toEqual({ id: 'c', status: 'paid' });
    await sub.stop();
  });

  it('publishes each aliased root field of one mutation request', async () => {
    const sub = await listen('subscription { onOrderChange { id } }');
    await mutate(server, 'mutation { a: updateOrder(id: "a1") { id } b: updateOrder(id: "b1") { id } }');
    expect((await sub.next()).payload.data.onOrderChange.id).toBe('a1');
    expect((await sub.next()).payload.data.onOrderChange.id).toBe('b1');
    await sub.stop();
  });
});

describe('argument filtering', () => {
  it('delivers only mutations whose selected top-level fields equal every argument', async () => {
    const sub = await listen('subscription ($i: String, $o: String) { onCreateOrder(item: $i, owner: $o) { id } }', {
      i: 'tea',
      o: 'ada',
    });
    await mutate(server, 'mutation { createOrder(id: "f1", item: "tea", owner: "bob") { id item owner } }');
    await mutate(server, 'mutation { createOrder(id: "f2", item: "tea", owner: "ada") { id item } }');
    await mutate(server, 'mutation { createOrder(id: "f3", item: "tea", owner: "ada") { id item owner } }');
    expect((await sub.next()).payload.data.onCreateOrder.id).toBe('f3');
    expect(await sub.quiet()).toBe(true);
    await sub.stop();
  });

  it('treats an explicit null argument as "field is null" and an unset variable as omitted', async () => {
    const onlyNull = await listen('subscription { onCreateOrder(owner: null) { id } }');
    const unset = await listen('subscription ($o: String) { onCreateOrder(owner: $o) { id } }');
    await mutate(server, 'mutation { createOrder(id: "n1", item: "t", owner: "ada") { id owner } }');
    await mutate(server, 'mutation { createOrder(id: "n2", item: "t") { id owner } }');
    expect((await onlyNull.next()).payload.data.onCreateOrder.id).toBe('n2');
    expect((await unset.next()).payload.data.onCreateOrder.id).toBe('n1');
    expect((await unset.next()).payload.data.onCreateOrder.id).toBe('n2');
    await onlyNull.stop();
    await unset.stop();
  });
});

describe('enhanced filters', () => {
  const filtered = (filter: unknown) =>
    listen('subscription ($f: AWSJSON!) { onFilteredOrder(filter: $f) { id } }', { f: JSON.stringify(filter) });

  it('applies a filterJsonObject set by the subscription resolver, replacing argument filtering', async () => {
    const sub = await filtered({
      filterGroup: [
        {
          filters: [
            { fieldName: 'quantity', operator: 'ge', value: 5 },
            { fieldName: 'tags', operator: 'containsAny', value: ['gift', 'rush'] },
          ],
        },
        { filters: [{ fieldName: 'location.city', operator: 'in', value: ['Porto', 'Faro'] }] },
      ],
    });
    const create = (id: string, extra: string) =>
      mutate(server, `mutation { createOrder(id: "${id}", item: "t"${extra}) { id quantity tags location { city } } }`);
    await create('e1', ', quantity: 9, tags: ["plain"]');
    await create('e2', ', quantity: 9, tags: ["rush"]');
    await create('e3', ', quantity: 1, city: "Lisbon"');
    await create('e4', ', quantity: 1, city: "Faro"');
    expect((await sub.next()).payload.data.onFilteredOrder.id).toBe('e2');
    expect((await sub.next()).payload.data.onFilteredOrder.id).toBe('e4');
    expect(await sub.quiet()).toBe(true);
    await sub.stop();
  });

  it('builds filters with util.transform.toSubscriptionFilter', async () => {
    const sub = await listen('subscription ($f: AWSJSON!) { onMatchingOrder(filter: $f) { id } }', {
      f: JSON.stringify({ or: [{ item: { beginsWith: 'green' } }, { quantity: { between: [10, 20] } }] }),
    });
    await mutate(server, 'mutation { createOrder(id: "t1", item: "black tea", quantity: 1) { id item quantity } }');
    await mutate(server, 'mutation { createOrder(id: "t2", item: "green tea", quantity: 1) { id item quantity } }');
    await mutate(server, 'mutation { createOrder(id: "t3", item: "black tea", quantity: 20) { id item quantity } }');
    expect((await sub.next()).payload.data.onMatchingOrder.id).toBe('t2');
    expect((await sub.next()).payload.data.onMatchingOrder.id).toBe('t3');
    await sub.stop();
  });

  it('rejects the subscription when the filter breaks a limit', async () => {
    const id = nextId();
    const tooMany = {
      filterGroup: [{ filters: [{ fieldName: 'quantity', operator: 'in', value: [1, 2, 3, 4, 5, 6] }] }],
    };
    const refused = await subscribe(
      socket,
      server,
      id,
      'subscription ($f: AWSJSON!) { onFilteredOrder(filter: $f) { id } }',
      {
        f: JSON.stringify(tooMany),
      },
    );
    expect(refused.type).toBe('error');
    expect(refused.payload.errors[0].message).toMatch(/6 values; the limit is 5|at most 5 values/);
  });
});

describe('invalidation', () => {
  it('unsubscribes the matching subscriptions, tells the client and closes its connection', async () => {
    const ada = await appsyncConnection(server);
    const bob = await appsyncConnection(server);
    const query =
      'subscription ($u: ID!, $g: ID!) { onGroupMessageCreated(userId: $u, groupId: $g) { userId message } }';
    expect((await subscribe(ada, server, 'ada', query, { u: 'ada', g: 'g1' })).type).toBe('start_ack');
    expect((await subscribe(bob, server, 'bob', query, { u: 'bob', g: 'g1' })).type).toBe('start_ack');
    const before = server.realtime.hub.stats.invalidated;
    await mutate(server, 'mutation { removeUserFromGroup(userId: "ada", groupId: "g1") { userId } }');
    expect(await ada.next()).toEqual({ type: 'complete', id: 'ada', payload: { message: 'Subscription complete.' } });
    expect((await ada.closed).reason).toBe('Subscription invalidated');
    expect(server.realtime.hub.stats.invalidated).toBe(before + 1);
    await mutate(
      server,
      'mutation { createGroupMessage(userId: "bob", groupId: "g1", message: "hi") { userId groupId message } }',
    );
    expect((await bob.next()).payload.data.onGroupMessageCreated).toEqual({ userId: 'bob', message: 'hi' });
    bob.close();
  });
});
