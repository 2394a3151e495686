// A graphql-ws subscriber with the app's API key, for end-to-end tests: resolves once the server counts the
// subscription as active, collects every message, and waits for one that matches.
import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { SynclineServer } from '../../src/index.js';

export interface Subscriber {
  received: unknown[];
  /** Resolves when a message whose JSON contains `text` has arrived; rejects after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

export async function subscribe(server: SynclineServer, query: string): Promise<Subscriber> {
  const client = createClient({
    url: server.endpoints.realtime!,
    webSocketImpl: WebSocket,
    connectionParams: { 'x-api-key': server.apiKey! },
    retryAttempts: 0,
  });
  const received: unknown[] = [];
  const before = server.realtime.hub.stats.active;
  const stop = client.subscribe(
    { query },
    { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => {} },
  );
  await until(() => server.realtime.hub.stats.active === before + 1);
  return {
    received,
    waitFor: (text, timeoutMs) => until(() => received.some((r) => JSON.stringify(r).includes(text)), timeoutMs),
    async close() {
      stop();
      await client.dispose();
    },
  };
}
