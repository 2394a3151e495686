import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  assertAppsyncJs,
  CodeRestrictionError,
  checkAppsyncJs,
  type RestrictionRule,
} from '../../src/resolvers/restrictions.js';

// Sources mark each expected violation with ¦ just before the construct; the marks are removed before checking and
// give the expected 1-based line and column in the file as written.
const MARK = '¦';

function unmark(marked: string): { code: string; at: { line: number; column: number }[] } {
  const at: { line: number; column: number }[] = [];
  let code = '';
  let line = 1;
  let column = 1;
  for (const ch of marked) {
    if (ch === MARK) {
      at.push({ line, column });
      continue;
    }
    code += ch;
    if (ch === '\n') {
      line += 1;
      column = 1;
    } else {
      column += 1;
    }
  }
  return { code, at };
}

async function checkTs(source: string, file: string) {
  const out = await transform(source, { loader: 'ts', sourcemap: 'external', sourcefile: file, format: 'esm' });
  return checkAppsyncJs(out.code, file, out.map);
}

interface Case {
  name: string;
  rules: RestrictionRule[];
  js: string;
  /** The same construct with TypeScript around it, so lines and columns differ from the emitted JavaScript. */
  ts?: string;
}

const cases: Case[] = [
  {
    name: 'try/catch',
    rules: ['no-try'],
    js: 'export function request(ctx) {\n  ¦try { return {}; } catch (e) { return {}; }\n}',
    ts: 'type Ctx = { args: Record<string, unknown> };\nexport function request(ctx: Ctx): object {\n  const n: number = 1; ¦try { return { n }; } catch (e: unknown) { return {}; }\n}',
  },
  {
    name: 'try/finally',
    rules: ['no-try'],
    js: 'export function request(ctx) {\n  ¦try { return {}; } finally { ctx.stash.done = true; }\n}',
    ts: 'export function request(ctx: any): object {\n  const n: number = 1;\n    ¦try { return { n }; } finally { ctx.stash.done = true; }\n}',
  },
  {
    name: 'throw',
    rules: ['no-throw'],
    js: 'export function request(ctx) {\n  if (!ctx.args.id) ¦throw new Error("id");\n  return {};\n}',
    ts: 'export function request(ctx: { args: { id?: string } }): object {\n  if (!ctx.args.id) ¦throw new Error("id");\n  return {};\n}',
  },
  {
    name: 'while',
    rules: ['no-while'],
    js: 'export function request(ctx) {\n  let n = 0;\n  ¦while (n < 3) { n += 1; }\n  return { n };\n}',
    ts: 'export function request(ctx: unknown): { n: number } {\n  let n: number = 0;\n  ¦while (n < 3) { n += 1; }\n  return { n };\n}',
  },
  {
    name: 'do-while',
    rules: ['no-while'],
    js: 'export function request(ctx) {\n  let n = 0;\n  ¦do { n += 1; } while (n < 3);\n  return { n };\n}',
    ts: 'export function request(ctx: unknown): { n: number } {\n  let n: number = 0;\n  ¦do { n += 1; } while (n < 3);\n  return { n };\n}',
  },
  {
    name: 'C-style for',
    rules: ['no-for'],
    js: 'export function request(ctx) {\n  let n = 0;\n  ¦for (let i = 0; i < 3; i += 1) { n += i; }\n  return { n };\n}',
    ts: 'export function request(ctx: unknown): { n: number } {\n  let n: number = 0;\n  ¦for (let i: number = 0; i < 3; i += 1) { n += i; }\n  return { n };\n}',
  },
  {
    name: 'continue',
    rules: ['no-continue'],
    js: 'export function response(ctx) {\n  const out = [];\n  for (const item of ctx.result.items) {\n    if (!item) ¦continue;\n    out.push(item);\n  }\n  return out;\n}',
    ts: 'export function response(ctx: { result: { items: unknown[] } }): unknown[] {\n  const out: unknown[] = [];\n  for (const item of ctx.result.items) {\n    if (!item) ¦continue;\n    out.push(item);\n  }\n  return out;\n}',
  },
  {
    name: 'labeled statement',
    rules: ['no-labels'],
    js: 'export function request(ctx) {\n  ¦outer: for (const a of ctx.args.list) { if (a) break outer; }\n  return {};\n}',
    ts: 'export function request(ctx: { args: { list: number[] } }): object {\n  ¦outer: for (const a of ctx.args.list) { if (a) break outer; }\n  return {};\n}',
  },
  {
    name: 'prefix and postfix ++/--',
    rules: ['no-disallowed-unary-operators', 'no-disallowed-unary-operators'],
    js: 'export function request(ctx) {\n  let n = 0;\n  ¦n++;\n  ¦--n;\n  return { n };\n}',
    ts: 'export function request(ctx: unknown): { n: number } {\n  let n: number = 0;\n  const m: number = (¦n++) as number;\n  ¦--n;\n  return { n: m };\n}',
  },
  {
    name: 'unary ~',
    rules: ['no-disallowed-unary-operators'],
    js: 'export function request(ctx) {\n  return { n: ¦~ctx.args.n };\n}',
    ts: 'export function request(ctx: { args: { n: number } }): { n: number } {\n  return { n: ¦~(ctx.args.n as number) };\n}',
  },
  {
    name: 'the in operator',
    rules: ['no-in-operator'],
    js: "export function request(ctx) {\n  if (¦'id' in ctx.args) return {};\n  return { missing: true };\n}",
    ts: "export function request(ctx: { args: object }): object {\n  if ((¦'id' in ctx.args) as boolean) return {};\n  return { missing: true };\n}",
  },
  {
    name: 'instanceof',
    rules: ['no-disallowed-binary-operators'],
    js: 'export function request(ctx) {\n  return { list: ¦ctx.args.v instanceof Array };\n}',
    ts: 'export function request(ctx: { args: { v: unknown } }): object {\n  return { list: ¦ctx.args.v instanceof Array };\n}',
  },
  {
    name: 'regex literal',
    rules: ['no-regex'],
    js: 'export function request(ctx) {\n  return { ok: ¦/^[a-z]+$/.test(ctx.args.name) };\n}',
    ts: 'export function request(ctx: { args: { name: string } }): { ok: boolean } {\n  const re: RegExp = ¦/^[a-z]+$/;\n  return { ok: re.test(ctx.args.name) };\n}',
  },
  {
    name: 'RegExp constructor',
    rules: ['no-regex'],
    js: "export function request(ctx) {\n  return { ok: new ¦RegExp('^a').test(ctx.args.name) };\n}",
  },
  {
    name: 'async function and await',
    rules: ['no-async', 'no-await'],
    js: 'export ¦async function request(ctx) {\n  const v = ¦await ctx.args.v;\n  return { v };\n}',
    ts: 'export ¦async function request(ctx: { args: { v: unknown } }): Promise<object> {\n  const v: unknown = ¦await ctx.args.v;\n  return { v };\n}',
  },
  {
    name: 'async arrow function',
    rules: ['no-async'],
    js: 'const load = ¦async (id) => ({ id });\nexport function request(ctx) {\n  return { load };\n}',
  },
  {
    name: 'async method',
    rules: ['no-async'],
    js: 'const helpers = { ¦async load(id) { return id; } };\nexport function request(ctx) {\n  return { helpers };\n}',
  },
  {
    name: 'new Promise',
    rules: ['no-promise'],
    js: 'export function request(ctx) {\n  return { p: new ¦Promise((resolve) => resolve(1)) };\n}',
    ts: 'export function request(ctx: unknown): object {\n  const p: Promise<number> = new ¦Promise<number>((resolve) => resolve(1));\n  return { p };\n}',
  },
  {
    name: 'Promise static methods',
    rules: ['no-promise'],
    js: 'export function request(ctx) {\n  return { p: ¦Promise.resolve(ctx.args) };\n}',
  },
  {
    name: 'generator function and yield',
    rules: ['no-generators', 'no-yield'],
    js: '¦function* ids() {\n  ¦yield 1;\n}\nexport function request(ctx) {\n  return { ids };\n}',
    ts: '¦function* ids(): Generator<number> {\n  ¦yield 1;\n}\nexport function request(ctx: unknown): object {\n  return { ids };\n}',
  },
  {
    name: 'direct recursion of a function declaration',
    rules: ['no-recursion'],
    js: 'function depth(node) {\n  return node.parent ? 1 + ¦depth(node.parent) : 0;\n}\nexport function request(ctx) {\n  return { d: depth(ctx.args) };\n}',
    ts: 'type Node = { parent?: Node };\nfunction depth(node: Node): number {\n  return node.parent ? 1 + ¦depth(node.parent as Node) : 0;\n}\nexport function request(ctx: { args: Node }): object {\n  return { d: depth(ctx.args) };\n}',
  },
  {
    name: 'direct recursion of an arrow function bound to a const',
    rules: ['no-recursion'],
    js: 'const sum = (list) => (list.length ? list[0] + ¦sum(list.slice(1)) : 0);\nexport function request(ctx) {\n  return { s: sum(ctx.args.list) };\n}',
  },
  {
    name: 'passing an arrow function to a non-array function',
    rules: ['no-function-passing'],
    js: 'function apply(fn, v) {\n  return fn(v);\n}\nexport function request(ctx) {\n  return { v: ¦apply((x) => x * 2, ctx.args.v) };\n}',
    ts: 'function apply(fn: (v: number) => number, v: number): number {\n  return fn(v);\n}\nexport function request(ctx: { args: { v: number } }): object {\n  return { v: ¦apply((x: number): number => x * 2, ctx.args.v) };\n}',
  },
  {
    name: 'passing a named function',
    rules: ['no-function-passing'],
    js: 'function double(x) {\n  return x * 2;\n}\nfunction apply(fn, v) {\n  return fn(v);\n}\nexport function request(ctx) {\n  return { v: ¦apply(double, ctx.args.v) };\n}',
  },
  {
    name: 'a sort comparator',
    rules: ['no-function-passing'],
    js: 'export function response(ctx) {\n  return ¦ctx.result.items.sort((a, b) => a.rank - b.rank);\n}',
  },
  {
    name: 'Function.prototype.apply/bind/call',
    rules: ['no-apply-bind-call', 'no-apply-bind-call', 'no-apply-bind-call'],
    js: 'function f(a, b) {\n  return [a, b];\n}\nexport function request(ctx) {\n  const a = f.¦apply(null, [1, 2]);\n  const b = f.¦call(null, 1, 2);\n  const c = f.¦bind(null, 1);\n  return { a, b, c };\n}',
    ts: 'function f(a: number, b: number): number[] {\n  return [a, b];\n}\nexport function request(ctx: unknown): object {\n  const a: number[] = f.¦apply(null, [1, 2]);\n  const b: number[] = f.¦call(null, 1, 2);\n  const c: (b: number) => number[] = f.¦bind(null, 1);\n  return { a, b, c };\n}',
  },
  {
    name: 'class declaration',
    rules: ['no-classes'],
    js: '¦class Item {}\nexport function request(ctx) {\n  return { Item };\n}',
    ts: 'export function request(ctx: unknown): object {\n  return { kind: typeof Item };\n}\n¦class Item {\n  id: string = "a";\n}',
  },
  {
    name: 'this',
    rules: ['no-this'],
    js: 'export function request(ctx) {\n  return { self: ¦this };\n}',
  },
  {
    name: 'new Function and eval',
    rules: ['no-dynamic-code', 'no-dynamic-code'],
    js: "export function request(ctx) {\n  const f = ¦new Function('return 1');\n  return { v: ¦eval('1 + 1'), f };\n}",
  },
  {
    name: 'importing an npm package',
    rules: ['no-disallowed-import'],
    js: "import { util } from '@aws-appsync/utils';\nimport { v4 } from ¦'uuid';\nexport function request(ctx) {\n  return { id: v4(), util };\n}",
    ts: "import { util } from '@aws-appsync/utils';\nimport { v4 } from ¦'uuid';\nexport function request(ctx: unknown): object {\n  return { id: v4() as string, e: util.error };\n}",
  },
  {
    name: 're-exporting from a node builtin',
    rules: ['no-disallowed-import'],
    js: "export * from ¦'node:fs';\nexport function request(ctx) {\n  return {};\n}",
  },
  {
    name: 'dynamic import',
    rules: ['no-disallowed-import'],
    js: "export function request(ctx) {\n  return { m: ¦import('./helpers.js') };\n}",
  },
  {
    name: 're-assigning ctx and its base properties',
    rules: ['no-disallowed-re-assignment', 'no-disallowed-re-assignment'],
    js: 'export function request(ctx) {\n  ¦ctx.args = {};\n  ¦ctx = null;\n  return {};\n}',
    ts: 'export function request(ctx: any): object {\n  const empty: object = {}; ¦ctx.args = empty;\n  ¦ctx = null;\n  return {};\n}',
  },
];

