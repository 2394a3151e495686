// Template forms that Amplify Gen 1's generated resolvers rely on, each found by running them
// (test/resolvers/amplifyCorpus.test.ts) and pinned here in isolation.
import { describe, expect, it } from 'vitest';
import { request, value } from './helpers.js';

describe('Amplify template idioms', () => {
  it('reads eq, ne, lt, le, gt, ge, and, or, not and in after a dot as property names', async () => {
    const args = {
      name: { eq: 'a', ne: 'b', lt: 'c', le: 'd', gt: 'e', ge: 'f' },
      filter: { and: [1], or: [2], not: { x: 3 }, in: 'i' },
    };
    expect(await value('"$ctx.args.name.eq $ctx.args.name.ne $ctx.args.name.lt $ctx.args.name.le"', args)).toBe(
      'a b c d',
    );
    expect(await value('"$ctx.args.name.gt $ctx.args.name.ge"', args)).toBe('e f');
    expect(
      await value('$util.toJson([$ctx.args.filter.and, $ctx.args.filter.or, $ctx.args.filter.not])', args),
    ).toEqual([[1], [2], { x: 3 }]);
    // Inside a directive's parentheses, where velocityjs's lexer otherwise reads them as operators.
    const out = await request(
      '#if( !$util.isNull($ctx.args.name) && !$util.isNull($ctx.args.name.eq) )#set($v = $ctx.args.name.eq)#end{"v": "$v", "in": "$ctx.args.filter.in"}',
      args,
    );
    expect(out.value).toEqual({ v: 'a', in: 'i' });
  });

  it('keeps eq, ne, and, or and not as operators where an operator stands', async () => {
    const out = await request(
      '#if(1 eq 1 and 2 ne 3 or false)#set($a = true)#end#if(not false)#set($b = true)#end{"a": $a, "b": $b}',
    );
    expect(out.value).toEqual({ a: true, b: true });
  });

  it('#return($util.toJson(x)) returns x: the string is read as the JSON text a template renders', async () => {
    expect((await request('#return($util.toJson(null))')).error).toMatchObject({ value: null });
    expect((await request('#return($util.toJson({"a": [1]}))')).error).toMatchObject({ value: { a: [1] } });
    // Text that is not JSON stays a string, as a response template's output does.
    expect((await request('#return("plain text")')).error).toMatchObject({ value: 'plain text' });
  });
});
