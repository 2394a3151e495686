import { describe, expect, it } from 'vitest';
import { matchesAnyPattern, matchesPattern } from '../../src/triggers/streams/index.js';

const record = {
  eventName: 'MODIFY',
  userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
  dynamodb: {
    Keys: { id: { S: 'order#42' } },
    NewImage: { status: { S: 'ERROR_TIMEOUT' }, total: { N: '300' }, tags: { L: [{ S: 'x' }] } },
  },
};

describe('EventBridge patterns on stream records', () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['exact metadata', { eventName: ['MODIFY'] }, true],
    ['one of several', { eventName: ['INSERT', 'MODIFY'] }, true],
    ['wrong value', { eventName: ['INSERT'] }, false],
    ['nested exact', { dynamodb: { NewImage: { status: { S: ['ERROR_TIMEOUT'] } } } }, true],
    ['prefix', { dynamodb: { Keys: { id: { S: [{ prefix: 'order#' }] } } } }, true],
    ['prefix miss', { dynamodb: { Keys: { id: { S: [{ prefix: 'user#' }] } } } }, false],
    ['suffix', { dynamodb: { NewImage: { status: { S: [{ suffix: 'TIMEOUT' }] } } } }, true],
    ['equals-ignore-case', { eventName: [{ 'equals-ignore-case': 'modify' }] }, true],
    ['wildcard', { dynamodb: { Keys: { id: { S: [{ wildcard: 'order#*' }] } } } }, true],
    ['anything-but value', { eventName: [{ 'anything-but': 'REMOVE' }] }, true],
    ['anything-but list', { eventName: [{ 'anything-but': ['MODIFY', 'REMOVE'] }] }, false],
    ['anything-but prefix', { eventName: [{ 'anything-but': { prefix: 'MOD' } }] }, false],
    [
      'numeric range on a DynamoDB number',
      { dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 100, '<=', 300] }] } } } },
      true,
    ],
    ['numeric miss', { dynamodb: { NewImage: { total: { N: [{ numeric: ['<', 100] }] } } } }, false],
    ['numbers as written', { dynamodb: { NewImage: { total: { N: ['300.0'] } } } }, false],
    ['exists', { dynamodb: { NewImage: { status: [{ exists: true }] } } }, true],
    ['not exists', { dynamodb: { OldImage: [{ exists: false }] } }, true],
    ['exists on a missing field', { dynamodb: { OldImage: [{ exists: true }] } }, false],
    ['missing field', { dynamodb: { NewImage: { nope: { S: ['x'] } } } }, false],
    ['TTL identity', { userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }, true],
    ['all fields must match', { eventName: ['MODIFY'], dynamodb: { Keys: { id: { S: ['other'] } } } }, false],
    ['array element in the event', { dynamodb: { NewImage: { tags: { L: [{ S: ['x'] }] } } } }, false],
    [
      '$or, second alternative',
      { $or: [{ eventName: ['INSERT'] }, { dynamodb: { Keys: { id: { S: [{ prefix: 'order#' }] } } } }] },
      true,
    ],
    ['$or, no alternative', { $or: [{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }] }, false],
    [
      '$or nested, with a field beside it that must match too',
      {
        dynamodb: {
          NewImage: { $or: [{ total: { N: [{ numeric: ['>', 1000] }] } }, { status: { S: [{ prefix: 'ERROR' }] } }] },
        },
        eventName: ['MODIFY'],
      },
      true,
    ],
    [
      '$or beside a field that does not match',
      { eventName: ['INSERT'], $or: [{ dynamodb: { Keys: { id: { S: ['order#42'] } } } }] },
      false,
    ],
  ];
  for (const [name, pattern, expected] of cases) {
    it(`${name} → ${expected ? 'matches' : 'does not match'}`, () => {
      expect(matchesPattern(pattern, record)).toBe(expected);
    });
  }

  it('several patterns are alternatives; none means everything passes', () => {
    expect(matchesAnyPattern([{ eventName: ['INSERT'] }, { eventName: ['MODIFY'] }], record)).toBe(true);
    expect(matchesAnyPattern([{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }], record)).toBe(false);
    expect(matchesAnyPattern([], record)).toBe(true);
  });
});
