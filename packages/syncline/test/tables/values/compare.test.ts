import { describe, expect, it } from 'vitest';
import { compareStrings, compareValues, valuesEqual } from '../../../src/tables/values/compare.js';

const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

describe('ordering', () => {
  it('orders strings by UTF-8 bytes, not UTF-16 code units', () => {
    const emoji = '\u{1F600}'; // surrogate pair D83D DE00, UTF-8 F0 9F 98 80
    const privateUse = '\uE000'; // UTF-8 EE 80 80
    expect(emoji < privateUse).toBe(true); // JavaScript's order
    expect(compareStrings(emoji, privateUse)).toBeGreaterThan(0); // DynamoDB's order
    expect(Math.sign(compareStrings(emoji, privateUse))).toBe(
      Buffer.compare(Buffer.from(emoji), Buffer.from(privateUse)),
    );
  });

  it('agrees with Buffer.compare of UTF-8 for many strings', () => {
    const alphabet = ['a', 'B', 'é', '\u00ff', '\u0800', '\uFFFF', '\uE000', '\u{10000}', '\u{1F600}', '', 'z'];
    for (const x of alphabet) {
      for (const y of alphabet) {
        const s1 = `k${x}${y}`;
        const s2 = `k${y}${x}x`;
        expect(Math.sign(compareStrings(s1, s2))).toBe(Buffer.compare(Buffer.from(s1), Buffer.from(s2)));
      }
    }
  });

  it('orders a prefix before its extensions', () => {
    expect(compareValues({ S: 'ab' }, { S: 'abc' })).toBeLessThan(0);
  });

  it('orders numbers numerically and binaries as unsigned bytes', () => {
    expect(compareValues({ N: '10' }, { N: '9' })).toBeGreaterThan(0);
    expect(compareValues({ N: '-10' }, { N: '-9' })).toBeLessThan(0);
    expect(compareValues({ B: b64([0x7f]) }, { B: b64([0x80]) })).toBeLessThan(0);
    expect(compareValues({ B: b64([1, 2]) }, { B: b64([1]) })).toBeGreaterThan(0);
  });
});

describe('valuesEqual', () => {
  it('treats sets as unordered', () => {
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true);
    expect(valuesEqual({ NS: ['1', '2.0'] }, { NS: ['2', '1'] })).toBe(true);
    expect(valuesEqual({ SS: ['a', 'b'] }, { SS: ['a'] })).toBe(false);
    expect(valuesEqual({ BS: [b64([1]), b64([2])] }, { BS: [b64([2]), b64([1])] })).toBe(true);
  });

  it('treats lists as ordered and maps by key', () => {
    expect(valuesEqual({ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ N: '1' }, { S: 'a' }] })).toBe(false);
    expect(
      valuesEqual({ M: { a: { N: '1' }, b: { BOOL: true } } }, { M: { b: { BOOL: true }, a: { N: '1.0' } } }),
    ).toBe(true);
    expect(valuesEqual({ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { NULL: true } } })).toBe(false);
  });

  it('never equates values of different types', () => {
    expect(valuesEqual({ S: '1' }, { N: '1' })).toBe(false);
    expect(valuesEqual({ SS: ['1'] }, { NS: ['1'] })).toBe(false);
    expect(valuesEqual({ NULL: true }, { BOOL: false })).toBe(false);
  });
});
