// Asynchronous invocations as Lambda runs them: retried after a failure (with the waits shortened here), the same
// request id on every attempt, and the outcome delivered to the function's destination as Lambda's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load.js';
import { createAsyncInvoker } from '../../src/functions/asyncInvoke.js';
import type { InvokeResult } from '../../src/functions/types.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('functions-async'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    functions: { asyncRetryDelaysMs: [30, 60] },
  });
});
afterAll(() => server?.close());

/** The records the `record` function was invoked with, oldest first. */
const delivered = () =>
  server.functions
    .logs('record')
    .filter((l) => l.message.startsWith('DESTINATION '))
    .map((l) => JSON.parse(l.message.slice('DESTINATION '.length)));

const recordFor = async (requestId: string) => {
  await expect
    .poll(() => delivered().some((r) => r.requestContext.requestId === requestId), { timeout: 10_000 })
    .toBe(true);
  return delivered().find((r) => r.requestContext.requestId === requestId);
};

describe('asynchronous invocations', () => {
  it('retries a failing function twice, then sends Lambda’s RetriesExhausted record to onFailure', async () => {
    const accepted = await server.functions.invoke('fails', { n: 1 }, { invocationType: 'Event' });
    expect(accepted).toMatchObject({ ok: true, payload: null });
    const record = await recordFor(accepted.requestId);
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        requestId: accepted.requestId,
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fails:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { n: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'failed on 1' },
    });
    expect(new Date(record.timestamp).getTime()).toBeGreaterThan(0);
    expect(server.functions.stats('fails').invocations).toBe(3);
    // Every retry is noted in the function's log under the event's one request id.
    const notes = server.functions
      .logs('fails')
      .filter((l) => l.level === 'WARN' && l.requestId === accepted.requestId);
    expect(notes.map((l) => l.message)).toEqual([
      'Asynchronous invocation failed (Error); retry 1 of 2 in 0.03 s',
      'Asynchronous invocation failed (Error); retry 2 of 2 in 0.06 s',
      'Asynchronous event dropped after 3 attempt(s): RetriesExhausted',
    ]);
  });

  it('does not retry with maximumRetryAttempts 0', async () => {
    const accepted = await server.functions.invoke('noRetry', { n: 2 }, { invocationType: 'Event' });
    const record = await recordFor(accepted.requestId);
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    expect(server.functions.stats('noRetry').invocations).toBe(1);
  });

  it('sends a Success record with the function’s result to onSuccess', async () => {
    const accepted = await server.functions.invoke('succeeds', { n: 21 }, { invocationType: 'Event' });
    const record = await recordFor(accepted.requestId);
    expect(record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 1 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record.responsePayload).toEqual({ doubled: 42 });
  });

  it('succeeds on a retry and says how many attempts it took', async () => {
    const accepted = await server.functions.invoke('failsOnce', { n: 7 }, { invocationType: 'Event' });
    const record = await recordFor(accepted.requestId);
    expect(record.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 2 });
    expect(record.responsePayload).toEqual({ n: 7, calls: 2 });
  });

  it('answers a synchronous invocation of the same function without retrying it', async () => {
    const before = server.functions.stats('fails').invocations;
    const r = await server.functions.invoke('fails', { n: 3 });
    expect(r.ok).toBe(false);
    // Longer than both retry waits: a retry would have run by now.
    await new Promise((ok) => setTimeout(ok, 200));
    expect(server.functions.stats('fails').invocations).toBe(before + 1);
  });
});

describe('async invocation settings', () => {
  it('refuses a destination that is not a function of the app, naming the key', async () => {
    const dir = fixtureApp('functions-async');
    const { mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const copy = mkdtempSync(join(tmpdir(), 'syncline-async-'));
    try {
      cpSync(dir, copy, { recursive: true });
      const config = join(copy, 'syncline.config.ts');
      writeFileSync(
        config,
        readFileSync(config, 'utf8').replace(
          "onFailure: 'record' },\n    },\n    failsOnce",
          "onFailure: 'nowhere' },\n    },\n    failsOnce",
        ),
      );
      await expect(loadApp(copy, { data: ':memory:' })).rejects.toThrow(
        /functions\.fails\.destinations\.onFailure.*'nowhere' is not a function of this app/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('throttled asynchronous invocations', () => {
  // The invoker alone, with a clock the test moves: Lambda keeps a throttled event for up to its maximum age.
  const throttle = {
    ok: false as const,
    requestId: '',
    durationMs: 0,
    error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
  };
  const failure = {
    ok: false as const,
    requestId: '',
    durationMs: 0,
    error: { errorType: 'Error', errorMessage: 'boom' },
  };
  const success = { ok: true as const, requestId: '', durationMs: 0, payload: 'done' };

  function invoker(results: InvokeResult[], clock: { t: number }, maximumEventAgeSeconds = 21_600) {
    const sent: Array<{ name: string; event: any }> = [];
    const notes: string[] = [];
    let calls = 0;
    const async = createAsyncInvoker({
      run: async (name, event) => {
        if (name === 'record') {
          sent.push({ name, event });
          return success;
        }
        return results[Math.min(calls++, results.length - 1)];
      },
      config: (name) =>
        name === 'record'
          ? { maximumRetryAttempts: 0, maximumEventAgeSeconds: 21_600 }
          : { maximumRetryAttempts: 1, maximumEventAgeSeconds, onSuccess: 'record', onFailure: 'record' },
      arn: (name) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      note: (_name, _id, message) => notes.push(message),
      retryDelaysMs: [5],
      throttleBackoffMs: { first: 2, max: 8 },
      now: () => clock.t,
    });
    return { async, sent, notes, calls: () => calls };
  }

  it('queues a throttled event again without using a retry, backing off', async () => {
    const { async, sent, notes, calls } = invoker([throttle, throttle, throttle, throttle, failure, success], { t: 0 });
    async.accept('f', { n: 1 });
    await expect.poll(() => sent.length, { timeout: 5_000 }).toBe(1);
    // Four throttles, one failure (its one retry), then success: the throttles used none of the retries.
    expect(calls()).toBe(6);
    expect(sent[0].event.requestContext).toMatchObject({ condition: 'Success', approximateInvokeCount: 6 });
    expect(notes).toEqual([
      'Asynchronous invocation throttled; queued again for 0.002 s',
      'Asynchronous invocation throttled; queued again for 0.004 s',
      'Asynchronous invocation throttled; queued again for 0.008 s',
      'Asynchronous invocation throttled; queued again for 0.008 s',
      'Asynchronous invocation failed (Error); retry 1 of 1 in 0.005 s',
    ]);
    async.close();
  });

  it('drops a throttled event once its next try would pass the maximum event age', async () => {
    const clock = { t: 0 };
    const { async, sent, calls } = invoker([throttle], clock, 60);
    async.accept('f', { n: 2 });
    await expect.poll(() => calls(), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    clock.t = 60_000;
    await expect.poll(() => sent.length, { timeout: 5_000 }).toBe(1);
    expect(sent[0].event.requestContext.condition).toBe('EventAgeExceeded');
    expect(sent[0].event.responsePayload).toMatchObject({ errorType: 'TooManyRequestsException' });
    async.close();
  });
});