const withTs = cases.filter((c): c is Case & { ts: string } => c.ts !== undefined);

describe('checkAppsyncJs', () => {
  it.each(cases)('reports $name at its position in a .js resolver', ({ rules, js }) => {
    const { code, at } = unmark(js);
    const found = checkAppsyncJs(code, 'resolvers/query.js');
    expect(found.map(({ rule, line, column }) => ({ rule, line, column }))).toEqual(
      rules.map((rule, i) => ({ rule, ...at[i] })),
    );
    for (const v of found) expect(v.file).toBe('resolvers/query.js');
  });

  it.each(withTs)('reports $name at its position in the .ts source, through the source map', async ({ rules, ts }) => {
    const { code, at } = unmark(ts);
    const found = await checkTs(code, 'resolvers/query.ts');
    expect(found.map(({ rule, line, column }) => ({ rule, line, column }))).toEqual(
      rules.map((rule, i) => ({ rule, ...at[i] })),
    );
    for (const v of found) expect(v.file).toBe('resolvers/query.ts');
  });

  it('names the unsupported feature and the runtime in its messages', () => {
    const [tryCatch] = checkAppsyncJs('try { a(); } catch (e) { b(); }', 'a.js');
    expect(tryCatch.message).toMatch(/^try\/catch\/finally is not supported by the APPSYNC_JS runtime/);
    const [inOperator] = checkAppsyncJs("const x = 'a' in b;", 'a.js');
    expect(inOperator.message).toContain('Object.hasOwn');
    const [lodash] = checkAppsyncJs("import _ from 'lodash';", 'a.js');
    expect(lodash.message).toContain("'lodash'");
  });

  it('reports a with statement, which strict-mode parsing refuses, as unsupported', () => {
    const found = checkAppsyncJs('export function request(ctx) {\n  with (ctx) { return args; }\n}', 'a.js');
    expect(found).toEqual([
      {
        rule: 'no-with',
        message: expect.stringMatching(/^with statements are not supported by the APPSYNC_JS runtime/),
        file: 'a.js',
        line: 2,
        column: 3,
      },
    ]);
  });

  it('reports a syntax error with its position instead of throwing', () => {
    const found = checkAppsyncJs('export function request(ctx) {\n  return {;\n}', 'a.js');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'syntax-error', line: 2, column: 11 });
  });

  it('reports every violation in one pass, in source order', () => {
    const found = checkAppsyncJs('let i = 0;\nwhile (i < 2) i++;\ntry {} finally {}\n', 'a.js');
    expect(found.map((v) => `${v.line}:${v.column} ${v.rule}`)).toEqual([
      '2:1 no-while',
      '2:15 no-disallowed-unary-operators',
      '3:1 no-try',
    ]);
  });

  it('allows a bitwise operator other than ~, which AppSync supports', () => {
    expect(checkAppsyncJs('export const flags = (a, b) => (a & b) | (a ^ b) | (a << 1) | (b >>> 2);', 'a.js')).toEqual(
      [],
    );
  });

  it('allows property names that look like forbidden globals', () => {
    expect(
      checkAppsyncJs(
        'export const o = { Promise: 1, eval: 2, RegExp: 3 };\nexport const v = o.Promise + o.eval;',
        'a.js',
      ),
    ).toEqual([]);
  });
});

