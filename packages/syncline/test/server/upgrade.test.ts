// The one upgrade dispatcher: WebSocket upgrades by path and subprotocol, 404 before any handshake otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SynclineServer } from '../../src/index.js';
import { startFixture } from '../helpers/server.js';

let withApi: SynclineServer;
let withoutApi: SynclineServer;
beforeAll(async () => {
  withApi = await startFixture('realtime');
  withoutApi = await startFixture('streams-functions');
});
afterAll(async () => {
  await withApi?.close();
  await withoutApi?.close();
});

/** Resolves with the negotiated subprotocol, or the HTTP status the upgrade was refused with. */
function upgrade(server: SynclineServer, path: string, protocols: string[]) {
  const url = `${server.endpoints.http.replace('http', 'ws')}${path}`;
  return new Promise<{ protocol?: string; status?: number }>((ok, fail) => {
    const ws = new WebSocket(url, protocols);
    ws.on('open', () => {
      ok({ protocol: ws.protocol });
      ws.terminate();
    });
    ws.on('unexpected-response', (_req, res) => ok({ status: res.statusCode }));
    ws.on('error', fail);
  });
}

describe('WebSocket upgrades', () => {
  it('serves AppSync realtime and graphql-ws at the realtime paths, by subprotocol', async () => {
    expect(await upgrade(withApi, '/graphql/realtime', ['graphql-ws'])).toEqual({ protocol: 'graphql-ws' });
    expect(await upgrade(withApi, '/graphql', ['graphql-transport-ws'])).toEqual({ protocol: 'graphql-transport-ws' });
    // Amplify given a root endpoint asks for `//realtime`.
    expect(await upgrade(withApi, '//realtime/', ['graphql-ws'])).toEqual({ protocol: 'graphql-ws' });
  });

  it('refuses other paths, and every path of an app without a GraphQL API, with 404', async () => {
    expect(await upgrade(withApi, '/elsewhere', ['graphql-ws'])).toEqual({ status: 404 });
    expect(await upgrade(withoutApi, '/graphql/realtime', ['graphql-ws'])).toEqual({ status: 404 });
  });
});
