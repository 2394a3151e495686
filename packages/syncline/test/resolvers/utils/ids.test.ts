import { describe, expect, it } from 'vitest';
import { ksuid, ulid } from '../../../src/resolvers/utils/ids.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const zeros = (size: number) => new Uint8Array(size);
const ones = (size: number) => new Uint8Array(size).fill(0xff);

describe('util.autoId', () => {
  it('returns distinct version 4 UUIDs', () => {
    const { util } = createBuiltins(fakeHost().slot);
    const ids = new Set(Array.from({ length: 50 }, () => util.autoId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('ULID', () => {
  it('encodes the millisecond timestamp in the first 10 Crockford characters', () => {
    expect(ulid(0, zeros)).toBe('00000000000000000000000000');
    expect(ulid(1469918176385, zeros)).toBe('01ARYZ6S410000000000000000');
    expect(ulid(1469918176385, ones)).toBe('01ARYZ6S41ZZZZZZZZZZZZZZZZ');
  });

  it('sorts by time, whatever the randomness', () => {
    const earlier = ulid(1_700_000_000_000, ones);
    const later = ulid(1_700_000_000_001, zeros);
    expect(earlier < later).toBe(true);
  });

  it('is 26 characters from the Crockford alphabet through util.autoUlid', () => {
    const { util } = createBuiltins(fakeHost().slot, { now: () => 1469918176385, random: Math.random });
    const id = util.autoUlid();
    expect(id).toMatch(/^01ARYZ6S41[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(util.autoUlid()).not.toBe(id);
  });
});

describe('KSUID', () => {
  it('is 27 base62 characters with the timestamp counted from the KSUID epoch', () => {
    // Zero timestamp and payload encode as all zeros; the maximum 160-bit value is the known 'aWgEPTl1tmebfsQzFP4bxwgy80V'.
    expect(ksuid(1_400_000_000_000, zeros)).toBe('000000000000000000000000000');
    expect(ksuid((1_400_000_000 + 0xffffffff) * 1000, ones)).toBe('aWgEPTl1tmebfsQzFP4bxwgy80V');
  });

  it('sorts by second, whatever the payload', () => {
    const earlier = ksuid(1_700_000_000_000, ones);
    const later = ksuid(1_700_000_001_000, zeros);
    expect(earlier < later).toBe(true);
    expect(ksuid(1_700_000_000_999, zeros)).toBe(ksuid(1_700_000_000_000, zeros));
  });

  it('comes from util.autoKsuid with the clock time', () => {
    const { util } = createBuiltins(fakeHost().slot, { now: () => 1_700_000_000_000, random: Math.random });
    const id = util.autoKsuid();
    expect(id).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(ksuidSeconds(id)).toBe(1_700_000_000 - 1_400_000_000);
  });
});

function ksuidSeconds(id: string): number {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let n = 0n;
  for (const c of id) n = n * 62n + BigInt(alphabet.indexOf(c));
  return Number(n >> 128n);
}
