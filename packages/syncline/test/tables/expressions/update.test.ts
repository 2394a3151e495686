import { describe, expect, it } from 'vitest';
import { applyUpdate, parseUpdate, project, updatedPaths } from '../../../src/tables/expressions/index.js';
import type { AttributeValue, Item } from '../../../src/tables/values/types.js';
import { ctx, N, S, validationMessage } from './helpers.js';

function update(
  expr: string,
  item: Item | undefined,
  values: Record<string, AttributeValue> = {},
  names: Record<string, string> = {},
) {
  const c = ctx(values, names);
  const actions = parseUpdate(expr, c);
  c.assertAllUsed();
  return applyUpdate(actions, item);
}

const updateError = (expr: string, values: Record<string, AttributeValue> = {}, names: Record<string, string> = {}) =>
  validationMessage(() => parseUpdate(expr, ctx(values, names)));

const applyError = (expr: string, item: Item | undefined, values: Record<string, AttributeValue> = {}) =>
  validationMessage(() => update(expr, item, values));

describe('SET', () => {
  it('sets top-level and nested attributes and leaves the input untouched', () => {
    const item: Item = { id: S('1'), doc: { M: { a: N(1) } } };
    const out = update('SET x = :v, doc.b = :w', item, { ':v': S('x'), ':w': N(2) });
    expect(out).toEqual({ id: S('1'), x: S('x'), doc: { M: { a: N(1), b: N(2) } } });
    expect(item).toEqual({ id: S('1'), doc: { M: { a: N(1) } } });
  });

  it('increments and decrements exactly', () => {
    const item: Item = { n: N('12345678901234567890123456789012345678') };
    expect(update('SET n = n + :one', item, { ':one': N(1) })).toEqual({
      n: N('12345678901234567890123456789012345679'),
    });
    expect(update('SET n = :a - :b', {}, { ':a': N('0.3'), ':b': N('0.1') })).toEqual({ n: N('0.2') });
  });

  it('evaluates every right-hand side against the original item', () => {
    expect(update('SET a = b, b = a', { a: N(1), b: N(2) })).toEqual({ a: N(2), b: N(1) });
  });

  it('if_not_exists keeps an existing value and fills a missing one', () => {
    expect(update('SET a = if_not_exists(a, :d)', { a: N(5) }, { ':d': N(0) })).toEqual({ a: N(5) });
    expect(update('SET a = if_not_exists(a, :d) + :one', {}, { ':d': N(0), ':one': N(1) })).toEqual({ a: N(1) });
  });

  it('list_append concatenates in order', () => {
    const item: Item = { l: { L: [N(1)] } };
    expect(update('SET l = list_append(l, :more)', item, { ':more': { L: [N(2)] } })).toEqual({
      l: { L: [N(1), N(2)] },
    });
    expect(update('SET l = list_append(:more, l)', item, { ':more': { L: [N(0)] } })).toEqual({
      l: { L: [N(0), N(1)] },
    });
    expect(
      update(
        'SET l = list_append(if_not_exists(l, :empty), :more)',
        {},
        { ':empty': { L: [] }, ':more': { L: [S('x')] } },
      ),
    ).toEqual({ l: { L: [S('x')] } });
  });

  it('replaces list elements in range and appends beyond the end', () => {
    const item: Item = { l: { L: [S('a'), S('b')] } };
    expect(update('SET l[1] = :v', item, { ':v': S('B') })).toEqual({ l: { L: [S('a'), S('B')] } });
    expect(update('SET l[10] = :v', item, { ':v': S('c') })).toEqual({ l: { L: [S('a'), S('b'), S('c')] } });
  });

  it('rejects paths through missing or non-container attributes', () => {
    const invalid = 'The document path provided in the update expression is invalid for update';
    expect(applyError('SET a.b = :v', {}, { ':v': N(1) })).toBe(invalid);
    expect(applyError('SET a.b = :v', { a: S('x') }, { ':v': N(1) })).toBe(invalid);
    expect(applyError('SET a[0] = :v', { a: { M: {} } }, { ':v': N(1) })).toBe(invalid);
    expect(applyError('SET a.b.c = :v', { a: { M: {} } }, { ':v': N(1) })).toBe(invalid);
  });

  it('rejects arithmetic on non-numbers and list_append on non-lists', () => {
    const incorrect = 'An operand in the update expression has an incorrect data type';
    expect(applyError('SET a = a + :v', { a: S('x') }, { ':v': N(1) })).toBe(incorrect);
    expect(applyError('SET a = list_append(a, :v)', { a: S('x') }, { ':v': { L: [] } })).toBe(incorrect);
    expect(applyError('SET a = b + :v', {}, { ':v': N(1) })).toBe(
      'The provided expression refers to an attribute that does not exist in the item',
    );
  });

  it('reports overflowing arithmetic', () => {
    expect(applyError('SET a = a + :v', { a: N('9E+125') }, { ':v': N('9E+125') })).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });

  it('type-checks literal operands while parsing', () => {
    expect(updateError('SET a = :s + :n', { ':s': S('x'), ':n': N(1) })).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S',
    );
    expect(updateError('SET a = list_append(a, :n)', { ':n': N(1) })).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N',
    );
    expect(updateError('SET a = if_not_exists(:v, a)', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists',
    );
    expect(updateError('SET a = foo(a)')).toBe('Invalid UpdateExpression: Invalid function name; function: foo');
    expect(updateError('SET a = list_append(a)')).toBe(
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    );
  });
});

