// Asynchronous invocations as Lambda runs them: retried after a failure (with the waits shortened here), the same
// request id on every attempt, and the outcome delivered to the function's destination as Lambda's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load.js';
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
