import { describe, expect, it } from 'vitest';
import { argumentMatcher, compileFilter, FilterError } from '../../src/realtime/filters.js';

const one = (fieldName: string, operator: string, value: unknown) => ({
  filterGroup: [{ filters: [{ fieldName, operator, value }] }],
});

const order = {
  id: '1',
  item: 'green tea',
  quantity: 7,
  price: 2.5,
  paid: true,
  owner: null,
  tags: ['hot', 'tea'],
  scores: [1, 2, 3],
  location: { address: { country: 'PT', city: 'Porto' } },
};

describe('enhanced filter operators', () => {
  const table: [string, string, unknown, boolean][] = [
    ['quantity', 'eq', 7, true],
    ['quantity', 'eq', '7', false],
    ['item', 'eq', 'green tea', true],
    ['paid', 'eq', true, true],
    ['paid', 'eq', false, false],
    ['owner', 'eq', null, true],
    ['missing', 'eq', null, true],
    ['item', 'eq', 'Green tea', false],
    ['quantity', 'ne', 7, false],
    ['quantity', 'ne', 8, true],
    ['missing', 'ne', 'x', true],
    ['quantity', 'lt', 8, true],
    ['quantity', 'lt', 7, false],
    ['quantity', 'le', 7, true],
    ['quantity', 'gt', 6, true],
    ['quantity', 'gt', 7, false],
    ['quantity', 'ge', 7, true],
    ['price', 'gt', 2.4, true],
    ['item', 'gt', 'a', true],
    ['item', 'lt', 'a', false],
    ['quantity', 'gt', '1', false],
    ['missing', 'lt', 5, false],
    ['item', 'contains', 'tea', true],
    ['item', 'contains', 'coffee', false],
    ['tags', 'contains', 'hot', true],
    ['tags', 'contains', 'ho', false],
    ['scores', 'contains', 2, true],
    ['item', 'notContains', 'coffee', true],
    ['tags', 'notContains', 'hot', false],
    ['missing', 'notContains', 'x', true],
    ['item', 'beginsWith', 'green', true],
    ['item', 'beginsWith', 'tea', false],
    ['quantity', 'in', [1, 7], true],
    ['quantity', 'in', [1, 2], false],
    ['item', 'in', ['green tea', 'coffee'], true],
    ['quantity', 'notIn', [1, 2], true],
    ['quantity', 'notIn', [7], false],
    ['quantity', 'between', [7, 9], true],
    ['quantity', 'between', [1, 7], true],
    ['quantity', 'between', [8, 9], false],
    ['item', 'between', ['a', 'h'], true],
    ['tags', 'containsAny', ['cold', 'tea'], true],
    ['tags', 'containsAny', ['cold', 'iced'], false],
    ['quantity', 'containsAny', [7, 8], true],
    ['location.address.country', 'eq', 'PT', true],
    ['location.address.city', 'beginsWith', 'Lis', false],
    ['location.nowhere.city', 'eq', 'x', false],
  ];
  it.each(table)('%s %s %j → %s', (field, operator, value, expected) => {
    expect(compileFilter(one(field, operator, value))(order)).toBe(expected);
  });

  it('ANDs the rules of one filter and ORs the filters of filterGroup', () => {
    const filter = compileFilter({
      filterGroup: [
        {
          filters: [
            { fieldName: 'quantity', operator: 'gt', value: 5 },
            { fieldName: 'item', operator: 'beginsWith', value: 'black' },
          ],
        },
        { filters: [{ fieldName: 'paid', operator: 'eq', value: true }] },
      ],
    });
    expect(filter(order)).toBe(true);
    expect(filter({ ...order, paid: false })).toBe(false);
    expect(filter({ ...order, paid: false, item: 'black tea' })).toBe(true);
  });

  it('treats an empty rules list as matching everything', () => {
    expect(compileFilter({ filterGroup: [{ filters: [] }] })({})).toBe(true);
  });

  it('ignores rules nested deeper than five levels, as AppSync does', () => {
    const filter = compileFilter(one('a.b.c.d.e.f', 'eq', 'x'));
    expect(filter({})).toBe(true);
  });
});