describe('REMOVE', () => {
  it('removes attributes, nested members and ignores missing ones', () => {
    const item: Item = { a: N(1), doc: { M: { x: N(1), y: N(2) } } };
    expect(update('REMOVE a, doc.x, nope', item)).toEqual({ doc: { M: { y: N(2) } } });
  });

  it('removes list elements by their original positions', () => {
    const item: Item = { l: { L: [S('a'), S('b'), S('c'), S('d')] } };
    expect(update('REMOVE l[1]', item)).toEqual({ l: { L: [S('a'), S('c'), S('d')] } });
    expect(update('REMOVE l[0], l[1]', item)).toEqual({ l: { L: [S('c'), S('d')] } });
    expect(update('REMOVE l[3], l[0]', item)).toEqual({ l: { L: [S('b'), S('c')] } });
    expect(update('REMOVE l[9]', item)).toEqual(item);
  });
});

describe('ADD and DELETE', () => {
  it('ADD adds to numbers and creates missing ones', () => {
    expect(update('ADD n :v', { n: N('1.5') }, { ':v': N('-0.5') })).toEqual({ n: N('1') });
    expect(update('ADD n :v', undefined, { ':v': N(3) })).toEqual({ n: N(3) });
  });

  it('ADD unions sets without duplicates', () => {
    expect(update('ADD s :v', { s: { SS: ['a', 'b'] } }, { ':v': { SS: ['b', 'c'] } })).toEqual({
      s: { SS: ['a', 'b', 'c'] },
    });
    expect(update('ADD s :v', { s: { NS: ['1'] } }, { ':v': { NS: ['1.0', '2'] } })).toEqual({ s: { NS: ['1', '2'] } });
    expect(update('ADD s :v', {}, { ':v': { BS: ['AQ=='] } })).toEqual({ s: { BS: ['AQ=='] } });
  });

  it('ADD rejects mismatched types', () => {
    expect(applyError('ADD s :v', { s: { SS: ['a'] } }, { ':v': { NS: ['1'] } })).toBe(
      'An operand in the update expression has an incorrect data type',
    );
    expect(applyError('ADD n :v', { n: S('1') }, { ':v': N(1) })).toBe(
      'An operand in the update expression has an incorrect data type',
    );
    expect(updateError('ADD s :v', { ':v': S('x') })).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING',
    );
    expect(updateError('ADD s :v', { ':v': { L: [] } })).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST',
    );
  });

  it('DELETE removes set members and the attribute once empty', () => {
    expect(update('DELETE s :v', { s: { SS: ['a', 'b'] } }, { ':v': { SS: ['a', 'x'] } })).toEqual({
      s: { SS: ['b'] },
    });
    expect(update('DELETE s :v', { s: { NS: ['1', '2'] } }, { ':v': { NS: ['1', '2.0'] } })).toEqual({});
    expect(update('DELETE s :v', {}, { ':v': { SS: ['a'] } })).toEqual({});
    expect(updateError('DELETE s :v', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER',
    );
    expect(applyError('DELETE s :v', { s: { NS: ['1'] } }, { ':v': { SS: ['a'] } })).toBe(
      'An operand in the update expression has an incorrect data type',
    );
  });
});

describe('update expression grammar', () => {
  it('accepts clauses in any order, lower-case keywords and multiple clauses', () => {
    const out = update(
      'remove b add n :one set a = :v delete s :d',
      { b: N(1), s: { SS: ['x', 'y'] } },
      {
        ':one': N(1),
        ':v': S('a'),
        ':d': { SS: ['x'] },
      },
    );
    expect(out).toEqual({ a: S('a'), n: N(1), s: { SS: ['y'] } });
  });

  it('allows each clause once', () => {
    expect(updateError('SET a = :v SET b = :v', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    );
  });

  it('reports overlapping and conflicting paths', () => {
    expect(updateError('SET a = :v REMOVE a.b', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    );
    expect(updateError('SET a.b = :v, a.b = :v', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, b]',
    );
    expect(updateError('SET a[0] = :v REMOVE a.b', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]',
    );
    expect(update('SET a.b = :v, a.c = :v', { a: { M: {} } }, { ':v': N(1) })).toEqual({
      a: { M: { b: N(1), c: N(1) } },
    });
  });

  it('reports syntax errors with the surrounding tokens', () => {
    expect(updateError('SET a = :v, REMOVE b', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Syntax error; token: "b", near: "REMOVE b"',
    );
    expect(updateError('SET MyStr = myNum + 1')).toBe(
      'Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1"',
    );
    expect(updateError('SET a = ')).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "');
    expect(updateError('UPSERT a = :v', { ':v': N(1) })).toBe(
      'Invalid UpdateExpression: Syntax error; token: "UPSERT", near: "UPSERT a"',
    );
    expect(updateError('SET a = b + c + d')).toBe('Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"');
    expect(updateError('')).toBe('Invalid UpdateExpression: The expression can not be empty;');
  });

  it('reports reserved words and undefined placeholders', () => {
    expect(updateError('SET #a = :v, size = :v', { ':v': N(1) }, { '#a': 'a' })).toBe(
      'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size',
    );
    expect(updateError('SET a = :nope')).toBe(
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope',
    );
  });

  it('lists the updated paths for ReturnValues', () => {
    const c = ctx({ ':v': N(1) });
    const actions = parseUpdate('SET a.b = :v, c = :v REMOVE d[0]', c);
    expect(updatedPaths(actions)).toEqual([['a', 'b'], ['c'], ['d', 0]]);
    const before: Item = { a: { M: { b: N(0), keep: N(9) } }, d: { L: [N(1), N(2)] }, other: N(5) };
    expect(project(before, updatedPaths(actions))).toEqual({ a: { M: { b: N(0) } }, d: { L: [N(1)] } });
    expect(project(applyUpdate(actions, before), updatedPaths(actions))).toEqual({
      a: { M: { b: N(1) } },
      c: N(1),
      d: { L: [N(2)] },
    });
  });
});