const ALLOWED_JS = `import { util, runtime } from '@aws-appsync/utils';
import { query, update, operations } from '@aws-appsync/utils/dynamodb';
import { pageSize } from './shared.js';

function keyOf({ id, sk = 'PROFILE' }) {
  return { pk: \`USER#\${id}\`, sk };
}

function totals(items) {
  return items.reduce((acc, item) => acc + (item.amount ?? 0), 0);
}

export function request(ctx) {
  const { id, tags = [], filter: { status } = {} } = ctx.args;
  if (!id) {
    util.error('id is required', 'ValidationError');
  }
  if (Object.hasOwn(ctx.args, 'skip')) {
    return runtime.earlyReturn({ items: [] });
  }
  const wanted = tags.filter((t) => typeof t === 'string').map((t) => t.toLowerCase());
  let count = 0;
  for (const tag of wanted) {
    if (tag === 'stop') break;
    count += 1;
  }
  for (const key in ctx.args) {
    ctx.stash[key] = true;
  }
  ctx.stash.count = count;
  ctx.args.normalized = [...wanted, ...(ctx.args.extra ?? [])];
  switch (status) {
    case 'ACTIVE':
      return query({ query: { pk: { eq: keyOf({ id }).pk } }, limit: pageSize });
    default:
      return update({ key: keyOf({ id }), update: { visits: operations.increment(1) } });
  }
}

export function response(ctx) {
  const items = ctx.result?.items ?? [];
  items.forEach((item) => {
    item.label = \`\${item.name} (\${item.kind})\`;
  });
  const first = items.find((i) => i.primary) ?? items[0];
  const anyOpen = items.some((i) => i.open);
  const allOpen = items.every((i) => i.open);
  const flags = (anyOpen ? 1 : 0) | (allOpen ? 2 : 0);
  return { ...ctx.result, first, flags, total: totals(items), sorted: items.map((i) => i.rank).sort() };
}
`;

