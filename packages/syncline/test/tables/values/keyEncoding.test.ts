import { describe, expect, it } from 'vitest';
import { compareValues } from '../../../src/tables/values/compare.js';
import { decodeKey, encodeKey } from '../../../src/tables/values/keyEncoding.js';
import { canonicalNumber } from '../../../src/tables/values/numbers.js';
import type { AttributeValue } from '../../../src/tables/values/types.js';

// Mulberry32: a small fixed-seed generator so failures reproduce.
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomNumber(next: () => number): string {
  const r = next();
  if (r < 0.05) return '0';
  const digitCount = 1 + Math.floor(next() * 38);
  let digits = String(1 + Math.floor(next() * 9));
  for (let i = 1; i < digitCount; i++) digits += String(Math.floor(next() * 10));
  // Bias exponents towards small ones so neighbours often share an exponent, but cover the whole range.
  const exponent = next() < 0.7 ? Math.floor(next() * 10) - 5 : Math.floor(next() * 256) - 130;
  const sign = next() < 0.5 ? '-' : '';
  const clamped = Math.min(Math.max(exponent, -130 + digitCount), 125);
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}e${clamped}`;
}

function expectSameOrder(a: AttributeValue, b: AttributeValue) {
  expect(Math.sign(Buffer.compare(encodeKey(a), encodeKey(b))), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(
    Math.sign(compareValues(a, b)),
  );
}

describe('key encoding', () => {
  it('orders random numbers like compareValues', () => {
    const next = rng(20240601);
    const values = Array.from({ length: 600 }, () => ({ N: randomNumber(next) }));
    for (let i = 0; i < values.length; i++) {
      expectSameOrder(values[i], values[(i * 7 + 1) % values.length]);
      expectSameOrder(values[i], values[(i + 1) % values.length]);
    }
  });

  it('orders hand-picked numbers at the edges', () => {
    const sorted = [
      '-9.9999999999999999999999999999999999999E+125',
      '-1E+125',
      '-100',
      '-10.5',
      '-10',
      '-9.99',
      '-1',
      '-0.123',
      '-0.12',
      '-1E-130',
      '0',
      '1E-130',
      '0.12',
      '0.123',
      '1',
      '1.05',
      '1.5',
      '9.99',
      '10',
      '10.5',
      '100',
      '12345678901234567890123456789012345678',
      '9.9999999999999999999999999999999999999E+125',
    ];
    for (let i = 0; i < sorted.length; i++) {
      for (let j = 0; j < sorted.length; j++) {
        expect(
          Math.sign(Buffer.compare(encodeKey({ N: sorted[i] }), encodeKey({ N: sorted[j] }))),
          `${sorted[i]} ? ${sorted[j]}`,
        ).toBe(Math.sign(i - j));
      }
    }
  });

  it('encodes equal numbers identically', () => {
    expect(encodeKey({ N: '1.50' }).equals(encodeKey({ N: '1.5' }))).toBe(true);
    expect(encodeKey({ N: '-0' }).equals(encodeKey({ N: '0' }))).toBe(true);
  });

  it('round-trips numbers, strings and binaries', () => {
    const next = rng(7);
    for (let i = 0; i < 200; i++) {
      const n = randomNumber(next);
      expect(decodeKey(encodeKey({ N: n }), 'N')).toEqual({ N: canonicalNumber(n) });
    }
    expect(decodeKey(encodeKey({ S: 'héllo \u{1F600}' }), 'S')).toEqual({ S: 'héllo \u{1F600}' });
    expect(decodeKey(encodeKey({ B: 'AAEC/w==' }), 'B')).toEqual({ B: 'AAEC/w==' });
  });

  it('orders strings with surrogates by UTF-8 bytes', () => {
    const strings = ['', 'a', 'ab', '\uE000', '\u{1F600}', '\uFFFF', 'é', 'Z'];
    for (const x of strings) for (const y of strings) expectSameOrder({ S: x }, { S: y });
  });

  it('orders binaries as unsigned bytes', () => {
    const next = rng(99);
    const blobs = Array.from({ length: 100 }, () =>
      Buffer.from(Array.from({ length: Math.floor(next() * 5) }, () => Math.floor(next() * 256))).toString('base64'),
    );
    for (let i = 0; i < blobs.length; i++) expectSameOrder({ B: blobs[i] }, { B: blobs[(i + 3) % blobs.length] });
  });
});
