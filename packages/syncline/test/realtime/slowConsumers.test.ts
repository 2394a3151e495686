// Slow consumers under a contended CPU: subscribers that never read must be dropped, and the bytes queued for each
// of them anywhere between the server's send call and the peer's read (ws, libuv, TLS, both kernels' socket
// buffers) must stay under the cap. Measured with the sockets' own counters: the server socket's bytesWritten
// minus the client socket's bytesRead.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { API_KEY, appsyncConnection, mutate, startRealtime, subscribe } from './helpers.js';

const CAP = 512 * 1024;
const NOTE = 'n'.repeat(16 * 1024);
// A frame carries the note plus the envelope; what a connection may hold beyond the cap is at most the handshake.
const SLACK = 4 * 1024;

function maskedText(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

/** An AppSync-protocol subscriber on a raw TCP socket that stops reading once its subscription is acknowledged. */
async function pausedSubscriber(server: SynclineServer, id: string): Promise<Socket> {
  const url = new URL(server.endpoints.http);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise((ok) => socket.once('connect', ok));
  let seen = '';
  const acked = new Promise<void>((ok) =>
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      if (seen.includes('"start_ack"')) ok();
    }),
  );
  socket.write(
    'GET /graphql/realtime HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Protocol: graphql-ws\r\nx-api-key: ${API_KEY}\r\n\r\n`,
  );
  socket.write(maskedText(JSON.stringify({ type: 'connection_init' })));
  const query = 'subscription { onCreateOrder(item: "bulk") { note } }';
  socket.write(maskedText(JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query }) } })));
  await acked;
  socket.pause();
  socket.removeAllListeners('data');
  return socket;
}

/** The server side of `client`: the accepted socket in this process whose remote port is the client's. */
function serverSideOf(client: Socket): Socket | undefined {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.find(
    (h): h is Socket => h instanceof Socket && h !== client && h.remotePort === client.localPort && !h.destroyed,
  );
}

let busy: ChildProcess[] = [];
beforeAll(() => {
  // Contend the CPU as a loaded machine does: one busy loop per core, beside the server.
  busy = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
});
afterAll(() => {
  for (const child of busy) child.kill('SIGKILL');
});

describe('slow consumers with the CPU contended', () => {
  it('drops every paused subscriber with no more than the cap queued for it anywhere', async () => {
    const server = await startRealtime({ maxBufferedBytes: CAP });
    const paused: Socket[] = [];
    try {
      for (let i = 0; i < 8; i++) paused.push(await pausedSubscriber(server, `p${i}`));
      const serverSides = paused.map((c) => serverSideOf(c)!);
      expect(serverSides.every(Boolean)).toBe(true);
      const reader = await appsyncConnection(server);
      await subscribe(reader, server, 'fast', 'subscription { onCreateOrder(item: "bulk") { id } }');

      let maxQueued = 0;
      const total = 400;
      for (let i = 0; i < total; i += 8) {
        await Promise.all(
          Array.from({ length: 8 }, (_, j) =>
            mutate(
              server,
              'mutation ($n: String, $i: ID) { createOrder(id: $i, item: "bulk", note: $n) { id item note } }',
              { n: NOTE, i: String(i + j) },
            ),
          ),
        );
        paused.forEach((client, k) => {
          const queued = serverSides[k].bytesWritten - client.bytesRead;
          maxQueued = Math.max(maxQueued, queued);
        });
      }
      expect(maxQueued).toBeLessThanOrEqual(CAP + SLACK);
      await expect.poll(() => server.realtime.connections().appsync, { timeout: 15_000 }).toBe(1);
      expect(server.realtime.hub.stats.active).toBe(1);
      for (let i = 0; i < total; i++)
        await reader.next((f) => f.type === 'data' && f.payload.data.onCreateOrder.id === String(i));
      reader.close();
    } finally {
      for (const c of paused) c.destroy();
      await server.close();
    }
  }, 120_000);
});
