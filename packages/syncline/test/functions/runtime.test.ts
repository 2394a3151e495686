// The Lambda-compatible runtime, through real handler files: the SDK reaching Syncline with no endpoint set,
// Lambda's environment and context, warm reuse, timeouts, crashes, concurrency, callbacks and console capture.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  process.env.SYNCLINE_TEST_GREETING = 'world';
  // Cold starts are what these tests count: no instance is started ahead (test/functions/prewarm.test.ts).
  server = await createServer({
    dir: fixtureApp('functions'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    functions: { prewarm: false },
  });
});
afterAll(() => server?.close());

const ok = (r: Awaited<ReturnType<SynclineServer['functions']['invoke']>>) => {
  if (!r.ok) throw new Error(`invocation failed: ${JSON.stringify(r.error)}`);
  return r.payload as any;
};

describe('AWS SDK inside a handler', () => {
  it('a handler using @aws-sdk/client-dynamodb with no endpoint configured writes to a Syncline table', async () => {
    const res = await fetch(`${server.endpoints.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'o-1', item: 'tea' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      created: 'o-1',
      table: 'arn:aws:dynamodb:us-east-1:000000000000:table/functions-orders',
    });

    const client = new DynamoDBClient({
      endpoint: server.endpoints.http,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const out = await client.send(new GetItemCommand({ TableName: 'functions-orders', Key: { id: { S: 'o-1' } } }));
    expect(out.Item).toEqual({ id: { S: 'o-1' }, item: { S: 'tea' } });

    const read = await fetch(`${server.endpoints.http}/orders/o-1`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id: 'o-1', item: 'tea' });
  });
});

describe('environment and context', () => {
  it("sets Lambda's variables, local credentials, endpoints at this server and resolved references", async () => {
    const { env } = ok(await server.functions.invoke('counter', {}));
    const creds = server.functions.credentials().find((c) => c.functionName === 'counter')!;
    expect(env).toEqual({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'counter',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/counter',
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken,
      AWS_ENDPOINT_URL_DYNAMODB: server.endpoints.http,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: server.endpoints.http,
      GREETING: 'hello world',
      API: `${server.endpoints.http}/x`,
      HOME_PROFILE: null,
    });
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.userArn).toBe('arn:aws:sts::000000000000:assumed-role/counter-role/counter');
    // Each function has its own credentials.
    const ids = new Set(server.functions.credentials().map((c) => c.accessKeyId));
    expect(ids.size).toBe(server.functions.names().length);
  });

  it('hands the handler a Lambda context', async () => {
    const result = await server.functions.invoke('counter', {});
    const { context } = ok(result);
    expect(context).toMatchObject({
      awsRequestId: result.requestId,
      functionName: 'counter',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:counter',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/counter',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remaining).toBeGreaterThan(2000);
    expect(context.remaining).toBeLessThanOrEqual(3000);
  });
});

describe('instances', () => {
  it('reuses a warm instance (module scope kept) and counts cold starts', async () => {
    const before = server.functions.stats('counter');
    const a = ok(await server.functions.invoke('counter', {}));
    const b = ok(await server.functions.invoke('counter', {}));
    expect(b.instance).toBe(a.instance);
    expect(b.invocations).toBe(a.invocations + 1);
    const after = server.functions.stats('counter');
    expect(after.coldStarts).toBe(before.coldStarts);
    expect(after.invocations).toBe(before.invocations + 2);
    expect(after.coldStarts).toBeGreaterThanOrEqual(1);
  });

  it('runs up to reservedConcurrency at once and queues the rest', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => server.functions.invoke('limited', { ms: 150 })));
    const payloads = results.map(ok);
    expect(new Set(payloads.map((p) => p.instance)).size).toBe(2);
    const stats = server.functions.stats('limited');
    expect(stats.peakConcurrency).toBe(2);
    expect(stats.coldStarts).toBe(2);
    expect(stats.instances).toBe(2);
    // No more than two invocations overlap at any instant.
    const events = payloads.flatMap((p) => [
      [p.started, 1],
      [p.ended, -1],
    ]) as [number, number][];
    events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let running = 0;
    let peak = 0;
    for (const [, d] of events) peak = Math.max(peak, (running += d));
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('throttles a function whose reservedConcurrency is 0', async () => {
    const r = await server.functions.invoke('throttled', {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toEqual({ errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' });
  });

  it('an unknown function name throws', () => {
    expect(() => server.functions.invoke('nope', {})).toThrow(/Function not found: nope/);
  });
});

describe('failures never take the server down', () => {
  it('stops a handler at its timeout and discards the instance', async () => {
    const r = await server.functions.invoke('slow', { ms: 5000 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.errorType).toBe('Sandbox.Timedout');
    expect(!r.ok && r.error.errorMessage).toBe(`RequestId: ${r.requestId} Error: Task timed out after 1.00 seconds`);
    expect(server.functions.stats('slow').instances).toBe(0);
    expect(server.functions.logs('slow').map((l) => l.message)).toContain('Task timed out after 1.00 seconds');
  });

  it('ends an infinite loop at the timeout, and the function works again afterwards', async () => {
    const r = await server.functions.invoke('loop', {});
    expect(!r.ok && r.error.errorType).toBe('Sandbox.Timedout');
    const health = await fetch(`${server.endpoints.http}/orders/o-none`);
    expect(health.status).toBe(404);
    expect(server.functions.stats('loop')).toMatchObject({ timeouts: 1, instances: 0, coldStarts: 1 });
  });

  it('reports process.exit as Runtime.ExitError', async () => {
    const r = await server.functions.invoke('crash', {});
    expect(!r.ok && r.error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${r.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const again = await server.functions.invoke('crash', {});
    expect(again.ok).toBe(false);
    expect(server.functions.stats('crash').coldStarts).toBe(2);
  });

  it('reports an error thrown while importing the handler, each time (the init is retried)', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await server.functions.invoke('brokenImport', {});
      expect(!r.ok && r.error).toMatchObject({ errorType: 'TypeError', errorMessage: 'configuration is missing' });
    }
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const r = await server.functions.invoke('missingExport', {});
    expect(!r.ok && r.error).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'handlers/counter.nope is undefined or not exported',
    });
  });

  it("reports a thrown error as Lambda does, with a trace pointing at the user's TypeScript line", async () => {
    const r = await server.functions.invoke('failing', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.errorType).toBe('OrderRejected');
    expect(r.error.errorMessage).toBe('order 42 was rejected');
    expect(r.error.trace?.[0]).toBe('OrderRejected: order 42 was rejected');
    expect(r.error.trace?.[1]).toMatch(/handlers\/failing\.ts:6:9\)$/);
  });
});

describe('handler styles', () => {
  it('callback style waits for the event loop to empty before answering', async () => {
    expect(ok(await server.functions.invoke('callbacks', {}))).toEqual({ timerRan: true });
  });

  it('callbackWaitsForEmptyEventLoop = false answers at once', async () => {
    expect(ok(await server.functions.invoke('callbacks', { mode: 'no-wait' }))).toEqual({ timerRan: false });
  });

  it('callback errors: an Error by name, anything else by its type', async () => {
    const e1 = await server.functions.invoke('callbacks', { mode: 'error' });
    expect(!e1.ok && e1.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'bad range' });
    const e2 = await server.functions.invoke('callbacks', { mode: 'string-error' });
    expect(!e2.ok && e2.error).toEqual({ errorType: 'string', errorMessage: 'plain failure', trace: [] });
  });

  it('a handler that never answers returns null once its work is done', async () => {
    const r = await server.functions.invoke('callbacks', { mode: 'nothing' });
    expect(r).toMatchObject({ ok: true, payload: null });
  });

  it('context.succeed, context.fail and context.done', async () => {
    expect(ok(await server.functions.invoke('legacy', { mode: 'succeed' }))).toEqual({ via: 'succeed' });
    const failed = await server.functions.invoke('legacy', { mode: 'fail' });
    expect(!failed.ok && failed.error.errorMessage).toBe('via fail');
    expect(ok(await server.functions.invoke('legacy', {}))).toEqual({ via: 'done' });
  });

  it("an 'Event' invocation is accepted at once", async () => {
    const r = await server.functions.invoke('slow', { ms: 100 }, { invocationType: 'Event' });
    expect(r).toMatchObject({ ok: true, payload: null });
  });
});

describe('console capture', () => {
  it('keeps console output per invocation with its request id, between START and REPORT', async () => {
    const r = await server.functions.invoke('logs', {});
    expect(ok(r)).toBe(r.requestId);
    const lines = server.functions.logs('logs').filter((l) => l.requestId === r.requestId);
    const text = lines.map((l) => `${l.level} ${l.message}`);
    expect(text[0]).toBe(`PLATFORM START RequestId: ${r.requestId} Version: $LATEST`);
    expect(text).toContain('INFO hello from logs { n: 1 }');
    expect(text).toContain('WARN careful');
    expect(text).toContain('ERROR broken: yes');
    expect(text).toContain('INFO raw line');
    expect(text.at(-2)).toBe(`PLATFORM END RequestId: ${r.requestId}`);
    expect(text.at(-1)).toMatch(
      /^PLATFORM REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/,
    );
  });
});
