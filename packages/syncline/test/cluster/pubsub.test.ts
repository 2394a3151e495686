// Cluster fan-out over real brokers on loopback: three nodes of one app, subscribers on one node, mutations over
// HTTP on another. The shared Redis (6379) and NATS (4222) carry the ordinary cases; the restart cases run a
// private broker that the test kills with SIGKILL and starts again.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { appsyncConnection, mutate, type RawSocket, subscribe } from '../realtime/helpers.js';
import { capturedLog, type Node, PrivateBroker, startNodes, until } from './pubsubNodes.js';

const CREATE = 'mutation ($id: ID, $item: String!) { createOrder(id: $id, item: $item) { id item quantity owner } }';
const ON_CREATE = 'subscription ($item: String) { onCreateOrder(item: $item) { id item } }';

const sockets: RawSocket[] = [];
let running: Node[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(running.map((n) => n.server.close()));
  running = [];
});

async function nodes(count: number, pubsub: string) {
  running = await startNodes(count, pubsub);
  return running;
}

async function connect(node: Node) {
  const socket = await appsyncConnection(node.server);
  sockets.push(socket);
  return socket;
}

const dataFor = (id: string) => (f: any) => f.type === 'data' && f.id === id;

for (const [broker, url] of [
  ['Redis', 'redis://127.0.0.1:6379'],
  ['NATS', 'nats://127.0.0.1:4222'],
] as const) {
  describe(`cluster fan-out over ${broker}`, () => {
    it('a subscriber on node A receives a mutation made over HTTP on node B, once, and so does every node', async () => {
      const [a, b, c] = await nodes(3, url);
      const subscribers = await Promise.all([a!, b!, c!].map(connect));
      for (const [i, node] of [a!, b!, c!].entries()) {
        expect((await subscribe(subscribers[i]!, node.server, 's', ON_CREATE)).type).toBe('start_ack');
      }
      const res = await mutate(b!.server, CREATE, { id: 'o1', item: 'tea' });
      expect(res.body.errors).toBeUndefined();
      for (const socket of subscribers) {
        const frame = await socket.next(dataFor('s'));
        expect(frame.payload.data).toEqual({ onCreateOrder: { id: 'o1', item: 'tea' } });
      }
      // The origin delivered locally and skipped its own echo; the others got it once from the broker.
      for (const socket of subscribers) expect(await socket.quiet(dataFor('s'), 300)).toBe(true);
      expect(b!.server.cluster.state()).toMatchObject({
        adapter: broker.toLowerCase(),
        state: 'connected',
        published: 1,
      });
      expect(a!.server.cluster.state()).toMatchObject({ received: 1, published: 0 });
      expect(b!.server.realtime.hub.stats.delivered + a!.server.realtime.hub.stats.delivered).toBe(2);
    });

    it('argument and enhanced filters apply per subscriber on the receiving node', async () => {
      const [a, b, c] = await nodes(3, url);
      const onA = await connect(a!);
      const onC = await connect(c!);
      await subscribe(onA, a!.server, 'tea', ON_CREATE, { item: 'tea' });
      await subscribe(onC, c!.server, 'coffee', ON_CREATE, { item: 'coffee' });
      const filter = JSON.stringify({
        filterGroup: [{ filters: [{ fieldName: 'item', operator: 'beginsWith', value: 'cof' }] }],
      });
      await subscribe(
        onA,
        a!.server,
        'enhanced',
        'subscription ($f: AWSJSON!) { onFilteredOrder(filter: $f) { id item } }',
        {
          f: filter,
        },
      );
      await mutate(b!.server, CREATE, { id: 'o1', item: 'tea' });
      await mutate(b!.server, CREATE, { id: 'o2', item: 'coffee' });
      expect((await onA.next(dataFor('tea'))).payload.data.onCreateOrder.id).toBe('o1');
      expect((await onC.next(dataFor('coffee'))).payload.data.onCreateOrder.id).toBe('o2');
      expect((await onA.next(dataFor('enhanced'))).payload.data.onFilteredOrder.id).toBe('o2');
      expect(await onA.quiet((f) => f.type === 'data', 300)).toBe(true);
      expect(await onC.quiet((f) => f.type === 'data', 100)).toBe(true);
    });

    it('an invalidation on node B ends the matching subscription on node A', async () => {
      const [a, b] = await nodes(2, url);
      const socket = await connect(a!);
      const query =
        'subscription ($u: ID!, $g: ID!) { onGroupMessageCreated(userId: $u, groupId: $g) { userId groupId message } }';
      expect((await subscribe(socket, a!.server, 'g', query, { u: 'u1', g: 'g1' })).type).toBe('start_ack');
      const res = await mutate(b!.server, 'mutation { removeUserFromGroup(userId: "u1", groupId: "g1") { userId } }');
      expect(res.body.errors).toBeUndefined();
      const complete = await socket.next((f) => f.type === 'complete' && f.id === 'g');
      expect(complete.payload).toEqual({ message: 'Subscription complete.' });
      expect(a!.server.realtime.hub.stats.invalidated).toBe(1);
    });

    it('nodes of another namespace on the same broker hear nothing', async () => {
      const [a, b] = await nodes(2, url);
      const { logger } = capturedLog();
      const other = await createServer({
        dir: fixtureApp('realtime'),
        port: 0,
        data: ':memory:',
        log: logger,
        pubsub: `${url}?namespace=staging`,
      });
      running.push({ server: other, lines: [] });
      const mine = await connect(a!);
      const theirs = await connect(running[2]!);
      await subscribe(mine, a!.server, 's', ON_CREATE);
      await subscribe(theirs, other, 's', ON_CREATE);
      await mutate(b!.server, CREATE, { id: 'o1', item: 'tea' });
      await mine.next(dataFor('s'));
      expect(await theirs.quiet(dataFor('s'), 300)).toBe(true);
      expect(a!.server.cluster.state().channel).toBe('syncline.realtime.mutations');
      expect(other.cluster.state().channel).toBe('syncline.staging.mutations');
    });
  });
}

