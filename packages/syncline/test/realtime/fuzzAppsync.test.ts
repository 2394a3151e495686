// Fuzzing AppSync's realtime protocol (realtime/protocols/appsync.ts) with hostile frame sequences: non-JSON,
// wrong types, unknown message types, huge payloads, bad authorization header objects, start before
// connection_init, binary frames. Every frame the server sends back must be one of the protocol's messages with
// AppSync-shaped errors, a close must carry a protocol code, and afterwards the server must still serve a
// subscription end to end. A few seconds by default; FUZZ_SECONDS=<n> runs longer.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SynclineServer } from '../../src/index.js';
import { API_KEY, appsyncConnection, authHeader, b64url, mutate, startRealtime, subscribe } from './helpers.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 4);
let server: SynclineServer;

beforeAll(async () => {
  server = await startRealtime({ maxFrameBytes: 256 * 1024 });
});
afterAll(() => server?.close());

const SERVER_TYPES = new Set(['connection_ack', 'ka', 'start_ack', 'data', 'error', 'complete', 'connection_error']);
const CLOSE_CODES = new Set([1000, 1005, 1006, 1008, 1009]);

const QUERIES = [
  'subscription { onCreateOrder { id } }',
  'subscription { onCreateOrder(item: "x") { id item location { city } } }',
  'subscription ($f: AWSJSON!) { onFilteredOrder(filter: $f) { id } }',
  'query { none }',
  'mutation { createOrder(item: "fuzz") { id } }',
  '{ ',
  `subscription { onCreateOrder { ${'location { city } '.repeat(50)} } }`,
];

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant('valid'),
  fc.dictionary(
    fc.constantFrom('host', 'x-api-key', 'Authorization', 'x-amz-date', '__proto__', 'constructor'),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

const startPayload = fc.oneof(
  fc.record({
    data: fc.oneof(
      fc
        .record({ query: fc.constantFrom(...QUERIES), variables: fc.option(fc.jsonValue({ maxDepth: 3 })) })
        .map((d) => JSON.stringify(d)),
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    extensions: fc.option(fc.record({ authorization })),
  }),
  fc.jsonValue({ maxDepth: 3 }),
);

const frame = fc.oneof(
  fc.constant(JSON.stringify({ type: 'connection_init' })),
  fc
    .record({
      type: fc.constant('start'),
      id: fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })),
      payload: startPayload,
    })
    .map((f) => JSON.stringify(f)),
  fc
    .record({ type: fc.constant('stop'), id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()) })
    .map((f) => JSON.stringify(f)),
  fc
    .record({ type: fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })), id: fc.option(fc.string()) })
    .map((f) => JSON.stringify(f)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc
    .integer({ min: 200_000, max: 400_000 })
    .map((n) => JSON.stringify({ type: 'start', id: 'big', payload: { data: 'x'.repeat(n) } })),
  fc.uint8Array({ maxLength: 64 }),
);

const handshake = fc.oneof(
  fc.constant('valid'),
  fc.constant('none'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => `header-${b64url(v)}`),
  fc.string({ maxLength: 40 }).map((s) => `header-${s.replace(/[^A-Za-z0-9_-]/g, '')}`),
);

async function run(hs: string, frames: (string | Uint8Array)[]) {
  const valid = authHeader(server);
  const protocols = ['graphql-ws'];
  if (hs === 'valid') protocols.push(`header-${b64url(valid)}`);
  else if (hs !== 'none') protocols.push(hs);
  const ws = new WebSocket(
    server.endpoints.realtime!,
    protocols.filter((p) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(p)),
    {
      headers: hs === 'none' ? { 'x-api-key': API_KEY } : {},
    },
  );
  const received: string[] = [];
  let closeCode: number | undefined;
  ws.on('message', (data) => received.push(data.toString()));
  const closed = new Promise<void>((ok) =>
    ws.on('close', (code) => {
      closeCode = code;
      ok();
    }),
  );
  ws.on('error', () => {});
  const opened = await new Promise<boolean>((ok) => {
    ws.once('open', () => ok(true));
    ws.once('unexpected-response', () => ok(false));
    ws.once('error', () => ok(false));
  });
  if (!opened) return;
  for (const f of frames) {
    if (ws.readyState !== WebSocket.OPEN) break;
    ws.send(typeof f === 'string' ? f.replace(/"valid"/g, JSON.stringify(valid)) : f);
  }
  await Promise.race([closed, new Promise((ok) => setTimeout(ok, 60))]);
  ws.terminate();
  await closed;
  for (const text of received) {
    const message = JSON.parse(text);
    expect(SERVER_TYPES.has(message.type)).toBe(true);
    if (message.type === 'error' || message.type === 'connection_error') {
      expect(Array.isArray(message.payload.errors)).toBe(true);
      for (const e of message.payload.errors) {
        expect(typeof e.message).toBe('string');
        expect(e.errorType === undefined || e.errorType === null || typeof e.errorType === 'string').toBe(true);
      }
    }
  }
  if (closeCode !== undefined) expect(CLOSE_CODES.has(closeCode)).toBe(true);
}

describe('fuzz: AppSync realtime protocol', () => {
  it(
    `answers hostile frames with protocol messages or a clean close, for ${SECONDS}s`,
    async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(handshake, fc.array(frame, { maxLength: 8 }), async (hs, frames) => {
          cases++;
          await run(hs, frames);
        }),
        { numRuns: 1_000_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
      );
      expect(cases).toBeGreaterThan(0);
      if (process.env.FUZZ_SECONDS) console.info(`appsync frames: ${cases} connections in ${SECONDS}s`);

      // The server still serves another client end to end.
      const socket = await appsyncConnection(server);
      expect(
        (await subscribe(socket, server, 'after', 'subscription { onCreateOrder(item: "after") { id } }')).type,
      ).toBe('start_ack');
      await mutate(server, 'mutation { createOrder(id: "z", item: "after") { id item } }');
      expect((await socket.next((f) => f.type === 'data')).payload).toEqual({ data: { onCreateOrder: { id: 'z' } } });
      socket.close();
    },
    60_000 + SECONDS * 2000,
  );
});
