// Generators for hostile DynamoDB input, shared by the fuzz targets, and the checks every answer must pass.
import fc from 'fast-check';
import { expect } from 'vitest';

/** Seconds each fuzz target runs: a few in the normal test run, FUZZ_SECONDS=60 (or more) for a long local run. */
export const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 3);

/** fast-check settings: run cases until the time is up (an interrupted run without a failure passes). */
export const budget = {
  interruptAfterTimeLimit: FUZZ_SECONDS * 1000,
  numRuns: Number.MAX_SAFE_INTEGER,
  markInterruptAsFailure: false,
} as const;

/** One line per target in the test output: how many cases its budget covered. */
export function reportCases(target: string, cases: number): void {
  console.log(`fuzz ${target}: ${cases} cases in ${FUZZ_SECONDS} s`);
}

/** The vitest timeout for a fuzz test: its budget, plus time to shrink a failure. */
export const fuzzTimeout = FUZZ_SECONDS * 1000 + 60_000;

export const PROTO_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
];

/** Attribute or map member names: prototype members, ordinary names, any Unicode, empty. */
export const attributeName: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_NAMES) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'b', 'id', 'sk', 'M', 'S', 'L', 'nested') },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
);

/** A number in the text DynamoDB returns (canonical), so a round trip compares equal. */
export const canonicalNumber: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc
    .tuple(fc.boolean(), fc.nat(1_000_000), fc.integer({ min: 1, max: 999_999 }))
    .map(([negative, whole, f]) => `${negative ? '-' : ''}${whole}.${String(f).padStart(6, '0').replace(/0+$/, '')}`),
);

const base64 = fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('base64'));
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 }));

/** Valid AttributeValues as the SDK sends them (sets non-empty and unique), nested up to a few levels. */
export const attributeValue: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ value: Record<string, unknown> }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text.map((S) => ({ S })),
      canonicalNumber.map((N) => ({ N })),
      base64.map((B) => ({ B })),
      fc.boolean().map((BOOL) => ({ BOOL })),
      fc.constant({ NULL: true }),
      fc.uniqueArray(text, { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
      fc.uniqueArray(canonicalNumber, { minLength: 1, maxLength: 4 }).map((NS) => ({ NS })),
      fc.uniqueArray(base64, { minLength: 1, maxLength: 3 }).map((BS) => ({ BS })),
      fc.array(tie('value'), { maxLength: 4 }).map((L) => ({ L })),
      members(tie('value')).map((M) => ({ M })),
    ),
  }),
).value;

/** An object with own members (Object.fromEntries makes `__proto__` an own member, as JSON.parse does). */
export function members<T>(value: fc.Arbitrary<T>, maxLength = 5): fc.Arbitrary<Record<string, T>> {
  return fc
    .uniqueArray(fc.tuple(attributeName, value), { maxLength, selector: ([name]) => name })
    .map((entries) => Object.fromEntries(entries));
}

/** Any JSON value, including the wrong kinds in every position. */
export const jsonJunk: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, true, 0, -1, 1.5, '', 'x', [], {}, [{}], { S: 1 }, { N: 'abc' }, { B: '!' }),
);

/** A value `depth` levels deep made of M or L wrappers, as text (deep ones would overflow JSON.stringify). */
export function deepValueText(depth: number, kind: 'M' | 'L' | 'mixed'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const list = kind === 'L' || (kind === 'mixed' && i % 2 === 1);
    open += list ? '{"L":[' : '{"M":{"a":';
    close = (list ? ']}' : '}}') + close;
  }
  return `${open}{"S":"x"}${close}`;
}

/** Something too big or too deep, by name (a counterexample then prints the name, not megabytes). */
export const oversized = fc.oneof(
  fc
    .tuple(fc.integer({ min: 25, max: 3000 }), fc.constantFrom('M' as const, 'L' as const, 'mixed' as const))
    .map(([depth, kind]) => ({ deep: depth, kind })),
  fc.constantFrom('hugeS', 'hugeString', 'brackets', 'wideMap').map((big) => ({ big })),
);

