// Functions triggered by routes, streams and schedules, behind Lambda data sources, and Lambda authorizers are
// started at load: their first event is warm.
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { warmFunctionNames } from '../../src/server/functions.js';
import { fixtureApp } from '../helpers/server.js';

const servers: SynclineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(prewarm: boolean) {
  process.env.SYNCLINE_TEST_GREETING ??= 'world';
  const server = await createServer({
    dir: fixtureApp('functions'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    functions: { prewarm },
  });
  servers.push(server);
  return server;
}

/** /ready answers 200 once the prewarmed instances are up. */
async function ready(server: SynclineServer) {
  const end = Date.now() + 20_000;
  while ((await fetch(`${server.endpoints.http}/ready`)).status !== 200) {
    if (Date.now() > end) throw new Error('never ready');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function firstRequest(server: SynclineServer) {
  const started = performance.now();
  const res = await fetch(`${server.endpoints.http}/counter`);
  const ms = performance.now() - started;
  expect(res.status).toBe(200);
  return ms;
}

describe('prewarm', () => {
  it('starts an instance of each triggered function at load (/ready waits for them), so the first request is warm', async () => {
    const server = await start(true);
    await ready(server);
    const ms = await firstRequest(server);
    expect(server.functions.stats('counter')).toMatchObject({ coldStarts: 0, invocations: 1, instances: 1 });
    console.log(`first request, prewarmed: ${ms.toFixed(1)} ms`);
  });

  it('an event arriving while the instance is starting waits for it rather than starting another', async () => {
    const server = await start(true);
    const ms = await firstRequest(server);
    expect(server.functions.stats('counter')).toMatchObject({ coldStarts: 0, instances: 1 });
    console.log(`first request, right after start: ${ms.toFixed(1)} ms`);
  });

  it('without it, the first request starts the function (for comparison)', async () => {
    const server = await start(false);
    await ready(server);
    expect(server.functions.stats('counter').instances).toBe(0);
    const ms = await firstRequest(server);
    expect(server.functions.stats('counter')).toMatchObject({ coldStarts: 1, instances: 1 });
    console.log(`first request, cold: ${ms.toFixed(1)} ms`);
  });
});

describe('which functions are warmed', () => {
  it('includes the functions behind Lambda data sources, so the first query resolving through one is warm', async () => {
    const app = await loadApp(fixtureApp('functions-graphql'), { data: ':memory:' });
    expect(warmFunctionNames(app).sort()).toEqual(
      ['authors', 'callApi', 'direct', 'directWriters', 'resolve', 'writers'].sort(),
    );
  });

  it('includes a Lambda authorizer, which every request in that mode waits on', async () => {
    const app = await loadApp(fixtureApp('auth-lambda'), { data: ':memory:' });
    expect(warmFunctionNames(app)).toEqual(['authorizer']);
  });

  it('a query through a Lambda data source is served by the prewarmed instance', async () => {
    const server = await createServer({
      dir: fixtureApp('functions-graphql'),
      port: 0,
      data: ':memory:',
      log: 'silent',
    });
    servers.push(server);
    await ready(server);
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
      body: JSON.stringify({ query: '{ post(id: "1") { id } }' }),
    });
    expect(res.status).toBe(200);
    expect(server.functions.stats('direct')).toMatchObject({ coldStarts: 0, invocations: 1 });
  });
});
