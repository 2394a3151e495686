import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const { util } = createBuiltins(fakeHost().slot, { now: () => 0, random: () => 0.999 });

describe('util string helpers', () => {
  it('urlEncode follows java.net.URLEncoder', () => {
    expect(util.urlEncode("a b&c=d/é~!*'()._-")).toBe('a+b%26c%3Dd%2F%C3%A9%7E%21*%27%28%29._-');
    expect(util.urlDecode('a+b%26c%3Dd%2F%C3%A9%7E')).toBe('a b&c=d/é~');
    expect(() => util.urlDecode('%E0%A4%A')).toThrow(ResolverError);
  });

  it('base64 round-trips UTF-8', () => {
    expect(util.base64Encode('héllo')).toBe('aMOpbGxv');
    expect(util.base64Decode('aMOpbGxv')).toBe('héllo');
  });

  it('escapeJavaScript escapes like commons-lang escapeEcmaScript', () => {
    expect(util.escapeJavaScript(`He didn't say, "Stop!" </script>`)).toBe(`He didn\\'t say, \\"Stop!\\" <\\/script>`);
    expect(util.escapeJavaScript('a\\b\n\t\r\f\b\u0001é😀')).toBe('a\\\\b\\n\\t\\r\\f\\b\\u0001\\u00E9\\uD83D\\uDE00');
  });

  it('util.str helpers', () => {
    expect(util.str.toUpper('abc é')).toBe('ABC É');
    expect(util.str.toLower('ABC É')).toBe('abc é');
    expect(util.str.toReplace('a.b.c', '.', '$&')).toBe('a$&b$&c');
    expect(util.str.normalize('e\u0301', 'nfc')).toBe('é');
    expect(util.str.normalize('é', 'NFD')).toBe('e\u0301');
    expect(() => util.str.normalize('x', 'nfx')).toThrow(/util\.str\.normalize/);
    expect(() => util.str.toUpper(3 as unknown as string)).toThrow(/expected a string, got number 3/);
  });
});

describe('util.matches (Java regex, whole string)', () => {
  it.each([
    ['a*b', 'aaaaab', true],
    ['a*b', 'aaaaabc', false],
    ['b', 'abc', false],
    ['^[a-z]+$', 'abc', true],
    ['\\d{3}-\\d{4}', '555-1234', true],
    ['\\d{3}-\\d{4}', 'x555-1234', false],
    ['(?i)hello', 'HeLLo', true],
    ['\\p{Alpha}+\\p{Digit}', 'abc1', true],
    ['[\\p{Upper}_]+', 'AB_C', true],
    ['\\QA.B\\E', 'A.B', true],
    ['\\QA.B\\E', 'AxB', false],
    ['a++b', 'aab', true],
    ['(?>ab)c', 'abc', true],
    ['x{2,}+y', 'xxxy', true],
    ['\\Aab\\z', 'ab', true],
    ['[]a]+', ']a]', true],
    ['a]b', 'a]b', true],
    ['\\-\\#\\@', '-#@', true],
    ['\\x{41}\\u0042', 'AB', true],
    ['[^\\p{Digit}]+', 'abc', true],
    ['[^\\p{Digit}]+', 'ab1', false],
    ['\\h\\w', ' a', true],
    ['a.c', 'a\nc', false],
    ['(?s)a.c', 'a\nc', true],
  ])('matches(%j, %j) is %s', (pattern, value, expected) => {
    expect(util.matches(pattern, value)).toBe(expected);
  });

  it('refuses what Java would refuse or JavaScript cannot express', () => {
    for (const pattern of ['a{', '[a-z&&[^b]]', '(', 'a\\']) {
      expect(() => util.matches(pattern, 'a')).toThrow(ResolverError);
    }
  });
});

describe('util type helpers', () => {
  it('null, empty and blank', () => {
    expect([util.isNull(null), util.isNull(undefined), util.isNull(0), util.isNull('')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([util.isNullOrEmpty(''), util.isNullOrEmpty(' '), util.isNullOrEmpty(null)]).toEqual([true, false, true]);
    expect([util.isNullOrBlank(' \t'), util.isNullOrBlank(' x '), util.isNullOrBlank(undefined)]).toEqual([
      true,
      false,
      true,
    ]);
    expect(util.defaultIfNull(null, 'd')).toBe('d');
    expect(util.defaultIfNull(0, 'd')).toBe(0);
    expect(util.defaultIfNullOrEmpty('', 'd')).toBe('d');
    expect(util.defaultIfNullOrEmpty(' ', 'd')).toBe(' ');
    expect(util.defaultIfNullOrBlank(' ', 'd')).toBe('d');
    expect(util.defaultIfNullOrBlank('x', 'd')).toBe('x');
  });

  it('typeOf and the is* tests', () => {
    expect([null, 1, 'a', true, [], {}, () => 1].map(util.typeOf)).toEqual([
      'Null',
      'Number',
      'String',
      'Boolean',
      'List',
      'Map',
      'Object',
    ]);
    expect([util.isString('a'), util.isString(1), util.isNumber(1), util.isNumber('1')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect([util.isBoolean(false), util.isBoolean(0), util.isList([]), util.isList({})]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect([util.isMap({}), util.isMap([]), util.isMap(null)]).toEqual([true, false, false]);
  });

  it('recognises maps and lists made in another V8 context', async () => {
    const vm = await import('node:vm');
    const foreign = vm.runInNewContext('({ map: { a: 1 }, list: [1] })');
    expect(util.isMap(foreign.map)).toBe(true);
    expect(util.typeOf(foreign.list)).toBe('List');
    expect(util.dynamodb.toDynamoDB(foreign.map)).toEqual({ M: { a: { N: 1 } } });
  });
});

describe('util.math', () => {
  it('rounds like Java Math.round and picks min and max', () => {
    expect([util.math.roundNum(2.5), util.math.roundNum(-2.5), util.math.roundNum(2.4)]).toEqual([3, -2, 2]);
    expect(util.math.minVal(3, -1)).toBe(-1);
    expect(util.math.maxVal(3, -1)).toBe(3);
  });

  it('draws from the clock random source, range ends included', () => {
    expect(util.math.randomDouble()).toBe(0.999);
    expect(util.math.randomWithinRange(1, 6)).toBe(6);
    const low = createBuiltins(fakeHost().slot, { now: () => 0, random: () => 0 }).util;
    expect(low.math.randomWithinRange(1, 6)).toBe(1);
    expect(() => util.math.randomWithinRange(5, 1)).toThrow(ResolverError);
  });
});
