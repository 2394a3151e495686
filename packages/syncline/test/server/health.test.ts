// The health capability, added through the capability interface: `/health` for liveness, `/ready` asking every
// capability's health hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPubSub } from '../../src/cluster/index.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const pubsub = createMemoryPubSub();
let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('streams-functions'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    pubsub,
  });
});
afterAll(() => server?.close());

const get = async (path: string, method = 'GET') => {
  const res = await fetch(`${server.endpoints.http}${path}`, { method });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('health', () => {
  it('answers /health while the process serves', async () => {
    const res = await get('/health');
    expect(res).toEqual({ status: 200, type: 'application/json', text: '{"status":"ok"}' });
    expect(await get('/health', 'HEAD')).toEqual({ status: 200, type: 'application/json', text: '' });
  });

  it('answers /ready with every capability that reports, ready when all are', async () => {
    // Ready once the triggered functions' first instances are up (prewarm), not before.
    let res = await get('/ready');
    const end = Date.now() + 15_000;
    while (res.status === 503 && JSON.parse(res.text).checks.functions?.ready === false && Date.now() < end) {
      expect(JSON.parse(res.text).checks.functions.detail).toBe('starting the triggered functions');
      await new Promise((r) => setTimeout(r, 50));
      res = await get('/ready');
    }
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks)).toEqual(['tables', 'functions', 'realtime', 'streams']);
    expect(body.checks.tables).toEqual({ ready: true });
    expect(body.checks.functions).toMatchObject({ ready: true, metrics: { functions: 2 } });
    expect(body.checks.streams.metrics).toEqual({ streamMappings: 2 });
  });

  it('is not ready, with 503 and the reason, when the pub/sub link is down', async () => {
    await pubsub.close();
    const res = await get('/ready');
    expect(res.status).toBe(503);
    const body = JSON.parse(res.text);
    expect(body.status).toBe('not ready');
    expect(body.checks.realtime).toMatchObject({ ready: false });
    expect(body.checks.tables.ready).toBe(true);
  });

  it('leaves other methods and paths to the rest of the server', async () => {
    expect((await get('/health', 'POST')).status).toBe(404);
    expect((await get('/healthz')).status).toBe(404);
  });
});
