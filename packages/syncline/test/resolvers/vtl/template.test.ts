// The template language as AppSync runs it: Java methods on values, Velocity's rendering of null references,
// `#return`, `#foreach`'s 1000-iteration limit, AppSync's 64 KB template limit, and the boundary (no way from a
// template to the runtime behind its values; the time budget stops runaway templates).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResolverCodeError } from '../../../src/resolvers/bundle.js';
import { loadVtlModule } from '../../../src/resolvers/vtl/load.js';
import { ctx, host, request, value } from './helpers.js';

const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 3) * 1000;

describe('VTL templates', () => {
  it('strings answer Java String methods', async () => {
    expect(
      await value(
        '#set($s = "Hello, World")[$s.contains("World"), $s.startsWith("Hell"), $s.endsWith("d"), $s.length(), $s.isEmpty(), "$s.toUpperCase()", "$s.toLowerCase()", $s.equals("Hello, World"), $s.equalsIgnoreCase("hello, world"), "$s.substring(7)", $s.indexOf("o"), "$s.replace(\'l\', \'L\')", $util.toJson($s.split(",\\s*")), "$s.trim()", "$s.charAt(0)"]',
      ),
    ).toEqual([
      true,
      true,
      true,
      12,
      false,
      'HELLO, WORLD',
      'hello, world',
      true,
      true,
      'World',
      4,
      'HeLLo, WorLd',
      ['Hello', 'World'],
      'Hello, World',
      'H',
    ]);
  });

  it('lists and maps answer Java List and Map methods', async () => {
    const out = await request(
      '#set($l = [1, 2])$util.qr($l.add(3))#set($m = {})$util.qr($m.put("a", 1))$util.qr($m.putAll({"b": 2}))\n{"size": $l.size(), "has": $l.contains(2), "empty": $l.isEmpty(), "first": $l.get(0), "keys": $util.toJson($m.keySet()), "mapSize": $m.size(), "hasKey": $m.containsKey("b"), "entries": [#foreach($e in $m.entrySet())"$e.key=$e.value"#if($foreach.hasNext),#end#end], "removed": $m.remove("a"), "after": $util.toJson($m)}',
    );
    expect(out.value).toEqual({
      size: 3,
      has: true,
      empty: false,
      first: 1,
      keys: ['a', 'b'],
      mapSize: 2,
      hasKey: true,
      entries: ['a=1', 'b=2'],
      removed: 1,
      after: { b: 2 },
    });
  });

  it('ctx.stash changes made with put reach the next handler', async () => {
    const out = await request('$util.qr($ctx.stash.put("seen", $ctx.args.id))\n{}', { id: 'x1' });
    expect(out.stash).toEqual({ seen: 'x1' });
  });

  it('$context and $ctx are the same, with arguments, identity, info and request', async () => {
    const out = await request(
      '{"a": "$context.arguments.id", "b": "$ctx.args.id", "sub": "$ctx.identity.sub", "field": "$ctx.info.fieldName", "key": "$ctx.request.headers.get(\'x-api-key\')", "sel": $util.toJson($ctx.info.selectionSetList)}',
      { id: 'i1' },
    );
    expect(out.value).toEqual({ a: 'i1', b: 'i1', sub: 'user-1', field: 'f', key: 'da2-test', sel: ['id'] });
  });

  it('a null reference renders as its own text, and $! renders nothing (Velocity)', async () => {
    expect(await value('"$ctx.args.missing|$!ctx.args.missing"')).toBe('$ctx.args.missing|');
    // Map.put answers the previous value (null here): that is why templates wrap it in $util.qr.
    expect(await value('#set($m = {})"$m.put(\'a\',1)"')).toBe("$m.put('a',1)");
  });

  it('#return ends the template with its value, and without one with null', async () => {
    const early = await request('#if($ctx.args.skip)#return({"skipped": true})#end{"ran": true}', { skip: true });
    expect(early.error).toMatchObject({ value: { skipped: true } });
    const bare = await request('#return\n{"ran": true}');
    expect(bare.error).toMatchObject({ value: null });
    expect((await request('#if($ctx.args.skip)#return#end{"ran": true}', { skip: false })).value).toEqual({
      ran: true,
    });
  });

  it('#foreach stops after 1000 iterations, as AppSync configures Velocity', async () => {
    const out = await request(
      '#set($n = 0)#foreach($i in [1..5000])#set($n = $n + 1)#end{"n": $n}',
      {},
      {},
      { cpuMs: 2000 },
    );
    expect(out.value).toEqual({ n: 1000 });
  });

  it('#macro, #break, #stop and #foreach counters work as in Velocity', async () => {
    expect(await value('#macro(twice $x)$x$x#end"#twice("ab")"')).toBe('abab');
    expect(await value('"#foreach($i in [1..10])#if($i > 3)#break#end$i#end"')).toBe('123');
    expect(await value('"#foreach($i in ["a", "b"])$foreach.index$velocityCount$i#end"')).toBe('01a12b');
    const stopped = await request('{"a": 1}#stop never rendered');
    expect(stopped.value).toEqual({ a: 1 });
  });

  it('$util.log lines go to the resolver log', async () => {
    const lines: string[] = [];
    const module = await loadVtlModule(
      { source: 'log.vtl', request: '$util.log.info("seen", $ctx.args.id)\n{}', kind: 'unit' },
      { log: (line) => lines.push(line) },
    );
    module.run('request', ctx({ id: 'x' }), host());
    expect(lines).toEqual(['seen x']);
  });

  it('a template that is not JSON fails with a MappingTemplate error', async () => {
    const out = await request('{"a": }');
    expect(out.error?.errorType).toBe('MappingTemplate');
    expect(out.error?.message).toMatch(/Unable to parse the JSON document/);
  });

  it('a template that does not parse is refused at load', async () => {
    await expect(request('#if($a')).rejects.toBeInstanceOf(ResolverCodeError);
  });

  it('templates over 64 KB are refused at load, as AppSync refuses them', async () => {
    await expect(request(`{"a": "${'x'.repeat(65_536)}"}`)).rejects.toThrow(/65536/);
  });

  it.each([
    '$util.class',
    '$ctx.getClass()',
    '$ctx.class.forName("java.lang.Runtime")',
    '$util.constructor.constructor("return process")',
    '$ctx.args.constructor',
    '$ctx.args.__proto__',
    '#set($x = "")$x.getClass().forName("java.lang.Runtime").getRuntime().exec("id")',
    '$util.toJson.call(null)',
    '$util.toJson.constructor',
    '#set($f = $util.toJson)$f.apply(null, [])',
  ])('escape attempt %s fails the template', async (template) => {
    const out = await request(template);
    expect(out.error?.errorType).toBe('MappingTemplate');
  });

  it('a recursive macro is stopped by the time budget, and the module keeps serving', async () => {
    const module = await loadVtlModule(
      { source: 'loop.vtl', request: '#macro(f)#f()#end#if($ctx.args.loop)#f()#end{"ok": true}', kind: 'unit' },
      { log: () => {} },
      { cpuMs: 50, maxArrayLength: 1_000_000, maxStringLength: 16 * 1024 * 1024 },
    );
    const started = Date.now();
    expect(() => module.run('request', ctx({ loop: true }), host())).toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(module.run('request', ctx({ loop: false }), host())).toEqual({ ok: true });
  });

  it('client input is data: any keys and values cross toJson, toMapValuesJson and put unchanged', async () => {
    const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'class'), fc.string());
    const deadline = Date.now() + FUZZ_MS;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, fc.oneof(fc.string(), fc.integer(), fc.boolean())), async (args) => {
        if (Date.now() > deadline) return;
        const input = JSON.parse(JSON.stringify(args));
        const out = await request(
          '#set($copy = {})#foreach($e in $ctx.args.entrySet())$util.qr($copy.put($e.key, $e.value))#end\n{"json": $util.toJson($ctx.args), "copy": $util.toJson($copy), "ddb": $util.dynamodb.toMapValuesJson($ctx.args)}',
          input,
        );
        expect(out.error).toBeUndefined();
        const value = out.value as { json: unknown; copy: unknown; ddb: Record<string, unknown> };
        expect(value.json).toEqual(input);
        expect(value.copy).toEqual(input);
        expect(Object.keys(value.ddb).sort()).toEqual(Object.keys(input).sort());
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('any template text either renders or fails as a template error, never crashing the host', async () => {
    const pieces = [
      '$ctx.args.a',
      '$util.toJson($ctx.args)',
      '#set($x = 1)',
      '#if($x)',
      '#end',
      '#foreach($i in $ctx.args.l)',
      '$i',
      '{',
      '}',
      '"',
      ',',
      '$util.qr($ctx.stash.put("k", 1))',
      '#return',
      '##c',
      '$!x',
      '.get(0)',
      '(',
      ')',
      '[',
      ']',
    ];
    const deadline = Date.now() + FUZZ_MS;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 5 })), { maxLength: 12 }),
        async (parts) => {
          if (Date.now() > deadline) return;
          let out: Awaited<ReturnType<typeof request>>;
          try {
            out = await request(parts.join(''), { a: 'x', l: [1, 2] }, {}, { cpuMs: 50 });
          } catch (error) {
            expect(error).toBeInstanceOf(ResolverCodeError);
            return;
          }
          if (out.error) expect(['MappingTemplate', 'Code', null, undefined]).toContain(out.error.errorType ?? null);
        },
      ),
      { numRuns: 200 },
    );
  });
});
