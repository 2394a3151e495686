import { describe, expect, it } from 'vitest';
import { EarlyReturn, ResolverError, UnauthorizedSignal } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost, thrown } from './fakeHost.js';

describe('util.error, util.appendError, util.unauthorized', () => {
  it('util.error throws a ResolverError carrying type, data and errorInfo', () => {
    const { util } = createBuiltins(fakeHost().slot);
    const error = thrown(() => util.error('Not found', 'NotFound', { id: 1 }, { hint: 'x' })) as ResolverError;
    expect(error).toBeInstanceOf(ResolverError);
    expect(error).not.toBeInstanceOf(UnauthorizedSignal);
    expect([error.message, error.errorType, error.data, error.errorInfo]).toEqual([
      'Not found',
      'NotFound',
      { id: 1 },
      { hint: 'x' },
    ]);
    const bare = thrown(() => util.error('plain')) as ResolverError;
    expect([bare.errorType, bare.data, bare.errorInfo]).toEqual([null, null, null]);
  });

  it('util.appendError records on the current host and lets the handler go on', () => {
    const { slot, calls } = fakeHost();
    const { util } = createBuiltins(slot);
    expect(util.appendError('first', 'Warn', { n: 1 })).toBeUndefined();
    util.appendError('second');
    expect(calls.errors.map((e) => [e.message, e.errorType, e.data])).toEqual([
      ['first', 'Warn', { n: 1 }],
      ['second', null, null],
    ]);
  });

  it('reaches the host current at call time, not at creation', () => {
    const first = fakeHost();
    const second = fakeHost('IAM Authorization');
    let current = first;
    const { util } = createBuiltins({ current: () => current.slot.current() });
    util.appendError('one');
    current = second;
    util.appendError('two');
    expect(util.authType()).toBe('IAM Authorization');
    expect(first.calls.errors.map((e) => e.message)).toEqual(['one']);
    expect(second.calls.errors.map((e) => e.message)).toEqual(['two']);
  });

  it('util.unauthorized throws UnauthorizedSignal with errorType Unauthorized', () => {
    const { util } = createBuiltins(fakeHost().slot);
    const error = thrown(() => util.unauthorized()) as UnauthorizedSignal;
    expect(error).toBeInstanceOf(UnauthorizedSignal);
    expect(error.errorType).toBe('Unauthorized');
  });

  it('util.authType asks the host', () => {
    expect(createBuiltins(fakeHost('User Pool Authorization').slot).util.authType()).toBe('User Pool Authorization');
  });
});

describe('runtime.earlyReturn', () => {
  const { runtime } = createBuiltins(fakeHost().slot);

  it('throws EarlyReturn with the value, skipping to NEXT by default', () => {
    const signal = thrown(() => runtime.earlyReturn({ id: 1 })) as EarlyReturn;
    expect(signal).toBeInstanceOf(EarlyReturn);
    expect([signal.value, signal.skipTo]).toEqual([{ id: 1 }, 'NEXT']);
  });

  it('honours skipTo END and refuses other targets', () => {
    const signal = thrown(() => runtime.earlyReturn(null, { skipTo: 'END' })) as EarlyReturn;
    expect(signal.skipTo).toBe('END');
    expect(thrown(() => runtime.earlyReturn(1, { skipTo: 'LATER' }))).toBeInstanceOf(ResolverError);
  });
});

