import { describe, expect, it } from 'vitest';
import { evaluateCondition, getPath, parseCondition } from '../../../src/tables/expressions/index.js';
import type { Item } from '../../../src/tables/values/types.js';
import { ctx, N, S, validationMessage } from './helpers.js';

const item: Item = {
  id: S('item-1'),
  qty: N('10'),
  price: N('9.99'),
  title: S('Widget'),
  tags: { SS: ['red', 'blue'] },
  scores: { NS: ['1', '2', '3'] },
  bin: { B: Buffer.from('hello').toString('base64') },
  flag: { BOOL: true },
  nothing: { NULL: true },
  arr: { L: [S('a'), N('1'), { M: { deep: S('x') } }] },
  doc: { M: { nest: { M: { leaf: N('5') } }, 'with space': S('s') } },
  emoji: S('\u{1F600}'),
};

function check(
  expr: string,
  values: Record<string, any> = {},
  names: Record<string, string> = {},
  on: Item | undefined = item,
) {
  const c = ctx(values, names);
  const cond = parseCondition(expr, c);
  c.assertAllUsed();
  return evaluateCondition(cond, on);
}

const conditionError = (expr: string, values: Record<string, any> = {}, names: Record<string, string> = {}) =>
  validationMessage(() => parseCondition(expr, ctx(values, names)));

describe('comparators', () => {
  it.each([
    ['qty = :v', N('10'), true],
    ['qty = :v', N('10.0'), true],
    ['qty = :v', S('10'), false],
    ['qty <> :v', N('11'), true],
    ['qty <> :v', S('10'), true],
    ['qty < :v', N('11'), true],
    ['qty < :v', N('10'), false],
    ['qty <= :v', N('10'), true],
    ['qty > :v', N('9.5'), true],
    ['qty >= :v', N('10'), true],
    ['qty > :v', S('1'), false],
    ['title < :v', S('Wz'), true],
    ['title > :v', S('Widget'), false],
    ['tags = :v', { SS: ['blue', 'red'] }, true],
    ['arr = :v', { L: [S('a'), N('1'), { M: { deep: S('x') } }] }, true],
    ['absent = :v', N('1'), false],
    ['absent <> :v', N('1'), true],
    ['absent < :v', N('1'), false],
  ])('%s with %j is %s', (expr, v, expected) => {
    expect(check(expr, { ':v': v })).toBe(expected);
  });

  it('compares strings in UTF-8 byte order', () => {
    expect(check('emoji > :v', { ':v': S('\uE000') })).toBe(true);
  });

  it('compares two paths', () => {
    expect(check('qty > price')).toBe(true);
    expect(check('price < qty')).toBe(true);
  });

  it('compares exactly at 38 digits', () => {
    const big: Item = { n: N('12345678901234567890123456789012345678') };
    expect(check('n > :v', { ':v': N('12345678901234567890123456789012345677') }, {}, big)).toBe(true);
  });
});

describe('BETWEEN and IN', () => {
  it('BETWEEN is inclusive and type-strict', () => {
    expect(check('qty BETWEEN :a AND :b', { ':a': N('10'), ':b': N('20') })).toBe(true);
    expect(check('qty BETWEEN :a AND :b', { ':a': N('1'), ':b': N('9.9') })).toBe(false);
    expect(check('title BETWEEN :a AND :b', { ':a': S('A'), ':b': S('Z') })).toBe(true);
    expect(check('absent BETWEEN :a AND :b', { ':a': N('1'), ':b': N('2') })).toBe(false);
  });

  it('IN matches any listed value', () => {
    expect(check('qty IN (:a, :b)', { ':a': N('1'), ':b': N('10') })).toBe(true);
    expect(check('qty IN (:a)', { ':a': S('10') })).toBe(false);
    expect(check('absent IN (:a)', { ':a': N('1') })).toBe(false);
  });

  it('rejects bounds of different types or in the wrong order', () => {
    expect(conditionError('qty BETWEEN :a AND :b', { ':a': N('1'), ':b': S('a') })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    );
    expect(conditionError('qty BETWEEN :a AND :b', { ':a': N('5'), ':b': N('1') })).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}',
    );
  });

  it('limits IN to 100 operands', () => {
    const values: Record<string, any> = {};
    const refs: string[] = [];
    for (let i = 0; i < 101; i++) {
      values[`:v${i}`] = N(i);
      refs.push(`:v${i}`);
    }
    expect(conditionError(`qty IN (${refs.join(', ')})`, values)).toBe(
      'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
    expect(
      check(`qty IN (${refs.slice(0, 100).join(', ')})`, Object.fromEntries(Object.entries(values).slice(0, 100))),
    ).toBe(true);
  });
});

