import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const { util } = createBuiltins(fakeHost().slot);
const { transform } = util;

describe('util.transform.toDynamoDBFilterExpression', () => {
  it('matches the AppSync documentation example, as a JSON string', () => {
    const filter = transform.toDynamoDBFilterExpression({ title: { beginsWith: 'far away' } });
    expect(typeof filter).toBe('string');
    expect(JSON.parse(filter)).toEqual({
      expression: '(begins_with(#title,:title_beginsWith))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_beginsWith': { S: 'far away' } },
    });
  });

  it('writes every operator', () => {
    const parsed = JSON.parse(
      transform.toDynamoDBFilterExpression({
        a: { eq: 1, ne: 2 },
        b: { lt: 'x', le: 'y', gt: 'z', ge: 'w' },
        c: { between: [1, 5] },
        d: { in: ['x', 'y'] },
        e: { contains: 'z', notContains: 'q' },
        f: { attributeExists: true },
        g: { attributeExists: false },
        h: { attributeType: 'SS' },
        i: { size: { gt: 3 } },
      }),
    );
    expect(parsed.expression).toBe(
      [
        '(#a = :a_eq)',
        '(#a <> :a_ne)',
        '(#b < :b_lt)',
        '(#b <= :b_le)',
        '(#b > :b_gt)',
        '(#b >= :b_ge)',
        '(#c BETWEEN :c_between_0 AND :c_between_1)',
        '(#d IN (:d_in_0,:d_in_1))',
        '(contains(#e,:e_contains))',
        '(NOT contains(#e,:e_notContains))',
        '(attribute_exists(#f))',
        '(attribute_not_exists(#g))',
        '(attribute_type(#h,:h_attributeType))',
        '(size(#i) > :i_size_gt)',
      ].join(' AND '),
    );
    expect(parsed.expressionValues).toEqual({
      ':a_eq': { N: 1 },
      ':a_ne': { N: 2 },
      ':b_lt': { S: 'x' },
      ':b_le': { S: 'y' },
      ':b_gt': { S: 'z' },
      ':b_ge': { S: 'w' },
      ':c_between_0': { N: 1 },
      ':c_between_1': { N: 5 },
      ':d_in_0': { S: 'x' },
      ':d_in_1': { S: 'y' },
      ':e_contains': { S: 'z' },
      ':e_notContains': { S: 'q' },
      ':h_attributeType': { S: 'SS' },
      ':i_size_gt': { N: 3 },
    });
    expect(Object.keys(parsed.expressionNames)).toEqual(['#a', '#b', '#c', '#d', '#e', '#f', '#g', '#h', '#i']);
  });

  it('nests and, or and not, giving repeated fields their own value placeholders', () => {
    const parsed = JSON.parse(
      transform.toDynamoDBFilterExpression({
        or: [{ status: { eq: 'open' } }, { and: [{ status: { eq: 'closed' } }, { not: { archived: { eq: true } } }] }],
      }),
    );
    expect(parsed).toEqual({
      expression: '((#status = :status_eq) OR ((#status = :status_eq_1) AND (NOT (#archived = :archived_eq))))',
      expressionNames: { '#status': 'status', '#archived': 'archived' },
      expressionValues: {
        ':status_eq': { S: 'open' },
        ':status_eq_1': { S: 'closed' },
        ':archived_eq': { BOOL: true },
      },
    });
  });

  it('makes placeholders safe for attribute names DynamoDB would reject in them', () => {
    const parsed = JSON.parse(
      transform.toDynamoDBFilterExpression({ 'first-name': { eq: 'a' }, 'first name': { eq: 'b' } }),
    );
    expect(parsed.expression).toBe('(#first_name = :first_name_eq) AND (#first_name_1 = :first_name_eq_1)');
    expect(parsed.expressionNames).toEqual({ '#first_name': 'first-name', '#first_name_1': 'first name' });
  });

  it('refuses unknown operators and malformed operands', () => {
    expect(() => transform.toDynamoDBFilterExpression({ a: { like: 'x' } })).toThrow(/unknown filter operator 'like'/);
    expect(() => transform.toDynamoDBFilterExpression({ a: { between: [1] } })).toThrow(ResolverError);
    expect(() => transform.toDynamoDBFilterExpression({ a: 'x' })).toThrow(/must be an object of operators/);
    expect(() => transform.toDynamoDBFilterExpression({ or: {} })).toThrow(/takes a list/);
  });
});

