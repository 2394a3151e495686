// Scheduled functions with a hand-driven clock: EventBridge's Scheduled Event, rates, cron, enabled: false.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { ManualClock } from '../../src/triggers/clock.js';
import { fixtureApp } from '../helpers/server.js';

const start = Date.UTC(2030, 0, 1, 0, 0, 0);
const clock = new ManualClock(start);
let server: SynclineServer;

beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('functions-schedule'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    functions: { clock },
  });
});
afterAll(() => server?.close());

/** The events a function printed, once `count` of them have arrived (invocations are asynchronous). */
async function events(name: string, count: number): Promise<any[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const printed = server.functions
      .logs(name)
      .filter((l) => l.level === 'INFO')
      .map((l) => JSON.parse(l.message));
    if (printed.length >= count || Date.now() > deadline) return printed;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('schedules', () => {
  it("fires rate schedules with EventBridge's Scheduled Event, counted from the server's start", async () => {
    clock.advance(15 * 60_000);
    const fired = await events('tick', 3);
    expect(fired).toHaveLength(3);
    // Asynchronous invocations may finish in any order.
    fired.sort((a, b) => a.time.localeCompare(b.time));
    expect(fired.map((e) => e.time)).toEqual(['2030-01-01T00:05:00Z', '2030-01-01T00:10:00Z', '2030-01-01T00:15:00Z']);
    expect(fired[0]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: '2030-01-01T00:05:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/functions-schedule-tick-rule-1'],
      detail: {},
    });
    expect(new Set(fired.map((e) => e.id)).size).toBe(3);
  });

  it('fires cron schedules at their minute with the configured input', async () => {
    expect(await events('hourly', 0)).toEqual([]);
    clock.advance(45 * 60_000); // now 01:00
    expect(await events('hourly', 1)).toEqual([{ kind: 'hourly' }]);
  });

  it('leaves schedules with enabled: false alone', async () => {
    expect(server.functions.stats('paused').invocations).toBe(0);
    expect(server.functions.logs('paused')).toEqual([]);
  });
});
