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

interface Storm {
  settings: { maxBufferedBytes: number; maxTotalBufferedBytes?: number };
  /** Bound on one paused connection's queued bytes, and on their sum across all paused connections. */
  perConnection: number;
  total: number;
}

async function storm({ settings, perConnection, total }: Storm) {
  const server = await startRealtime(settings);
  const paused: Socket[] = [];
  try {
    for (let i = 0; i < 8; i++) paused.push(await pausedSubscriber(server, `p${i}`));
    const serverSides = paused.map((c) => serverSideOf(c)!);
    expect(serverSides.every(Boolean)).toBe(true);
    const reader = await appsyncConnection(server);
    await subscribe(reader, server, 'fast', 'subscription { onCreateOrder(item: "bulk") { id } }');

    let maxQueued = 0;
    let maxSum = 0;
    const count = 400;
    for (let i = 0; i < count; i += 8) {
      await Promise.all(
        Array.from({ length: 8 }, (_, j) =>
          mutate(
            server,
            'mutation ($n: String, $i: ID) { createOrder(id: $i, item: "bulk", note: $n) { id item note } }',
            {
              n: NOTE,
              i: String(i + j),
            },
          ),
        ),
      );
      let sum = 0;
      paused.forEach((client, k) => {
        const queued = serverSides[k].bytesWritten - client.bytesRead;
        maxQueued = Math.max(maxQueued, queued);
        sum += queued;
      });
      maxSum = Math.max(maxSum, sum);
    }
    expect(maxQueued).toBeLessThanOrEqual(perConnection);
    expect(maxSum).toBeLessThanOrEqual(total);
    await expect.poll(() => server.realtime.connections().appsync, { timeout: 15_000 }).toBe(1);
    expect(server.realtime.hub.stats.active).toBe(1);
    for (let i = 0; i < count; i++) {
      await reader.next((f) => f.type === 'data' && f.payload.data.onCreateOrder.id === String(i));
    }
    reader.close();
  } finally {
    for (const c of paused) c.destroy();
    await server.close();
  }
}

describe('slow consumers with the CPU contended', () => {
  it('drops every paused subscriber with no more than the cap queued for it anywhere', async () => {
    await storm({ settings: { maxBufferedBytes: CAP }, perConnection: CAP + SLACK, total: 8 * (CAP + SLACK) });
  }, 120_000);

  it('bounds the sum over all paused subscribers by the server-wide budget', async () => {
    // Each may owe 4 MiB, all together 1 MiB: past the budget, any connection owing more than 256 KiB goes.
    const big = 4 * 1024 * 1024;
    const budget = 1024 * 1024;
    const frame = NOTE.length + SLACK;
    await storm({
      settings: { maxBufferedBytes: big, maxTotalBufferedBytes: budget },
      // One may grow into what the dropped ones freed, never past the budget plus its sixteenth.
      perConnection: budget + big / 16 + 2 * frame,
      total: budget + 8 * (big / 16 + 2 * frame),
    });
  }, 120_000);
});
