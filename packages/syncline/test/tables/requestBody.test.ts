// The body checks that run before JSON.parse: the depth scan must agree with a plain byte-by-byte count on any
// text (strings skipped, escapes honoured, long strings searched natively), and decoding refuses what DynamoDB does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DynamoDBError } from '../../src/tables/errors.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseRequestBody } from '../../src/tables/requestBody.js';

function reference(bytes: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const piece = fc.oneof(
  fc.constantFrom('{', '[', '}', ']', '"', '\\', '\\\\', '\\"', 'a', ' ', 'é'),
  fc.integer({ min: 60, max: 200 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 1, max: 9 }).map((n) => `${'\\'.repeat(n)}"`),
);

describe('request body checks', () => {
  it('the depth scan agrees with a byte-by-byte count on any text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 0, max: 30 }), (pieces, limit) => {
        const bytes = Buffer.from(pieces.join(''));
        expect(nestsDeeperThan(bytes, limit)).toBe(reference(bytes, limit));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a body nested deeper than a valid request can be, before parsing it', () => {
    const deep = `{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`;
    expect(() => parseRequestBody(Buffer.from(deep))).toThrow(DynamoDBError);
    const inString = `{"a":"${'['.repeat(5000)}"}`;
    expect(parseRequestBody(Buffer.from(inString))).toEqual({ a: '['.repeat(5000) });
  });

  it('decodes strings given as text too, refusing unpaired surrogates in raw or escaped form', () => {
    expect(parseRequestBody('{"a":"😀"}')).toEqual({ a: '😀' });
    expect(() => parseRequestBody('{"a":"\ud800"}')).toThrow(/unpaired/);
    expect(() => parseRequestBody('{"a":"\\uDC00"}')).toThrow(/unpaired/);
    expect(parseRequestBody('')).toEqual({});
  });
});
