// Generative conformance: random items, updates and conditions go through the real @aws-sdk/lib-dynamodb
// document client, and every answer (success, ConditionalCheckFailed or ValidationException, and the item left
// behind) is compared with a small reference model of DynamoDB's documented semantics written here.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budget, fuzzTimeout, reportCases } from '../fuzz/arbitraries.js';
import { type Harness, startHarness } from '../harness.js';

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };
type Item = Record<string, Value>;
type Outcome = 'ok' | 'ConditionalCheckFailedException' | 'ValidationException';

const TABLE = 'model_items';
const NAMES = ['a', 'b', 'c', 'd'] as const;

// ---- generators ----
const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ unit: fc.constantFrom('x', 'y', 'z', ' '), maxLength: 6 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('x', 'y'), tie('v'), { maxKeys: 2 }),
  ),
})).v;
const attributes: fc.Arbitrary<Item> = fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 4 });

type Action =
  | { kind: 'set'; name: string; value: Value }
  | { kind: 'increment'; name: string; by: number }
  | { kind: 'ifNotExists'; name: string; value: Value }
  | { kind: 'append'; name: string; values: Value[] }
  | { kind: 'remove'; name: string }
  | { kind: 'add'; name: string; by: number };

const action = (name: string): fc.Arbitrary<Action> =>
  fc.oneof(
    value.map((v) => ({ kind: 'set', name, value: v }) as Action),
    fc.integer({ min: -50, max: 50 }).map((by) => ({ kind: 'increment', name, by }) as Action),
    value.map((v) => ({ kind: 'ifNotExists', name, value: v }) as Action),
    fc.array(value, { maxLength: 2 }).map((values) => ({ kind: 'append', name, values }) as Action),
    // Weighted up: an update made only of removals on a missing item is an edge DynamoDB treats specially.
    { weight: 3, arbitrary: fc.constant({ kind: 'remove', name } as Action) },
    fc.integer({ min: -50, max: 50 }).map((by) => ({ kind: 'add', name, by }) as Action),
  );
/** One action per attribute (two actions on one path is a different, static error). */
const actions: fc.Arbitrary<Action[]> = fc
  .subarray([...NAMES], { minLength: 1, maxLength: 2 })
  .chain((names) => fc.tuple(...names.map(action)));

type Cond =
  | { kind: 'exists' | 'notExists'; name: string }
  | { kind: 'equals'; name: string; value: Value }
  | { kind: 'less'; name: string; n: number }
  | { kind: 'sizeOver'; name: string; n: number }
  | { kind: 'and' | 'or'; left: Cond; right: Cond }
  | { kind: 'not'; cond: Cond };

const condition: fc.Arbitrary<Cond> = fc.letrec<{ c: Cond }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('exists', 'notExists'), name: fc.constantFrom(...NAMES) }) as fc.Arbitrary<Cond>,
    fc.record({ kind: fc.constant('equals'), name: fc.constantFrom(...NAMES), value }) as fc.Arbitrary<Cond>,
    fc.record({
      kind: fc.constant('less'),
      name: fc.constantFrom(...NAMES),
      n: fc.integer({ min: -100, max: 100 }),
    }) as fc.Arbitrary<Cond>,
    fc.record({
      kind: fc.constant('sizeOver'),
      name: fc.constantFrom(...NAMES),
      n: fc.integer({ min: 0, max: 3 }),
    }) as fc.Arbitrary<Cond>,
    fc.record({ kind: fc.constantFrom('and', 'or'), left: tie('c'), right: tie('c') }) as fc.Arbitrary<Cond>,
    fc.record({ kind: fc.constant('not'), cond: tie('c') }) as fc.Arbitrary<Cond>,
  ),
})).c;

type Op =
  | { kind: 'put'; key: string; item: Item; cond?: Cond }
  | { kind: 'update'; key: string; actions: Action[]; cond?: Cond }
  | { kind: 'delete'; key: string; cond?: Cond };