describe('util.transform.toDynamoDBConditionExpression', () => {
  it('builds a condition with names and typed values, leaving out empty value maps', () => {
    expect(
      JSON.parse(transform.toDynamoDBConditionExpression({ version: { eq: 3 }, owner: { attributeExists: true } })),
    ).toEqual({
      expression: '(#version = :version_eq) AND (attribute_exists(#owner))',
      expressionNames: { '#version': 'version', '#owner': 'owner' },
      expressionValues: { ':version_eq': { N: 3 } },
    });
    expect(JSON.parse(transform.toDynamoDBConditionExpression({ id: { attributeExists: false } }))).toEqual({
      expression: '(attribute_not_exists(#id))',
      expressionNames: { '#id': 'id' },
    });
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  const docInput = {
    percentageUp: { lte: 50, gte: 20 },
    and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }],
    or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
  };
  const rule = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });

  it('flattens the documented example to disjunctive normal form, emitting le/ge', () => {
    const common = [rule('title', 'ne', 'Book1'), rule('downvotes', 'gt', 2000)];
    expect(transform.toSubscriptionFilter(docInput)).toEqual({
      filterGroup: [
        { filters: [rule('percentageUp', 'le', 50), ...common, rule('author', 'eq', 'Admin')] },
        { filters: [rule('percentageUp', 'le', 50), ...common, rule('isPublished', 'eq', false)] },
        { filters: [rule('percentageUp', 'ge', 20), ...common, rule('author', 'eq', 'Admin')] },
        { filters: [rule('percentageUp', 'ge', 20), ...common, rule('isPublished', 'eq', false)] },
      ],
    });
  });

  it('drops ignored fields, including inside or', () => {
    expect(transform.toSubscriptionFilter(docInput, ['percentageUp', 'author'])).toEqual({
      filterGroup: [
        { filters: [rule('title', 'ne', 'Book1'), rule('downvotes', 'gt', 2000), rule('isPublished', 'eq', false)] },
      ],
    });
  });

  it('ANDs the strict rules into every group as alternatives', () => {
    const result = transform.toSubscriptionFilter(docInput, ['percentageUp', 'author'], {
      upvotes: { gte: 250 },
      author: { eq: 'Person1' },
    });
    const base = [rule('title', 'ne', 'Book1'), rule('downvotes', 'gt', 2000), rule('isPublished', 'eq', false)];
    expect(result).toEqual({
      filterGroup: [
        { filters: [...base, rule('upvotes', 'ge', 250)] },
        { filters: [...base, rule('author', 'eq', 'Person1')] },
      ],
    });
  });

  it('distributes nested or inside and', () => {
    const result = transform.toSubscriptionFilter({
      and: [{ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { or: [{ c: { eq: 3 } }, { d: { in: [4, 5] } }] }],
    });
    expect(result.filterGroup.map((g) => g.filters.map((f) => f.fieldName).join(''))).toEqual(['ac', 'ad', 'bc', 'bd']);
    expect(result.filterGroup[3].filters[1]).toEqual(rule('d', 'in', [4, 5]));
  });

  it('refuses operators subscriptions do not have', () => {
    expect(() => transform.toSubscriptionFilter({ a: { attributeExists: true } })).toThrow(
      /unknown operator 'attributeExists'/,
    );
    expect(() => transform.toSubscriptionFilter({ a: { eq: 1 } }, 'a')).toThrow(/ignoredFields must be a list/);
  });

  it('produces what setSubscriptionFilter accepts', () => {
    const { slot, calls } = fakeHost();
    const builtins = createBuiltins(slot);
    builtins.extensions.setSubscriptionFilter(builtins.util.transform.toSubscriptionFilter(docInput));
    expect((calls.filters[0] as { filterGroup: unknown[] }).filterGroup).toHaveLength(4);
  });
});