describe('extensions', () => {
  const filter = { filterGroup: [{ filters: [{ fieldName: 'severity', operator: 'gte', value: 7 }] }] };

  it('forwards valid subscription filters, normalizing lte/gte', () => {
    const { slot, calls } = fakeHost();
    const { extensions } = createBuiltins(slot);
    extensions.setSubscriptionFilter(filter);
    extensions.setSubscriptionInvalidationFilter(filter);
    const expected = { filterGroup: [{ filters: [{ fieldName: 'severity', operator: 'ge', value: 7 }] }] };
    expect(calls.filters).toEqual([expected]);
    expect(calls.invalidationFilters).toEqual([expected]);
  });

  it.each([
    ['a non-object', 'oops', /expected \{ filterGroup/],
    [
      'an unknown operator',
      { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'like', value: 1 }] }] },
      /unknown operator 'like'/,
    ],
    ['too many groups', { filterGroup: Array.from({ length: 11 }, () => ({ filters: [] })) }, /at most 10 filters/],
    [
      'too many fields in a group',
      {
        filterGroup: [
          { filters: ['a', 'b', 'c', 'd', 'e', 'f'].map((f) => ({ fieldName: f, operator: 'eq', value: 1 })) },
        ],
      },
      /at most 5 unique fields, got 6/,
    ],
    [
      'in with 6 values',
      { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'in', value: [1, 2, 3, 4, 5, 6] }] }] },
      /at most 5 values, got 6/,
    ],
    [
      'between without a pair',
      { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'between', value: [1] }] }] },
      /between needs a list of two values/,
    ],
    [
      'an object value for eq',
      { filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: {} }] }] },
      /compares with a number, string, boolean or null/,
    ],
  ])('setSubscriptionFilter refuses %s', (_, bad, message) => {
    const { slot, calls } = fakeHost();
    const error = thrown(() => createBuiltins(slot).extensions.setSubscriptionFilter(bad)) as ResolverError;
    expect(error).toBeInstanceOf(ResolverError);
    expect(error.message).toMatch(/^extensions\.setSubscriptionFilter: /);
    expect(error.message).toMatch(message);
    expect(calls.filters).toEqual([]);
  });

  it('forwards invalidateSubscriptions and evictFromApiCache after checking their shape', () => {
    const { slot, calls } = fakeHost();
    const { extensions } = createBuiltins(slot);
    extensions.invalidateSubscriptions({ subscriptionField: 'onGroupMessage', payload: { groupId: 'g1' } });
    extensions.evictFromApiCache('Query', 'getPost', { 'context.arguments.id': '1' });
    expect(calls.invalidations).toEqual([{ subscriptionField: 'onGroupMessage', payload: { groupId: 'g1' } }]);
    expect(calls.evictions).toEqual([['Query', 'getPost', { 'context.arguments.id': '1' }]]);
    expect(() => extensions.invalidateSubscriptions({ payload: {} })).toThrow(/subscriptionField/);
    expect(() => extensions.invalidateSubscriptions({ subscriptionField: 'onX', payload: 3 })).toThrow(/payload/);
    expect(() => extensions.evictFromApiCache('Query', '', {})).toThrow(/fieldName/);
    expect(calls.invalidations).toHaveLength(1);
  });
});

describe('util.http', () => {
  it('copyHeaders drops the restricted hop-by-hop headers', () => {
    const { util } = createBuiltins(fakeHost().slot);
    expect(util.http.copyHeaders({ Host: 'x', 'content-length': '3', authorization: 'a', 'x-custom': 'b' })).toEqual({
      authorization: 'a',
      'x-custom': 'b',
    });
  });

  it('reports restricted response headers as ResponseHeaderError and accepts the rest', () => {
    const { slot, calls } = fakeHost();
    const { util } = createBuiltins(slot);
    util.http.addResponseHeader('itemsCount', 7);
    util.http.addResponseHeaders({ 'Content-Type': 'x', 'x-amz-foo': 'y', empty: null, ok: { a: 1 } });
    expect(calls.errors.map((e) => [e.errorType, e.message])).toEqual([
      ['ResponseHeaderError', "the response header 'Content-Type' is restricted"],
      ['ResponseHeaderError', "the response header 'x-amz-foo' uses a restricted prefix"],
      ['ResponseHeaderError', "the response header 'empty' has no value"],
    ]);
  });
});

describe('createBuiltins', () => {
  it('returns frozen objects shared safely between resolvers', () => {
    const { util, dynamodb } = createBuiltins(fakeHost().slot);
    expect(Object.isFrozen(util)).toBe(true);
    expect(Object.isFrozen(util.time)).toBe(true);
    expect(Object.isFrozen(dynamodb.operations)).toBe(true);
    expect(() => {
      (util as Record<string, unknown>).error = () => 0;
    }).toThrow(TypeError);
  });
});