export function oversizedText(o: { deep: number; kind: 'M' | 'L' | 'mixed' } | { big: string }): string {
  if ('deep' in o) return deepValueText(o.deep, o.kind);
  switch (o.big) {
    case 'hugeS':
      return JSON.stringify({ S: 'x'.repeat(420_000) });
    case 'hugeString':
      return JSON.stringify('y'.repeat(300_000));
    case 'brackets':
      return `${'['.repeat(5000)}${']'.repeat(5000)}`;
    default:
      return JSON.stringify({
        M: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, { N: String(i) }])),
      });
  }
}

/** Sorted-key JSON text of a parsed value: equality of items regardless of member order, `__proto__` included. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    const entries = keys.map((k) => `${JSON.stringify(k)}:${canonical(Object.getOwnPropertyDescriptor(v, k)!.value)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface RawAnswer {
  status: number;
  text: string;
}

/**
 * What every answer must be: 200, or a 400 whose body is DynamoDB's error shape; never a 500.
 * Returns the parsed body.
 */
export function expectAwsAnswer(answer: RawAnswer, context: string): Record<string, unknown> {
  if (answer.status !== 200 && answer.status !== 400) {
    expect.fail(`${context}\nanswered ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return expect.fail(`${context}\nanswered a body that is not JSON: ${answer.text.slice(0, 200)}`);
  }
  if (answer.status === 400) {
    const message = body.message ?? body.Message;
    if (typeof body.__type !== 'string' || !/^com\.amazon[a-z.]*(\.v20120810)?#[A-Za-z]+$/.test(body.__type)) {
      expect.fail(`${context}\nan error without an AWS __type: ${answer.text.slice(0, 300)}`);
    }
    if (typeof message !== 'string')
      expect.fail(`${context}\nan error without a message: ${answer.text.slice(0, 300)}`);
    if (body.__type.endsWith('#InternalServerError')) expect.fail(`${context}\nInternalServerError: ${message}`);
  }
  return body;
}

// ---- expressions, from DynamoDB's grammar with hostile leaves ----

const path = fc.constantFrom('#a', '#b', 'a', 'id', 'sk', 'l[0]', 'l[3]', '#a.#b', 'm.x', '#b[1].#a', 'm.#a.c');
const operand = fc.oneof(
  path,
  fc.constantFrom(':v', ':w', ':n'),
  path.map((p) => `size(${p})`),
);
const comparator = fc.constantFrom('=', '<>', '<', '<=', '>', '>=');

export const conditionExpression: fc.Arbitrary<string> = fc.letrec<{ cond: string }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(operand, comparator, operand).map((t) => t.join(' ')),
    fc.tuple(operand, operand, operand).map(([a, b, c]) => `${a} BETWEEN ${b} AND ${c}`),
    fc.tuple(operand, fc.array(operand, { minLength: 1, maxLength: 4 })).map(([a, l]) => `${a} IN (${l.join(', ')})`),
    path.map((p) => `attribute_exists(${p})`),
    path.map((p) => `attribute_not_exists(${p})`),
    path.map((p) => `attribute_type(${p}, :t)`),
    fc.tuple(path, fc.constantFrom(':v', ':w')).map(([p, v]) => `begins_with(${p}, ${v})`),
    fc.tuple(path, fc.constantFrom(':v', ':w', ':n')).map(([p, v]) => `contains(${p}, ${v})`),
    tie('cond').map((c) => `NOT ${c}`),
    tie('cond').map((c) => `(${c})`),
    fc.tuple(tie('cond'), fc.constantFrom('AND', 'OR', 'and', 'Or'), tie('cond')).map((t) => t.join(' ')),
  ),
})).cond;

const setOperand = fc.oneof(path, fc.constantFrom(':v', ':w', ':n'));
const setValue = fc.oneof(
  setOperand,
  fc.tuple(setOperand, fc.constantFrom('+', '-'), setOperand).map((t) => t.join(' ')),
  fc.tuple(path, fc.constantFrom(':v', ':n', ':l')).map(([p, v]) => `if_not_exists(${p}, ${v})`),
  fc.tuple(fc.constantFrom(':l', 'l', '#a'), fc.constantFrom(':l', 'l')).map(([a, b]) => `list_append(${a}, ${b})`),
);

/** Update targets of which none is a prefix of another, so that most generated updates are valid. */
const updateTarget = ['#a', 'a', 'c', 'l[0]', 'l[2]', 'm.x', 'm.#b', 'm.y[0]', '#b'];

export const updateExpression: fc.Arbitrary<string> = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...updateTarget), { minLength: 1, maxLength: 4 }),
    fc.array(fc.constantFrom('SET', 'SET', 'REMOVE', 'ADD', 'DELETE'), { minLength: 4, maxLength: 4 }),
    fc.array(setValue, { minLength: 4, maxLength: 4 }),
    fc.array(fc.constantFrom(':n', ':s'), { minLength: 4, maxLength: 4 }),
  )
  .map(([targets, clauses, values, operands]) => {
    const byClause = new Map<string, string[]>();
    targets.forEach((target, i) => {
      const clause = clauses[i];
      const action =
        clause === 'SET'
          ? `${target} = ${values[i]}`
          : clause === 'REMOVE'
            ? target
            : `${target} ${clause === 'DELETE' ? ':s' : operands[i]}`;
      byClause.set(clause, [...(byClause.get(clause) ?? []), action]);
    });
    return [...byClause].map(([clause, actions]) => `${clause} ${actions.join(', ')}`).join(' ');
  });

export const projectionExpression: fc.Arbitrary<string> = fc
  .array(path, { minLength: 1, maxLength: 4 })
  .map((p) => p.join(', '));

const TOKENS = [
  '#a',
  ':v',
  'a',
  '.',
  '[',
  ']',
  '0',
  '=',
  '<>',
  '<',
  'AND',
  'OR',
  'NOT',
  '(',
  ')',
  ',',
  'BETWEEN',
  'IN',
  'size',
  'attribute_exists',
  'contains',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  '+',
  '-',
  'if_not_exists',
  'list_append',
  'constructor',
  '__proto__',
  'toString',
  '#',
  ':',
  '€',
  '\ud800',
];

/** Random token soup, and runs of one token far deeper than any valid expression. */
export const expressionSoup: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 20 }).map((t) => t.join(' ')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 20 }).map((t) => t.join('')),
  fc.string({ maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom('(', 'NOT ', 'size(', 'NOT (', 'a.', 'l[0]', 'if_not_exists(a, '),
      fc.integer({ min: 1, max: 3000 }),
    )
    .map(([t, n]) => t.repeat(n)),
);

/** ExpressionAttributeNames and Values for the placeholders the expressions use, so few fail as unused. */
export const placeholders = fc.record({
  names: fc.record({ '#a': attributeName, '#b': attributeName }),
  values: fc.record({
    ':v': attributeValue,
    ':w': attributeValue,
    ':n': canonicalNumber.map((N) => ({ N })),
    ':s': fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 }).map((SS) => ({ SS })),
    ':t': fc.constantFrom('S', 'N', 'M', 'L', 'SS', 'NULL', 'BOOL', 'X').map((S) => ({ S })),
    ':l': fc.array(attributeValue, { maxLength: 2 }).map((L) => ({ L })),
  }),
});

/** The subset of names and values the given expressions mention (undefined when none). */
export function usedPlaceholders(
  expressions: (string | undefined)[],
  all: { names: Record<string, string>; values: Record<string, unknown> },
) {
  const text = expressions.filter((e) => e !== undefined).join(' ');
  const pick = <T>(m: Record<string, T>) => {
    const used = Object.entries(m).filter(([k]) => new RegExp(`${k}(?![0-9A-Za-z_])`).test(text));
    return used.length ? Object.fromEntries(used) : undefined;
  };
  return { ExpressionAttributeNames: pick(all.names), ExpressionAttributeValues: pick(all.values) };
}