const key = fc.constantFrom('k1', 'k2');
const maybe = fc.option(condition, { nil: undefined, freq: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put'), key, item: attributes, cond: maybe }) as fc.Arbitrary<Op>,
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update'), key, actions, cond: maybe }) as fc.Arbitrary<Op> },
  fc.record({ kind: fc.constant('delete'), key, cond: maybe }) as fc.Arbitrary<Op>,
);

// ---- the reference model ----
const sorted = (v: Value): unknown =>
  Array.isArray(v)
    ? v.map(sorted)
    : v !== null && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : v;
const same = (a: Value | undefined, b: Value | undefined) =>
  JSON.stringify(sorted(a as Value)) === JSON.stringify(sorted(b as Value));
const isMap = (v: Value | undefined): v is { [k: string]: Value } =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function size(v: Value | undefined): number | undefined {
  if (typeof v === 'string') return v.length; // the generator's strings are ASCII
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  return undefined;
}

function holds(c: Cond, item: Item | undefined): boolean {
  const get = (name: string) => (item && Object.hasOwn(item, name) ? item[name] : undefined);
  switch (c.kind) {
    case 'exists':
      return get(c.name) !== undefined;
    case 'notExists':
      return get(c.name) === undefined;
    case 'equals':
      return get(c.name) !== undefined && same(get(c.name), c.value);
    case 'less': {
      const v = get(c.name);
      return typeof v === 'number' && v < c.n;
    }
    case 'sizeOver': {
      const s = size(get(c.name));
      return s !== undefined && s > c.n;
    }
    case 'and':
      return holds(c.left, item) && holds(c.right, item);
    case 'or':
      return holds(c.left, item) || holds(c.right, item);
    case 'not':
      return !holds(c.cond, item);
  }
}

/** The item after an update, or 'ValidationException' for an update DynamoDB refuses at run time. */
function applyActions(old: Item | undefined, key: string, list: Action[]): Item | undefined | 'ValidationException' {
  if (!old && list.every((a) => a.kind === 'remove')) return undefined; // DynamoDB creates nothing
  const out: Item = structuredClone(old ?? { pk: key });
  for (const a of list) {
    const current = old && Object.hasOwn(old, a.name) ? old[a.name] : undefined;
    switch (a.kind) {
      case 'set':
        out[a.name] = a.value;
        break;
      case 'increment':
        if (typeof current !== 'number') return 'ValidationException';
        out[a.name] = current + a.by;
        break;
      case 'ifNotExists':
        out[a.name] = current === undefined ? a.value : current;
        break;
      case 'append': {
        const base = current === undefined ? [] : current;
        if (!Array.isArray(base)) return 'ValidationException';
        out[a.name] = [...base, ...a.values];
        break;
      }
      case 'remove':
        delete out[a.name];
        break;
      case 'add':
        if (current !== undefined && typeof current !== 'number') return 'ValidationException';
        out[a.name] = (current ?? 0) + a.by;
        break;
    }
  }
  return out;
}

// ---- rendering requests for the document client ----
class Placeholders {
  readonly values: Record<string, unknown> = {};
  private n = 0;
  value(v: unknown): string {
    const name = `:v${this.n++}`;
    this.values[name] = v;
    return name;
  }
}

function conditionText(c: Cond, p: Placeholders): string {
  switch (c.kind) {
    case 'exists':
      return `attribute_exists(${c.name})`;
    case 'notExists':
      return `attribute_not_exists(${c.name})`;
    case 'equals':
      return `${c.name} = ${p.value(c.value)}`;
    case 'less':
      return `${c.name} < ${p.value(c.n)}`;
    case 'sizeOver':
      return `size(${c.name}) > ${p.value(c.n)}`;
    case 'and':
    case 'or':
      return `(${conditionText(c.left, p)}) ${c.kind.toUpperCase()} (${conditionText(c.right, p)})`;
    case 'not':
      return `NOT (${conditionText(c.cond, p)})`;
  }
}

function updateText(list: Action[], p: Placeholders): string {
  const set: string[] = [];
  const remove: string[] = [];
  const add: string[] = [];
  for (const a of list) {
    if (a.kind === 'set') set.push(`${a.name} = ${p.value(a.value)}`);
    else if (a.kind === 'increment') set.push(`${a.name} = ${a.name} + ${p.value(a.by)}`);
    else if (a.kind === 'ifNotExists') set.push(`${a.name} = if_not_exists(${a.name}, ${p.value(a.value)})`);
    else if (a.kind === 'append')
      set.push(`${a.name} = list_append(if_not_exists(${a.name}, ${p.value([])}), ${p.value(a.values)})`);
    else if (a.kind === 'remove') remove.push(a.name);
    else add.push(`${a.name} ${p.value(a.by)}`);
  }
  return [
    set.length ? `SET ${set.join(', ')}` : '',
    remove.length ? `REMOVE ${remove.join(', ')}` : '',
    add.length ? `ADD ${add.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

describe('generative conformance against a reference model', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.engine.createTable({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
  afterAll(() => h.close());

  async function outcome(send: () => Promise<unknown>): Promise<{ outcome: Outcome; out?: any }> {
    try {
      return { outcome: 'ok', out: await send() };
    } catch (e: any) {
      if (e.name === 'ConditionalCheckFailedException' || e.name === 'ValidationException') {
        return { outcome: e.name, out: e };
      }
      throw e;
    }
  }

  it(
    'puts, updates and deletes with conditions agree with the model, item by item',
    async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
          cases++;
          const model = new Map<string, Item>();
          for (const k of ['k1', 'k2']) await h.doc.send(new DeleteCommand({ TableName: TABLE, Key: { pk: k } }));
          for (const o of ops) {
            const p = new Placeholders();
            const old = model.get(o.key);
            const condition = o.cond ? conditionText(o.cond, p) : undefined;
            const conditionOk = o.cond ? holds(o.cond, old) : true;
            let expected: Outcome;
            let next: Item | undefined = old;
            let result: { outcome: Outcome; out?: any };
            if (o.kind === 'put') {
              const item = { ...o.item, pk: o.key };
              expected = conditionOk ? 'ok' : 'ConditionalCheckFailedException';
              if (conditionOk) next = item;
              result = await outcome(() =>
                h.doc.send(
                  new PutCommand({
                    TableName: TABLE,
                    Item: item,
                    ConditionExpression: condition,
                    ExpressionAttributeValues: Object.keys(p.values).length ? p.values : undefined,
                  }),
                ),
              );
            } else if (o.kind === 'delete') {
              expected = conditionOk ? 'ok' : 'ConditionalCheckFailedException';
              if (conditionOk) next = undefined;
              result = await outcome(() =>
                h.doc.send(
                  new DeleteCommand({
                    TableName: TABLE,
                    Key: { pk: o.key },
                    ConditionExpression: condition,
                    ExpressionAttributeValues: Object.keys(p.values).length ? p.values : undefined,
                  }),
                ),
              );
            } else {
              const update = updateText(o.actions, p);
              const applied = applyActions(old, o.key, o.actions);
              expected = !conditionOk
                ? 'ConditionalCheckFailedException'
                : applied === 'ValidationException'
                  ? 'ValidationException'
                  : 'ok';
              if (expected === 'ok') next = applied as Item | undefined;
              result = await outcome(() =>
                h.doc.send(
                  new UpdateCommand({
                    TableName: TABLE,
                    Key: { pk: o.key },
                    UpdateExpression: update,
                    ConditionExpression: condition,
                    ExpressionAttributeValues: Object.keys(p.values).length ? p.values : undefined,
                    ReturnValues: 'ALL_NEW',
                  }),
                ),
              );
              if (result.outcome === 'ok') expect(sorted(result.out.Attributes)).toEqual(sorted(next as Value));
            }
            expect(result.outcome, JSON.stringify({ op: o, old, error: result.out?.message })).toBe(expected);
            if (next) model.set(o.key, next);
            else model.delete(o.key);
            const stored = (
              await h.doc.send(new GetCommand({ TableName: TABLE, Key: { pk: o.key }, ConsistentRead: true }))
            ).Item;
            expect(sorted(stored as Value)).toEqual(sorted(next as Value));
          }
        }),
        { ...budget, interruptAfterTimeLimit: Math.min(budget.interruptAfterTimeLimit, 4000) },
      );
      reportCases('conformance model', cases);
    },
    fuzzTimeout,
  );
});
