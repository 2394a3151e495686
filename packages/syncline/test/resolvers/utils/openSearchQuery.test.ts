// util.transform.toElasticsearchQueryDSL: AppSync's documented example, each operator, and/or/not, bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolvers/signals.js';
import { createBuiltins } from '../../../src/resolvers/utils/index.js';
import { fakeHost } from './fakeHost.js';

const { util } = createBuiltins(fakeHost().slot);
const dsl = (filter: unknown) => JSON.parse(util.transform.toElasticsearchQueryDSL(filter as never));

describe('util.transform.toElasticsearchQueryDSL', () => {
  it("matches AppSync's documentation example, as a JSON string", () => {
    const out = util.transform.toElasticsearchQueryDSL({
      upvotes: { ne: 15, range: [10, 20] },
      title: { eq: 'hihihi', wildcard: 'h*i' },
    });
    expect(typeof out).toBe('string');
    expect(JSON.parse(out)).toEqual({
      bool: {
        must: [
          {
            bool: {
              must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }],
            },
          },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });

  it('maps each operator to its query clause', () => {
    expect(dsl({ n: { gt: 1 } })).toEqual({ range: { n: { gt: 1 } } });
    expect(dsl({ n: { lte: 9 } })).toEqual({ range: { n: { lte: 9 } } });
    expect(dsl({ t: { match: 'a b' } })).toEqual({ match: { t: 'a b' } });
    expect(dsl({ t: { matchPhrase: 'a b' } })).toEqual({ match_phrase: { t: 'a b' } });
    expect(dsl({ t: { matchPhrasePrefix: 'a b' } })).toEqual({ match_phrase_prefix: { t: 'a b' } });
    expect(dsl({ t: { multiMatch: 'a' } })).toEqual({ multi_match: { query: 'a', fields: ['t'] } });
    expect(dsl({ t: { regexp: 'a.*' } })).toEqual({ regexp: { t: 'a.*' } });
    expect(dsl({ t: { exists: true } })).toEqual({ exists: { field: 't' } });
    expect(dsl({ t: { exists: false } })).toEqual({ bool: { must_not: { exists: { field: 't' } } } });
  });

  it('and → must, or → should, not → must_not', () => {
    expect(dsl({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toEqual({
      bool: { should: [{ term: { a: 1 } }, { term: { b: 2 } }] },
    });
    expect(dsl({ and: [{ a: { eq: 1 } }], not: { c: { eq: 3 } } })).toEqual({
      bool: { must: [{ bool: { must: [{ term: { a: 1 } }] } }, { bool: { must_not: { term: { c: 3 } } } }] },
    });
  });

  it('refuses an unknown operator, a bad range and a non-object, naming the helper', () => {
    for (const bad of [{ a: { near: 1 } }, { a: { range: [1] } }, 'x', {}, { or: {} }, { a: 1 }]) {
      expect(() => util.transform.toElasticsearchQueryDSL(bad as never)).toThrow(ResolverError);
      expect(() => util.transform.toElasticsearchQueryDSL(bad as never)).toThrow(/toElasticsearchQueryDSL/);
    }
  });

  it('any input either converts to JSON or is refused with a ResolverError', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        try {
          JSON.parse(util.transform.toElasticsearchQueryDSL(input as never));
        } catch (error) {
          expect(error).toBeInstanceOf(ResolverError);
        }
      }),
    );
  });
});
