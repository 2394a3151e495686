import { describe, expect, it } from 'vitest';
import { parseProjection, project, projectionFromAttributesToGet } from '../../../src/tables/expressions/index.js';
import type { Item } from '../../../src/tables/values/types.js';
import { ctx, N, S, validationMessage } from './helpers.js';

const item: Item = {
  id: S('1'),
  doc: { M: { a: N(1), b: N(2), nest: { M: { c: N(3) } } } },
  arr: { L: [S('x'), S('y'), S('z'), { M: { k: S('v'), w: S('w') } }] },
};

const projection = (expr: string, names: Record<string, string> = {}) => {
  const c = ctx({}, names);
  const paths = parseProjection(expr, c);
  c.assertAllUsed();
  return project(item, paths);
};

describe('projection expressions', () => {
  it('projects top-level and nested paths', () => {
    expect(projection('id')).toEqual({ id: S('1') });
    expect(projection('doc.a, doc.nest.c')).toEqual({ doc: { M: { a: N(1), nest: { M: { c: N(3) } } } } });
    expect(projection('#d.#b', { '#d': 'doc', '#b': 'b' })).toEqual({ doc: { M: { b: N(2) } } });
  });

  it('closes gaps between projected list elements, keeping their order', () => {
    expect(projection('arr[2], arr[0]')).toEqual({ arr: { L: [S('x'), S('z')] } });
    expect(projection('arr[3].k')).toEqual({ arr: { L: [{ M: { k: S('v') } }] } });
  });

  it('skips missing paths', () => {
    expect(projection('nope, doc.zzz, arr[10]')).toEqual({});
  });

  it('reports overlaps, reserved words and syntax errors', () => {
    expect(validationMessage(() => parseProjection('doc, doc.a', ctx()))).toBe(
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [doc], path two: [doc, a]',
    );
    expect(validationMessage(() => parseProjection('arr[0], arr.x', ctx()))).toBe(
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [arr, [0]], path two: [arr, x]',
    );
    expect(validationMessage(() => parseProjection('id, name', ctx()))).toBe(
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name',
    );
    expect(validationMessage(() => parseProjection('a b', ctx()))).toBe(
      'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"',
    );
    expect(validationMessage(() => parseProjection('a,', ctx()))).toBe(
      'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","',
    );
    expect(validationMessage(() => parseProjection('a[x]', ctx()))).toBe(
      'Invalid ProjectionExpression: Syntax error; token: "x", near: "[x]"',
    );
  });

  it('converts AttributesToGet', () => {
    expect(project(item, projectionFromAttributesToGet(['id', 'doc']))).toEqual({ id: item.id, doc: item.doc });
    expect(validationMessage(() => projectionFromAttributesToGet(['a', 'a']))).toBe(
      'One or more parameter values were invalid: Duplicate value in attribute name: a',
    );
  });
});
