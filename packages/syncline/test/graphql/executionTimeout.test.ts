// AppSync's 30 s request execution limit, with the bound shortened: the request answers ExecutionTimeout while
// a resolver is still pending, and a request that finishes in time is untouched.
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Executor } from '../../src/graphql/executor.js';
import { newRequestContext } from '../../src/graphql/requestContext.js';

const schema = buildSchema('type Query { never: String soon: String }');
const fields = schema.getQueryType()!.getFields();
fields.never.resolve = () => new Promise(() => {});
fields.soon.resolve = () => Promise.resolve('here');

const context = () => newRequestContext('req', { mode: 'API_KEY', identity: null }, {});

describe('request execution limit', () => {
  it('answers ExecutionTimeout when a resolver outlives the limit', async () => {
    const executor = new Executor(schema, { limits: { executionTimeoutMs: 50 } });
    const prepared = executor.prepare('{ never soon }');
    if ('errors' in prepared) throw new Error('unexpected');
    expect(await executor.execute(prepared, {}, context())).toEqual({
      data: null,
      errors: [
        {
          path: null,
          data: null,
          errorType: 'ExecutionTimeout',
          errorInfo: null,
          locations: null,
          message: 'Execution timed out.',
        },
      ],
    });
  });

  it('leaves a request that finishes in time alone', async () => {
    const executor = new Executor(schema, { limits: { executionTimeoutMs: 5_000 } });
    const prepared = executor.prepare('{ soon }');
    if ('errors' in prepared) throw new Error('unexpected');
    expect(await executor.execute(prepared, {}, context())).toEqual({ data: { soon: 'here' } });
  });
});
