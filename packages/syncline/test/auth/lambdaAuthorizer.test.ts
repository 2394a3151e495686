// AWS_LAMBDA against the FunctionRuntime port: the app's real authorizer handler, invoked by an in-test runtime
// that counts invocations (the server's runtime is exercised end to end in lambdaAuthorizer.e2e.test.ts).
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadApp } from '../../src/app/load.js';
import type { FunctionRuntime, InvokeResult } from '../../src/functions/types.js';
import { createGraphqlApi, type GraphqlApi } from '../../src/graphql/api.js';
import { RequestError } from '../../src/graphql/errors.js';
import { newRequestContext } from '../../src/graphql/requestContext.js';
import { fixtureApp } from '../helpers/server.js';

class CountingRuntime implements FunctionRuntime {
  readonly events: any[] = [];
  delayMs = 0;
  names() {
    return ['authorizer'];
  }
  async invoke(name: string, event: unknown): Promise<InvokeResult> {
    this.events.push(event);
    const module = await import(pathToFileURL(`${fixtureApp('auth-lambda')}/functions/authorizer.js`).href);
    if (this.delayMs) await new Promise((ok) => setTimeout(ok, this.delayMs));
    try {
      return { ok: true, payload: await module.handler(event), requestId: name, durationMs: 1 };
    } catch (error) {
      return {
        ok: false,
        error: { errorType: 'Error', errorMessage: (error as Error).message },
        requestId: name,
        durationMs: 1,
      };
    }
  }
  async close() {}
}

let runtime: CountingRuntime;
let api: GraphqlApi;
let clock = Date.now();

beforeEach(async () => {
  const app = await loadApp(fixtureApp('auth-lambda'), { data: ':memory:' });
  runtime = new CountingRuntime();
  clock = Date.now();
  api = await createGraphqlApi(app.graphql!, {
    log: pino({ level: 'silent' }),
    auth: { region: 'us-east-1', apiId: 'lambdafixtureapi0000000000', functions: () => runtime, now: () => clock },
  });
});

async function run(query: string, token: string, headers: Record<string, string> = {}) {
  const all = { authorization: token, ...headers };
  const auth = await api.authenticate({
    method: 'POST',
    path: '/graphql',
    headers: all,
    body: '',
    operation: { query, operationName: 'Op', variables: { a: 1 } },
  });
  const prepared = api.executor.prepare(query, null);
  if ('errors' in prepared) throw new Error('bad query');
  return api.executor.execute(prepared, null, newRequestContext('r', auth, all));
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).statusCode).toBe(401);
      expect((error as RequestError).errorType).toBe('UnauthorizedException');
    },
  );

describe('AWS_LAMBDA authorizer', () => {
  it("sends AppSync's event and exposes resolverContext as ctx.identity", async () => {
    const result = await run('query Op { whoami { mode identity } }', 'allow-alice', { 'x-custom': 'hdr' });
    expect(result.data!.whoami).toEqual({
      mode: 'Lambda Authorization',
      identity: JSON.stringify({ resolverContext: { user: 'alice', operationName: 'Op', custom: 'hdr' } }),
    });
    expect(runtime.events[0]).toEqual({
      authorizationToken: 'allow-alice',
      requestContext: {
        apiId: 'lambdafixtureapi0000000000',
        accountId: '000000000000',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        queryString: 'query Op { whoami { mode identity } }',
        operationName: 'Op',
        variables: { a: 1 },
      },
      requestHeaders: { authorization: 'allow-alice', 'x-custom': 'hdr' },
    });
  });

  it('forces deniedFields (Type.field and field ARNs) to null with Unauthorized errors', async () => {
    const result = await run('{ secret arnDenied whoami { mode } }', 'limited-bob');
    expect(result.data).toEqual({ secret: null, arnDenied: null, whoami: { mode: 'Lambda Authorization' } });
    expect(result.errors!.map((e) => e.message).sort()).toEqual([
      'Not Authorized to access arnDenied on type Query',
      'Not Authorized to access secret on type Query',
    ]);
    expect(result.errors!.every((e) => e.errorType === 'Unauthorized')).toBe(true);
    const other = await run('{ secret }', 'allow-bob');
    expect(other.data).toEqual({ secret: 'secret' });
  });

  it('refuses isAuthorized: false and caches the refusal for the TTL', async () => {
    await refusal(run('{ secret }', 'deny-eve'));
    await refusal(run('{ secret }', 'deny-eve'));
    expect(runtime.events).toHaveLength(1);
  });

  it('caches an answer per token for authorizerResultTtlInSeconds, then asks again', async () => {
    await run('{ secret }', 'allow-carol');
    await run('{ secret }', 'allow-carol');
    await run('{ secret }', 'allow-dave');
    expect(runtime.events).toHaveLength(2);
    clock += 301_000;
    await run('{ secret }', 'allow-carol');
    expect(runtime.events).toHaveLength(3);
  });

  it('does not cache when the function returns ttlOverride: 0', async () => {
    await run('{ secret }', 'ttl0-frank');
    await run('{ secret }', 'ttl0-frank');
    expect(runtime.events).toHaveLength(2);
  });

  it('refuses tokens failing identityValidationExpression without invoking the function', async () => {
    await refusal(run('{ secret }', 'other-token'));
    await refusal(run('{ secret }', 'allow-UPPER'));
    expect(runtime.events).toHaveLength(0);
  });

  it('refuses when the function throws, and does not cache the failure', async () => {
    await refusal(run('{ secret }', 'throw-x'));
    await refusal(run('{ secret }', 'throw-x'));
    expect(runtime.events).toHaveLength(2);
  });

  it('gives the function 10 seconds, then refuses', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      runtime.delayMs = 60_000;
      let settled = false;
      const outcome = refusal(
        Promise.resolve(
          api.authenticate({ method: 'POST', path: '/graphql', headers: { authorization: 'allow-slow' }, body: '' }),
        ),
      ).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(9_990);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(20);
      await outcome;
      expect(settled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps API-key fields closed to Lambda callers and Lambda fields closed to API keys', async () => {
    const lambda = await run('{ keyOnly secret }', 'allow-gina');
    expect(lambda.data).toEqual({ keyOnly: null, secret: 'secret' });
    const keyAuth = await api.authenticate({
      method: 'POST',
      path: '/graphql',
      headers: { 'x-api-key': 'da2-authlambdafixturekey00000' },
      body: '',
    });
    const prepared = api.executor.prepare('{ keyOnly secret }', null);
    if ('errors' in prepared) throw new Error('bad query');
    const keyed = await api.executor.execute(prepared, null, newRequestContext('r', keyAuth, {}));
    expect(keyed.data).toEqual({ keyOnly: 'keyOnly', secret: null });
  });
});