describe('enhanced filter validation', () => {
  const rejects = (filter: unknown, message: RegExp) => {
    expect(() => compileFilter(filter)).toThrow(FilterError);
    expect(() => compileFilter(filter)).toThrow(message);
  };

  it('requires the filterGroup shape', () => {
    rejects(null, /filterGroup/);
    rejects({ filters: [] }, /filterGroup/);
    rejects({ filterGroup: [] }, /at least one/);
    rejects({ filterGroup: [{}] }, /filters list/);
    rejects({ filterGroup: [{ filters: [{ operator: 'eq', value: 1 }] }] }, /fieldName/);
    rejects({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq' }] }] }, /needs a value/);
  });

  it('knows exactly the AppSync operators (case-sensitive)', () => {
    rejects(one('a', 'attributeExists', true), /unknown operator "attributeExists"/);
    rejects(one('a', 'EQ', 1), /unknown operator/);
    rejects(one('a', 'lte', 1), /unknown operator/);
  });

  it('checks value types per operator', () => {
    rejects(one('a', 'eq', { x: 1 }), /number, string, boolean or null/);
    rejects(one('a', 'gt', true), /number or a string/);
    rejects(one('a', 'beginsWith', 1), /beginsWith compares with a string/);
    rejects(one('a', 'in', 'x'), /list/);
    rejects(one('a', 'in', [true]), /only numbers and strings/);
    rejects(one('a', 'between', [1]), /two/);
    rejects(one('a', 'between', [1, 'b']), /same type/);
    rejects(one('a', 'containsAny', []), /one or more/);
  });

  it('enforces the list limits: in/notIn 5 values, containsAny 20', () => {
    expect(() => compileFilter(one('a', 'notIn', [1, 2, 3, 4, 5]))).not.toThrow();
    rejects(one('a', 'notIn', [1, 2, 3, 4, 5, 6]), /at most 5 values, got 6/);
    expect(() =>
      compileFilter(
        one(
          'a',
          'containsAny',
          Array.from({ length: 20 }, (_, i) => i),
        ),
      ),
    ).not.toThrow();
    rejects(
      one(
        'a',
        'containsAny',
        Array.from({ length: 21 }, (_, i) => i),
      ),
      /at most 20 values, got 21/,
    );
  });

  it('limits strings to 256 characters', () => {
    expect(() => compileFilter(one('a', 'eq', 'x'.repeat(256)))).not.toThrow();
    rejects(one('a', 'eq', 'x'.repeat(257)), /256 characters/);
    rejects(one('a', 'in', ['x'.repeat(257)]), /256 characters/);
  });

  it('allows five unique fields per filter, not six', () => {
    const rules = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ fieldName: `f${i}`, operator: 'eq', value: 1 }));
    expect(() => compileFilter({ filterGroup: [{ filters: rules(5) }] })).not.toThrow();
    rejects({ filterGroup: [{ filters: rules(6) }] }, /at most 5 unique fields, got 6/);
    // The same field twice counts once.
    expect(() =>
      compileFilter({ filterGroup: [{ filters: [...rules(5), { fieldName: 'f0', operator: 'ne', value: 2 }] }] }),
    ).not.toThrow();
  });

  it('allows ten filters, counting each value of an in operator as one', () => {
    const groups = (n: number) =>
      Array.from({ length: n }, () => ({ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }));
    expect(() => compileFilter({ filterGroup: groups(10) })).not.toThrow();
    rejects({ filterGroup: groups(11) }, /at most 10 filters, got 11/);
    const withIn = [...groups(7), { filters: [{ fieldName: 'b', operator: 'in', value: [1, 2, 3, 4] }] }];
    rejects({ filterGroup: withIn }, /got 11/);
  });
});

describe('argument filtering', () => {
  it('matches strict equality on top-level fields, all arguments ANDed', () => {
    const m = argumentMatcher({ item: 'tea', quantity: 2 });
    expect(m({ item: 'tea', quantity: 2, other: 1 })).toBe(true);
    expect(m({ item: 'tea', quantity: 3 })).toBe(false);
    expect(m({ item: 'tea', quantity: '2' })).toBe(false);
  });

  it('treats an omitted argument as a wildcard and an explicit null as "is null"', () => {
    expect(argumentMatcher({})({ owner: 'ada' })).toBe(true);
    const onlyNull = argumentMatcher({ owner: null });
    expect(onlyNull({ owner: null })).toBe(true);
    expect(onlyNull({})).toBe(true);
    expect(onlyNull({ owner: 'ada' })).toBe(false);
  });

  it('compares lists and input objects by value', () => {
    expect(argumentMatcher({ tags: ['a', 'b'] })({ tags: ['a', 'b'] })).toBe(true);
    expect(argumentMatcher({ tags: ['a', 'b'] })({ tags: ['b', 'a'] })).toBe(false);
  });
});