describe('logical operators', () => {
  it('gives NOT over AND over OR precedence', () => {
    // true OR (false AND false)
    expect(check('qty = :ten OR qty = :one AND qty = :two', { ':ten': N(10), ':one': N(1), ':two': N(2) })).toBe(true);
    // (true OR false) AND false
    expect(check('(qty = :ten OR qty = :one) AND qty = :two', { ':ten': N(10), ':one': N(1), ':two': N(2) })).toBe(
      false,
    );
    expect(check('NOT qty = :one AND qty = :ten', { ':ten': N(10), ':one': N(1) })).toBe(true);
    expect(check('NOT (qty = :ten AND qty = :one)', { ':ten': N(10), ':one': N(1) })).toBe(true);
    expect(check('not qty = :ten', { ':ten': N(10) })).toBe(false);
  });

  it('reports redundant parentheses', () => {
    expect(conditionError('((qty = :v))', { ':v': N(1) })).toBe(
      'Invalid ConditionExpression: The expression has redundant parentheses;',
    );
  });
});

describe('functions', () => {
  it('attribute_exists / attribute_not_exists', () => {
    expect(check('attribute_exists(qty)')).toBe(true);
    expect(check('attribute_exists(doc.nest.leaf)')).toBe(true);
    expect(check('attribute_exists(arr[2].deep)')).toBe(true);
    expect(check('attribute_exists(arr[3])')).toBe(false);
    expect(check('attribute_not_exists(absent)')).toBe(true);
    expect(evaluateCondition(parseCondition('attribute_not_exists(id)', ctx()), undefined)).toBe(true);
    expect(evaluateCondition(parseCondition('attribute_exists(id)', ctx()), undefined)).toBe(false);
  });

  it('attribute_type', () => {
    expect(check('attribute_type(tags, :t)', { ':t': S('SS') })).toBe(true);
    expect(check('attribute_type(nothing, :t)', { ':t': S('NULL') })).toBe(true);
    expect(check('attribute_type(qty, :t)', { ':t': S('S') })).toBe(false);
    expect(conditionError('attribute_type(qty, :t)', { ':t': S('STRING') })).toBe(
      'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
    );
    expect(conditionError('attribute_type(qty, :t)', { ':t': N(1) })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
    );
  });

  it('begins_with on strings and binaries', () => {
    expect(check('begins_with(title, :p)', { ':p': S('Wid') })).toBe(true);
    expect(check('begins_with(title, :p)', { ':p': S('wid') })).toBe(false);
    expect(check('begins_with(bin, :p)', { ':p': { B: Buffer.from('he').toString('base64') } })).toBe(true);
    expect(check('begins_with(qty, :p)', { ':p': S('1') })).toBe(false);
    expect(conditionError('begins_with(title, :p)', { ':p': N(1) })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
  });

  it('contains on strings, sets, lists and binaries', () => {
    expect(check('contains(title, :v)', { ':v': S('dge') })).toBe(true);
    expect(check('contains(tags, :v)', { ':v': S('red') })).toBe(true);
    expect(check('contains(tags, :v)', { ':v': S('green') })).toBe(false);
    expect(check('contains(scores, :v)', { ':v': N('2.0') })).toBe(true);
    expect(check('contains(arr, :v)', { ':v': S('a') })).toBe(true);
    expect(check('contains(arr, :v)', { ':v': N('1') })).toBe(true);
    expect(check('contains(arr, :v)', { ':v': { M: { deep: S('x') } } })).toBe(true);
    expect(check('contains(bin, :v)', { ':v': { B: Buffer.from('ell').toString('base64') } })).toBe(true);
    expect(check('contains(qty, :v)', { ':v': N('1') })).toBe(false);
  });

  it('size of strings, binaries, sets, lists and maps', () => {
    expect(check('size(title) = :v', { ':v': N(6) })).toBe(true);
    expect(check('size(bin) = :v', { ':v': N(5) })).toBe(true);
    expect(check('size(tags) = :v', { ':v': N(2) })).toBe(true);
    expect(check('size(arr) > :v', { ':v': N(2) })).toBe(true);
    expect(check('size(doc) = :v', { ':v': N(2) })).toBe(true);
    expect(check('size(qty) = :v', { ':v': N(2) })).toBe(false);
    expect(check('size(absent) < :v', { ':v': N(2) })).toBe(false);
    expect(check('size(title) BETWEEN :a AND :b', { ':a': N(1), ':b': N(10) })).toBe(true);
  });

  it('reports unknown and misused functions', () => {
    expect(conditionError('foo(a)')).toBe('Invalid ConditionExpression: Invalid function name; function: foo');
    expect(conditionError('size(a)')).toBe(
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size',
    );
    expect(conditionError('begins_with(a, :v) = :v', { ':v': S('x') })).toBe(
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with',
    );
    expect(conditionError('attribute_exists(a, b)')).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2',
    );
    expect(conditionError('attribute_exists(:v)', { ':v': S('x') })).toBe(
      'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists',
    );
    expect(conditionError('size(:v) > :w', { ':v': N(1), ':w': N(1) })).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
  });

  it('requires distinct operands', () => {
    expect(conditionError('a = a')).toBe(
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]',
    );
    expect(conditionError('begins_with(a.b, a.b)')).toBe(
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a, b]',
    );
  });
});