// Each case kills its own broker with SIGKILL mid-run: nodes report the loss, keep serving their own
// subscribers, drop (and count) what they publish meanwhile, and fan out again once the broker is back.
for (const [broker, make, scheme] of [
  ['Redis', PrivateBroker.redis, 'redis'],
  ['NATS', PrivateBroker.nats, 'nats'],
] as const) {
  describe(`a ${broker} restart`, () => {
    const server = make(scheme === 'redis' ? 6390 : 4232);
    beforeAll(() => server.start());
    afterAll(() => server.kill());

    it('is survived: the loss and the recovery are logged and counted, and delivery resumes', async () => {
      const [a, b] = await nodes(2, `${scheme}://127.0.0.1:${server.port}`);
      const onA = await connect(a!);
      const onB = await connect(b!);
      await subscribe(onA, a!.server, 's', ON_CREATE);
      await subscribe(onB, b!.server, 's', ON_CREATE);
      await mutate(b!.server, CREATE, { id: 'before', item: 'tea' });
      expect((await onA.next(dataFor('s'))).payload.data.onCreateOrder.id).toBe('before');
      await onB.next(dataFor('s'));

      await server.kill();
      await until(
        () => [a!, b!].every((n) => n.server.cluster.state().state === 'disconnected'),
        'both nodes see the loss',
      );
      for (const node of [a!, b!]) {
        expect(node.lines.some((l) => l.level === 40 && /lost the pub\/sub broker/.test(l.msg))).toBe(true);
      }
      // While the broker is down the origin's own subscribers still get the mutation; the other node does not.
      await mutate(b!.server, CREATE, { id: 'during', item: 'tea' });
      expect((await onB.next(dataFor('s'))).payload.data.onCreateOrder.id).toBe('during');
      expect(b!.server.cluster.state().dropped).toBe(1);

      await server.start();
      await until(
        () => [a!, b!].every((n) => n.server.cluster.state().state === 'connected'),
        'both nodes reconnect',
        15_000,
      );
      for (const node of [a!, b!]) {
        expect(node.server.cluster.state()).toMatchObject({ disconnects: 1, reconnects: 1 });
        expect(node.lines.some((l) => l.level === 30 && /pub\/sub broker back after \d+ ms/.test(l.msg))).toBe(true);
      }
      await mutate(b!.server, CREATE, { id: 'after', item: 'tea' });
      expect((await onA.next(dataFor('s'))).payload.data.onCreateOrder.id).toBe('after');
      expect((await onB.next(dataFor('s'))).payload.data.onCreateOrder.id).toBe('after');
      // 'during' was never fanned out and is not replayed late.
      expect(await onA.quiet(dataFor('s'), 300)).toBe(true);
    });
  });
}

describe('a Redis CLIENT KILL of the subscriber connections', () => {
  const server = PrivateBroker.redis(6391);
  beforeAll(() => server.start());
  afterAll(() => server.kill());

  it('is survived: the node subscribes again before it reports itself connected', async () => {
    const [a, b] = await nodes(2, `redis://127.0.0.1:${server.port}`);
    const onA = await connect(a!);
    await subscribe(onA, a!.server, 's', ON_CREATE);
    execFileSync('redis-cli', ['-p', String(server.port), 'CLIENT', 'KILL', 'TYPE', 'pubsub']);
    await until(() => a!.server.cluster.state().reconnects === 1, 'node A reconnects');
    expect(a!.server.cluster.state()).toMatchObject({ state: 'connected', disconnects: 1 });
    expect(a!.lines.some((l) => l.level === 40 && /lost the pub\/sub broker/.test(l.msg))).toBe(true);
    await mutate(b!.server, CREATE, { id: 'after', item: 'tea' });
    expect((await onA.next(dataFor('s'))).payload.data.onCreateOrder.id).toBe('after');
  });
});
