// Choosing the pub/sub adapter: the in-memory default, URLs that are refused before anything starts, a broker
// that does not answer at start, and the CLI's `--pubsub` / SYNCLINE_PUBSUB_URL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BrokerUnreachableError,
  ClusterConfigError,
  createMemoryPubSub,
  MemoryBus,
  parsePubSubUrl,
} from '../../src/cluster/index.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { appsyncConnection, mutate, type RawSocket, subscribe } from '../realtime/helpers.js';

const BIN = fileURLToPath(new URL('../../bin/syncline.js', import.meta.url));
const servers: SynclineServer[] = [];
const sockets: RawSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const start = async (pubsub?: Parameters<typeof createServer>[0]['pubsub']) => {
  const server = await createServer({ dir: fixtureApp('realtime'), port: 0, data: ':memory:', log: 'silent', pubsub });
  servers.push(server);
  return server;
};

describe('pub/sub selection', () => {
  it('defaults to a private in-memory bus that publishes nothing', async () => {
    const server = await start();
    const socket = await appsyncConnection(server);
    sockets.push(socket);
    await subscribe(socket, server, 's', 'subscription { onCreateOrder { id } }');
    await mutate(server, 'mutation { createOrder(id: "m1", item: "tea") { id } }');
    expect((await socket.next()).payload.data.onCreateOrder.id).toBe('m1');
    expect(server.cluster.state()).toMatchObject({ adapter: 'memory', state: 'connected', published: 0, dropped: 0 });
  });

  it('fans out between servers sharing one MemoryBus in a process', async () => {
    const bus = new MemoryBus();
    const a = await start(createMemoryPubSub({ bus }));
    const b = await start(createMemoryPubSub({ bus }));
    const socket = await appsyncConnection(a);
    sockets.push(socket);
    await subscribe(socket, a, 's', 'subscription { onCreateOrder { id } }');
    await mutate(b, 'mutation { createOrder(id: "m2", item: "tea") { id } }');
    expect((await socket.next()).payload.data.onCreateOrder.id).toBe('m2');
    expect(await socket.quiet()).toBe(true);
    expect(b.cluster.state().published).toBe(1);
    expect(a.cluster.state().received).toBe(1);
  });

  it('reads redis, nats (several servers) and a namespace from the URL, and masks passwords', () => {
    expect(parsePubSubUrl('redis://:secret@10.0.0.5:6379/0?namespace=prod')).toEqual({
      kind: 'redis',
      url: 'redis://:secret@10.0.0.5:6379/0',
      display: 'redis://:***@10.0.0.5:6379/0',
      namespace: 'prod',
    });
    expect(parsePubSubUrl('nats://a:4222,nats://b:4222')).toMatchObject({
      kind: 'nats',
      servers: ['nats://a:4222', 'nats://b:4222'],
    });
    expect(parsePubSubUrl('memory')).toEqual({ kind: 'memory' });
  });

  it.each([
    ['kafka://127.0.0.1:9092', /unsupported pub\/sub URL 'kafka:\/\/127.0.0.1:9092'/],
    ['127.0.0.1:6379', /invalid pub\/sub URL '127.0.0.1:6379'/],
    ['not a url', /invalid pub\/sub URL 'not a url'/],
    ['redis://a:6379,redis://b:6379', /a Redis pub\/sub URL names one server/],
    ['nats://127.0.0.1:4222?namespace=a.b', /namespace is 1 to 64 letters/],
  ])('refuses %s with a ClusterConfigError before the app starts', async (url, message) => {
    const failure = start(url);
    await expect(failure).rejects.toBeInstanceOf(ClusterConfigError);
    await expect(failure).rejects.toThrow(message);
  });

  it.each([['redis://127.0.0.1:6393'], ['nats://127.0.0.1:4293']])(
    'does not start when the broker at %s does not answer',
    async (url) => {
      await expect(start(url)).rejects.toThrow(BrokerUnreachableError);
      await expect(start(url)).rejects.toThrow(`cannot reach the pub/sub broker at ${url}`);
    },
  );
});

describe('syncline start --pubsub', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [BIN, 'start', fixtureApp('realtime'), '--port', '0', '--data', ':memory:', ...args],
        {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      child.on('exit', (code) => resolve({ code, err }));
    });

  it('exits non-zero with a readable message for a bad scheme', async () => {
    const { code, err } = await run(['--pubsub', 'amqp://127.0.0.1']);
    expect(code).toBe(1);
    expect(err).toMatch(/syncline: cannot start .*\nunsupported pub\/sub URL 'amqp:\/\/127.0.0.1'/);
  });

  it('reads SYNCLINE_PUBSUB_URL when --pubsub is not given', async () => {
    const { code, err } = await run([], { SYNCLINE_PUBSUB_URL: 'redis://127.0.0.1:6394' });
    expect(code).toBe(1);
    expect(err).toMatch(/BrokerUnreachableError: cannot reach the pub\/sub broker at redis:\/\/127.0.0.1:6394/);
  });
});