describe('paths and placeholders', () => {
  it('resolves #names, nested maps and arr indexes', () => {
    expect(check('#m.#s = :v', { ':v': S('s') }, { '#m': 'doc', '#s': 'with space' })).toBe(true);
    expect(check('doc.nest.leaf = :v', { ':v': N(5) })).toBe(true);
    expect(check('arr[1] = :v', { ':v': N(1) })).toBe(true);
    expect(check('arr[2].deep = :v', { ':v': S('x') })).toBe(true);
    expect(check('#l[2].#d = :v', { ':v': S('x') }, { '#l': 'arr', '#d': 'deep' })).toBe(true);
  });

  it('reads paths with getPath', () => {
    expect(getPath(item, ['doc', 'nest', 'leaf'])).toEqual(N('5'));
    expect(getPath(item, ['arr', 0])).toEqual(S('a'));
    expect(getPath(item, ['arr', 'x'])).toBeUndefined();
    expect(getPath(item, ['qty', 0])).toBeUndefined();
    expect(getPath(item, ['toString'])).toBeUndefined();
  });

  it('reports undefined placeholders', () => {
    expect(conditionError('a = :x')).toBe(
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    );
    expect(conditionError('#n = :x', { ':x': S('1') })).toBe(
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n',
    );
  });

  it('rejects reserved words unless escaped', () => {
    expect(conditionError('status = :v', { ':v': S('x') })).toBe(
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
    expect(conditionError('a.Size = :v', { ':v': S('x') })).toBe(
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size',
    );
    expect(check('#s = :v', { ':v': S('x') }, { '#s': 'status' }, { status: S('x') })).toBe(true);
  });

  it('reports unused names and values across the request', () => {
    const c = ctx({ ':a': N(1), ':b': N(2) }, { '#x': 'x' });
    parseCondition('qty = :a', c);
    expect(validationMessage(() => c.assertAllUsed())).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}',
    );
    const d = ctx({ ':a': N(1), ':b': N(2) });
    parseCondition('qty = :a', d);
    expect(validationMessage(() => d.assertAllUsed())).toBe(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}',
    );
  });

  it('validates the placeholder maps themselves', () => {
    expect(validationMessage(() => ctx({}, { x: 'y' }))).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"',
    );
    expect(validationMessage(() => ctx({ ':v': { N: 'abc' } }))).toBe(
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: abc for key :v',
    );
    expect(validationMessage(() => ctx({ ':v': { SS: [] } }))).toBe(
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v',
    );
  });
});

describe('syntax errors', () => {
  it.each([
    ['a =', '<EOF>', '='],
    ['a = ', '<EOF>', '= '],
    ['foo', '<EOF>', 'foo'],
    ['a = :v :w', ':w', ':v :w'],
    ['a == :v', '=', '== :v'],
    ['a = :v AND', '<EOF>', 'AND'],
    ['a BETWEEN :v :w', ':w', ':v :w'],
    ['a IN :v', ':v', 'IN :v'],
    ['a = 1', '1', '= 1'],
    ['a ! b', '!', 'a ! b'],
    ['(a = :v', '<EOF>', ':v'],
  ])('%j fails at %j near %j', (expr, token, near) => {
    expect(conditionError(expr, { ':v': S('x'), ':w': S('y') })).toBe(
      `Invalid ConditionExpression: Syntax error; token: "${token}", near: "${near}"`,
    );
  });

  it('rejects an empty expression', () => {
    expect(conditionError('')).toBe('Invalid ConditionExpression: The expression can not be empty;');
  });

  it('names the expression parameter in messages', () => {
    expect(validationMessage(() => parseCondition('a =', ctx(), 'FilterExpression'))).toBe(
      'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "="',
    );
  });

  it('reports syntax errors before semantic ones', () => {
    expect(conditionError('status = :undefined AND')).toBe(
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"',
    );
  });
});
