// VTL `$util` against the examples of AWS's resolver mapping template utility reference (the `$util`, `$util.time`,
// `$util.dynamodb`, `$util.list`, `$util.map`, `$util.str`, `$util.math` and `$util.transform` pages), rendered
// in a real resolver realm.
import { describe, expect, it } from 'vitest';
import { request, value } from './helpers.js';

describe('$util in VTL templates', () => {
  it('toJson and parseJson round-trip values, and qr/quiet print nothing', async () => {
    expect(await value('$util.toJson({"a": [1, "x", true]})')).toEqual({ a: [1, 'x', true] });
    expect(await value('$util.parseJson("{\\"a\\":1}").a')).toBe(1);
    const out = await request('#set($l = [])$util.qr($l.add(1))$util.quiet($l.add(2))$util.toJson($l)');
    expect(out.value).toEqual([1, 2]);
  });

  it('parseJson of text that is not JSON fails the template', async () => {
    const out = await request('$util.parseJson("{nope")');
    expect(out.error?.errorType).toBe('MappingTemplate');
  });

  it('the isNull family and the defaults follow the reference', async () => {
    expect(
      await value(
        '[$util.isNull($ctx.args.none), $util.isNull(""), $util.isNullOrEmpty(""), $util.isNullOrBlank("  "), $util.isNullOrBlank("a")]',
      ),
    ).toEqual([true, false, true, true, false]);
    expect(
      await value(
        '[$util.toJson($util.defaultIfNull($ctx.args.none, "d")), $util.toJson($util.defaultIfNullOrEmpty("", "e")), $util.toJson($util.defaultIfNullOrBlank(" ", "b"))]',
      ),
    ).toEqual(['d', 'e', 'b']);
  });

  it('type checks and typeOf name JSON types as AppSync does', async () => {
    expect(
      await value(
        '[$util.isString("a"), $util.isNumber(1), $util.isBoolean(true), $util.isList([]), $util.isMap({}), "$util.typeOf([])", "$util.typeOf({})", "$util.typeOf(1)", "$util.typeOf(\'s\')", "$util.typeOf(true)"]',
      ),
    ).toEqual([true, true, true, true, true, 'List', 'Map', 'Number', 'String', 'Boolean']);
  });

  it('matches uses Java regular expressions on the whole string', async () => {
    expect(await value('[$util.matches("a*b", "aaaaab"), $util.matches("a*b", "aaaaabc")]')).toEqual([true, false]);
  });

  it('escapes, encodes and decodes strings', async () => {
    expect(await value('"$util.urlEncode(\'a b&c\')"')).toBe('a+b%26c');
    expect(await value('"$util.urlDecode(\'a+b%26c\')"')).toBe('a b&c');
    expect(await value('"$util.base64Encode(\'hello\')"')).toBe('aGVsbG8=');
    expect(await value('"$util.base64Decode(\'aGVsbG8=\')"')).toBe('hello');
    expect(await value('$util.toJson($util.escapeJavaScript("it\'s"))')).toBe("it\\'s");
  });

  it('autoId, autoUlid and autoKsuid make ids of their formats', async () => {
    const [id, ulid, ksuid] = (await value('["$util.autoId()", "$util.autoUlid()", "$util.autoKsuid()"]')) as string[];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ksuid).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('$util.time converts as the reference examples show', async () => {
    expect(
      await value(
        '#set($ms = 1517943695758)["$util.time.epochMilliSecondsToSeconds($ms)", "$util.time.epochMilliSecondsToISO8601($ms)", "$util.time.epochMilliSecondsToFormatted($ms, \'yyyy-MM-dd HH:mm:ssZ\')", "$util.time.epochMilliSecondsToFormatted($ms, \'yyyy-MM-dd HH:mm:ssZ\', \'+08:00\')"]',
      ),
    ).toEqual(['1517943695', '2018-02-06T19:01:35.758Z', '2018-02-06 19:01:35+0000', '2018-02-07 03:01:35+0800']);
    expect(
      await value(
        '[$util.time.parseISO8601ToEpochMilliSeconds("2018-02-01T17:21:05.180+08:00"), $util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22+0800", "yyyy-MM-dd HH:mm:ssZ"), $util.time.parseFormattedToEpochMilliSeconds("2018-02-02 01:19:22", "yyyy-MM-dd HH:mm:ss", "+08:00")]',
      ),
    ).toEqual([1517476865180, 1517505562000, 1517505562000]);
    const now = (await value('$util.time.nowEpochMilliSeconds()')) as number;
    expect(Math.abs(now - Date.now())).toBeLessThan(5000);
  });

  it('$util.dynamodb converts values, with a ...Json twin of each helper', async () => {
    expect(await value('$util.dynamodb.toDynamoDBJson("foo")')).toEqual({ S: 'foo' });
    expect(await value('$util.dynamodb.toDynamoDBJson(12345)')).toEqual({ N: 12345 });
    expect(await value('$util.dynamodb.toDynamoDBJson(["foo", 123, {"bar": "baz"}])')).toEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
    expect(await value('$util.dynamodb.toMapValuesJson({"foo": "bar", "baz": 1234, "beep": ["boop"]})')).toEqual({
      foo: { S: 'bar' },
      baz: { N: 1234 },
      beep: { L: [{ S: 'boop' }] },
    });
    expect(await value('$util.dynamodb.toStringSetJson(["foo", "bar", "baz"])')).toEqual({ SS: ['foo', 'bar', 'baz'] });
    expect(await value('$util.dynamodb.toNumberSetJson([1, 23, 4.56])')).toEqual({ NS: [1, 23, 4.56] });
    expect(await value('$util.dynamodb.toBooleanJson(true)')).toEqual({ BOOL: true });
    expect(await value('$util.dynamodb.toNullJson()')).toEqual({ NULL: null });
    const s3 = (await value('$util.dynamodb.toS3ObjectJson("foo", "bar", "baz")')) as { S: string };
    expect(JSON.parse(s3.S)).toEqual({ s3: { key: 'foo', bucket: 'bar', region: 'baz' } });
    expect(
      await value(
        '$util.toJson($util.dynamodb.fromS3ObjectJson($util.toJson({"s3": {"key": "foo", "bucket": "bar", "region": "baz"}})))',
      ),
    ).toEqual({
      key: 'foo',
      bucket: 'bar',
      region: 'baz',
    });
    // The object-returning twin can be changed before it is printed (the reference's #set example).
    expect(
      await value(
        '#set($m = $util.dynamodb.toMapValues({"a": 1}))#set($m.version = $util.dynamodb.toNumber(1))$util.toJson($m)',
      ),
    ).toEqual({
      a: { N: 1 },
      version: { N: 1 },
    });
  });

  it('$util.list and $util.map copy, filter and sort as documented', async () => {
    expect(await value('$util.toJson($util.list.copyAndRetainAll([1, 2, 3], [2, 3, 4]))')).toEqual([2, 3]);
    expect(await value('$util.toJson($util.list.copyAndRemoveAll([1, 2, 3], [2]))')).toEqual([1, 3]);
    expect(
      await value(
        '$util.toJson($util.list.sortList([{"description":"youngest", "age":5},{"description":"middle", "age":45}, {"description":"oldest", "age":85}], false, "description"))',
      ),
    ).toEqual([
      { description: 'middle', age: 45 },
      { description: 'oldest', age: 85 },
      { description: 'youngest', age: 5 },
    ]);
    expect(await value('$util.toJson($util.list.sortList([3, 1, 2], true, "any"))')).toEqual([3, 2, 1]);
    expect(await value('$util.toJson($util.list.sortList([3, "a"], false, "any"))')).toEqual([3, 'a']);
    expect(await value('$util.toJson($util.map.copyAndRetainAllKeys({"a": 1, "b": 2}, ["a"]))')).toEqual({ a: 1 });
    expect(await value('$util.toJson($util.map.copyAndRemoveAllKeys({"a": 1, "b": 2}, ["a"]))')).toEqual({ b: 2 });
  });

  it('$util.str and $util.math follow the reference', async () => {
    expect(
      await value(
        "[\"$util.str.toUpper('hello')\", \"$util.str.toLower('HeLLo')\", \"$util.str.toReplace('hello world', 'hello', 'mellow')\"]",
      ),
    ).toEqual(['HELLO', 'hello', 'mellow world']);
    expect(
      await value('[$util.math.roundNum(10.2), $util.math.minVal(10.3, 5.7), $util.math.maxVal(10.3, 5.7)]'),
    ).toEqual([10, 5.7, 10.3]);
    const r = (await value('$util.math.randomWithinRange(1, 3)')) as number;
    expect(r >= 1 && r <= 3).toBe(true);
  });

  it('$util.transform.toDynamoDBFilterExpression answers the JSON text of the expression', async () => {
    expect(await value('$util.transform.toDynamoDBFilterExpression({"title": {"contains": "Hello World"}})')).toEqual({
      expression: '(contains(#title,:title_contains))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('error stops the template with its message, type and data', async () => {
    const out = await request('#set($x = 1)$util.error("boom", "BadThing", {"id": 7}, {"info": 1})never printed');
    expect(out.error?.message).toBe('boom');
    expect(out.error?.errorType).toBe('BadThing');
    expect(out.error?.data).toEqual({ id: 7 });
    expect(out.error?.errorInfo).toEqual({ info: 1 });
  });

  it('appendError records an error and the template goes on', async () => {
    const out = await request('$util.appendError("soft", "Warn")\n{"ok": true}');
    expect(out.value).toEqual({ ok: true });
    expect(out.appended.map((e) => [e.message, e.errorType])).toEqual([['soft', 'Warn']]);
  });

  it('validate throws a CustomTemplateException when the condition is false', async () => {
    expect((await request('$util.validate(true, "never")\n{"ok": 1}')).value).toEqual({ ok: 1 });
    const out = await request('#set($ok = $ctx.args.n > 10)$util.validate($ok, "n too small")\n{}', { n: 3 });
    expect(out.error?.message).toBe('n too small');
    expect(out.error?.errorType).toBe('CustomTemplateException');
  });

  it('unauthorized fails the field as Unauthorized', async () => {
    const out = await request('$util.unauthorized()');
    expect(out.error?.errorType).toBe('Unauthorized');
  });

  it('authType names the request auth mode', async () => {
    expect(await value('"$util.authType()"')).toBe('API Key Authorization');
  });
});
