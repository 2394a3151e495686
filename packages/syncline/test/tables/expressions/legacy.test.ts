import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  conditionFromExpected,
  conditionFromFilter,
  evaluateCondition,
  updateFromAttributeUpdates,
} from '../../../src/tables/expressions/index.js';
import type { Item } from '../../../src/tables/values/types.js';
import { N, S, validationMessage } from './helpers.js';

const item: Item = { a: N(5), s: S('hello'), set: { SS: ['x', 'y'] } };

describe('Expected', () => {
  it('checks values and existence', () => {
    expect(evaluateCondition(conditionFromExpected({ a: { Value: N('5.0') } })!, item)).toBe(true);
    expect(evaluateCondition(conditionFromExpected({ a: { Value: N(6), Exists: true } })!, item)).toBe(false);
    expect(evaluateCondition(conditionFromExpected({ zz: { Exists: false } })!, item)).toBe(true);
    expect(evaluateCondition(conditionFromExpected({ a: { Exists: false } })!, undefined)).toBe(true);
    expect(conditionFromExpected(undefined)).toBeUndefined();
    expect(conditionFromExpected({})).toBeUndefined();
  });

  it('combines with AND by default and OR on request', () => {
    const expected = { a: { Value: N(5) }, s: { Value: S('nope') } };
    expect(evaluateCondition(conditionFromExpected(expected)!, item)).toBe(false);
    expect(evaluateCondition(conditionFromExpected(expected, 'OR')!, item)).toBe(true);
  });

  it('supports comparison operators', () => {
    const cases: [any, boolean][] = [
      [{ a: { ComparisonOperator: 'GT', AttributeValueList: [N(4)] } }, true],
      [{ a: { ComparisonOperator: 'LE', AttributeValueList: [N(4)] } }, false],
      [{ a: { ComparisonOperator: 'NE', AttributeValueList: [N(4)] } }, true],
      [{ zz: { ComparisonOperator: 'NULL' } }, true],
      [{ a: { ComparisonOperator: 'NOT_NULL' } }, true],
      [{ set: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('x')] } }, true],
      [{ set: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] } }, false],
      [{ zz: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] } }, true],
      [{ s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('he')] } }, true],
      [{ a: { ComparisonOperator: 'IN', AttributeValueList: [N(1), N(5)] } }, true],
      [{ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1), N(5)] } }, true],
      [{ a: { ComparisonOperator: 'EQ', Value: N(5) } }, true],
    ];
    for (const [expected, result] of cases) {
      expect(evaluateCondition(conditionFromExpected(expected)!, item), JSON.stringify(expected)).toBe(result);
    }
  });

  it.each([
    [
      { a: { Value: N(1), AttributeValueList: [N(1)] } },
      'Value and AttributeValueList cannot be used together for Attribute: a',
    ],
    [
      { a: { Exists: true, ComparisonOperator: 'EQ', Value: N(1) } },
      'Exists and ComparisonOperator cannot be used together for Attribute: a',
    ],
    [
      { a: { ComparisonOperator: 'EQ' } },
      'Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a',
    ],
    [
      { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(1)] } },
      'Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    ],
    [
      { a: { AttributeValueList: [N(1)] } },
      'AttributeValueList can only be used with a ComparisonOperator for Attribute: a',
    ],
    [{ a: {} }, 'Value must be provided when Exists is null for Attribute: a'],
    [{ a: { Exists: true } }, 'Value must be provided when Exists is true for Attribute: a'],
    [{ a: { Exists: false, Value: N(1) } }, 'Value cannot be used when Exists is false for Attribute: a'],
    [
      { a: { ComparisonOperator: 'IN', AttributeValueList: [N(1), S('x')] } },
      'AttributeValues inside AttributeValueList must be of same type',
    ],
  ])('rejects %j', (expected, message) => {
    expect(validationMessage(() => conditionFromExpected(expected as any))).toBe(
      `One or more parameter values were invalid: ${message}`,
    );
  });

  it('rejects an inverted BETWEEN range', () => {
    expect(
      validationMessage(() =>
        conditionFromExpected({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N(5), N(1)] } }),
      ),
    ).toBe('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  });
});

describe('QueryFilter / ScanFilter', () => {
  it('converts and evaluates', () => {
    const filter = conditionFromFilter({
      a: { ComparisonOperator: 'GE', AttributeValueList: [N(5)] },
      s: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('ell')] },
    });
    expect(evaluateCondition(filter!, item)).toBe(true);
  });

  it('rejects operators on unsupported types', () => {
    expect(
      validationMessage(() =>
        conditionFromFilter({ a: { ComparisonOperator: 'GT', AttributeValueList: [{ SS: ['x'] }] } }),
      ),
    ).toBe('One or more parameter values were invalid: ComparisonOperator GT is not valid for SS AttributeValue type');
  });
});

describe('AttributeUpdates', () => {
  it('PUTs, ADDs and DELETEs', () => {
    const actions = updateFromAttributeUpdates({
      a: { Action: 'ADD', Value: N(1) },
      s: { Value: S('bye') },
      set: { Action: 'DELETE', Value: { SS: ['x'] } },
      l: { Action: 'ADD', Value: { L: [N(1)] } },
    });
    expect(applyUpdate(actions, item)).toEqual({ a: N(6), s: S('bye'), set: { SS: ['y'] }, l: { L: [N(1)] } });
    const removeAll = updateFromAttributeUpdates({ a: { Action: 'DELETE' } });
    expect(applyUpdate(removeAll, item)).toEqual({ s: item.s, set: item.set });
  });

  it('appends lists with ADD and words type errors the legacy way', () => {
    const actions = updateFromAttributeUpdates({ l: { Action: 'ADD', Value: { L: [N(2)] } } });
    expect(applyUpdate(actions, { l: { L: [N(1)] } })).toEqual({ l: { L: [N(1), N(2)] } });
    expect(
      validationMessage(() => applyUpdate(updateFromAttributeUpdates({ s: { Action: 'ADD', Value: N(1) } }), item)),
    ).toBe('Type mismatch for attribute to update');
  });

  it('rejects unsupported actions', () => {
    expect(validationMessage(() => updateFromAttributeUpdates({ a: { Action: 'PUT' } }))).toBe(
      'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified',
    );
    expect(validationMessage(() => updateFromAttributeUpdates({ a: { Action: 'DELETE', Value: N(1) } }))).toBe(
      'One or more parameter values were invalid: DELETE action with value is not supported for the type N',
    );
    expect(validationMessage(() => updateFromAttributeUpdates({ a: { Action: 'ADD', Value: S('x') } }))).toBe(
      'One or more parameter values were invalid: ADD action is not supported for the type S',
    );
  });
});