const ALLOWED_TS = `import { util, runtime, type Context } from '@aws-appsync/utils';
import { query, update, operations } from '@aws-appsync/utils/dynamodb';
import { pageSize } from './shared.js';

type Item = { name: string; kind: string; amount?: number; rank: number; open: boolean; primary?: boolean };
interface Args { id?: string; tags?: string[]; filter?: { status?: 'ACTIVE' | 'DONE' }; extra?: string[] }

function keyOf({ id, sk = 'PROFILE' }: { id: string; sk?: string }): { pk: string; sk: string } {
  return { pk: \`USER#\${id}\`, sk };
}

const totals = (items: Item[]): number => items.reduce((acc: number, item: Item) => acc + (item.amount ?? 0), 0);

export function request(ctx: Context<Args>) {
  const { id = '', tags = [], filter: { status } = {} } = ctx.args;
  if (!id) {
    util.error('id is required', 'ValidationError');
  }
  if (Object.hasOwn(ctx.args, 'skip')) {
    return runtime.earlyReturn({ items: [] });
  }
  const wanted: string[] = tags.filter((t) => typeof t === 'string').map((t) => t.toLowerCase());
  let count = 0;
  for (const tag of wanted) {
    if (tag === 'stop') break;
    count += 1;
  }
  ctx.stash.count = count as number;
  switch (status) {
    case 'ACTIVE':
      return query({ query: { pk: { eq: keyOf({ id }).pk } }, limit: pageSize });
    default:
      return update({ key: keyOf({ id }), update: { visits: operations.increment(1) } });
  }
}

export function response(ctx: Context<Args, object, object, object, { items?: Item[] }>) {
  const items: Item[] = ctx.result?.items ?? [];
  const first = items.find((i) => i.primary) ?? items[0];
  const flags = (items.some((i) => i.open) ? 1 : 0) | (items.every((i) => i.open) ? 2 : 0);
  return { ...ctx.result, first, flags, total: totals(items), labels: items.map((i) => \`\${i.name} (\${i.kind})\`) };
}
`;

describe('an idiomatic resolver', () => {
  it('passes clean as JavaScript', () => {
    expect(checkAppsyncJs(ALLOWED_JS, 'resolvers/getUser.js')).toEqual([]);
  });

  it('passes clean as TypeScript', async () => {
    expect(await checkTs(ALLOWED_TS, 'resolvers/getUser.ts')).toEqual([]);
  });
});

describe('assertAppsyncJs', () => {
  it('throws a CodeRestrictionError listing every violation as file:line:column: message', () => {
    const source = 'export function request(ctx) {\n  let n = 0;\n  n++;\n  throw new Error("x");\n}';
    let caught: unknown;
    try {
      assertAppsyncJs(source, 'resolvers/bad.js');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodeRestrictionError);
    const error = caught as CodeRestrictionError;
    expect(error.violations.map((v) => v.rule)).toEqual(['no-disallowed-unary-operators', 'no-throw']);
    expect(error.message.split('\n')).toEqual([
      'resolvers/bad.js:3:3: the ++ operator is not supported by the APPSYNC_JS runtime; use += 1 or -= 1',
      'resolvers/bad.js:4:3: throw is not supported by the APPSYNC_JS runtime; use util.error() to raise an error',
    ]);
  });

  it('returns quietly for allowed code', () => {
    expect(() => assertAppsyncJs(ALLOWED_JS, 'resolvers/getUser.js')).not.toThrow();
  });
});
