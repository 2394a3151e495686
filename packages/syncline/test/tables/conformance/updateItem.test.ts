import { expect } from 'vitest';
import { conformance, invalid, send, TABLES } from './runner.js';

const T = TABLES.hash;
const C = TABLES.composite;
const key = (pk: string) => ({ TableName: T, Key: { pk: { S: pk } } });
const stored = async (h: Parameters<typeof send>[0], pk: string) => (await send(h, 'GetItem', key(pk))).Item;

conformance('UpdateItem', [
  {
    name: 'REMOVE alone on a missing item creates nothing and returns nothing with ALL_NEW',
    input: { ...key('rm-missing'), UpdateExpression: 'REMOVE a, b', ReturnValues: 'ALL_NEW' },
    output: async (out, h) => {
      expect(out.Attributes).toBeUndefined();
      expect(await stored(h, 'rm-missing')).toBeUndefined();
    },
  },
  {
    name: 'legacy AttributeUpdates DELETE alone on a missing item creates nothing',
    input: { ...key('del-missing'), AttributeUpdates: { a: { Action: 'DELETE' } }, ReturnValues: 'ALL_NEW' },
    output: async (out, h) => {
      expect(out.Attributes).toBeUndefined();
      expect(await stored(h, 'del-missing')).toBeUndefined();
    },
  },
  {
    name: 'DELETE of set members on a missing item creates nothing',
    input: {
      ...key('delset-missing'),
      UpdateExpression: 'DELETE s :s',
      ExpressionAttributeValues: { ':s': { SS: ['a'] } },
    },
    output: async (_, h) => expect(await stored(h, 'delset-missing')).toBeUndefined(),
  },
  {
    name: 'REMOVE of a nested path on a missing item is a no-op',
    input: { ...key('nested-missing'), UpdateExpression: 'REMOVE x.y' },
    output: async (_, h) => expect(await stored(h, 'nested-missing')).toBeUndefined(),
  },
  {
    name: 'REMOVE on an existing item still writes',
    before: [['PutItem', { TableName: T, Item: { pk: { S: 'rm-existing' }, a: { S: '1' }, b: { S: '2' } } }]],
    input: { ...key('rm-existing'), UpdateExpression: 'REMOVE a', ReturnValues: 'ALL_NEW' },
    output: (out) => expect(out.Attributes).toEqual({ pk: { S: 'rm-existing' }, b: { S: '2' } }),
  },
  {
    name: 'SET with REMOVE on a missing item creates the item',
    input: {
      ...key('set-rm-missing'),
      UpdateExpression: 'SET a = :a REMOVE b',
      ExpressionAttributeValues: { ':a': { S: 'x' } },
      ReturnValues: 'ALL_NEW',
    },
    output: (out) => expect(out.Attributes).toEqual({ pk: { S: 'set-rm-missing' }, a: { S: 'x' } }),
  },
  {
    name: 'an update with no actions on a missing item creates the key-only item',
    input: { ...key('empty-update'), ReturnValues: 'ALL_NEW' },
    output: (out) => expect(out.Attributes).toEqual({ pk: { S: 'empty-update' } }),
  },
  {
    name: 'SET past the end of a list appends in index order, not action order',
    before: [['PutItem', { TableName: T, Item: { pk: { S: 'append' }, a: { L: [{ S: '0' }] } } }]],
    input: {
      ...key('append'),
      UpdateExpression: 'SET a[84] = :a, a[37] = :b, a[17] = :c, a[50] = :d',
      ExpressionAttributeValues: { ':a': { S: '84' }, ':b': { S: '37' }, ':c': { S: '17' }, ':d': { S: '50' } },
      ReturnValues: 'ALL_NEW',
    },
    output: (out) => expect(out.Attributes.a.L.map((v: { S: string }) => v.S)).toEqual(['0', '17', '37', '50', '84']),
  },
  {
    name: 'SET past the end mixed with an in-range write and a REMOVE',
    before: [
      ['PutItem', { TableName: T, Item: { pk: { S: 'append2' }, a: { L: [{ S: '0' }, { S: '1' }, { S: '2' }] } } }],
    ],
    input: {
      ...key('append2'),
      UpdateExpression: 'SET a[9] = :x, a[1] = :y, a[5] = :z REMOVE a[0]',
      ExpressionAttributeValues: { ':x': { S: 'x' }, ':y': { S: 'y' }, ':z': { S: 'z' } },
      ReturnValues: 'ALL_NEW',
    },
    output: (out) => expect(out.Attributes.a.L.map((v: { S: string }) => v.S)).toEqual(['y', '2', 'z', 'x']),
  },
  invalid(
    'updating a key attribute',
    { ...key('k'), UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } },
    'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
  ),
  invalid(
    'updating the sort key',
    {
      TableName: C,
      Key: { pk: { S: 'k' }, sk: { S: 's' } },
      UpdateExpression: 'SET sk = :v',
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    },
    'One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key',
  ),
  invalid(
    'a syntax error',
    { ...key('k'), UpdateExpression: 'INVALID SYNTAX' },
    'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"',
  ),
  invalid(
    'an empty UpdateExpression',
    { ...key('k'), UpdateExpression: '' },
    'Invalid UpdateExpression: The expression can not be empty;',
  ),
  invalid(
    'an undefined value placeholder',
    { ...key('k'), UpdateExpression: 'SET a = :v' },
    'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v',
  ),
  invalid(
    'an unused value placeholder',
    {
      ...key('k'),
      UpdateExpression: 'SET a = :v',
      ExpressionAttributeValues: { ':v': { S: 'x' }, ':unused': { S: 'y' } },
    },
    'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}',
  ),
  invalid(
    'AttributeUpdates with UpdateExpression',
    {
      ...key('k'),
      UpdateExpression: 'SET a = :v',
      ExpressionAttributeValues: { ':v': { S: 'x' } },
      AttributeUpdates: { b: { Action: 'PUT', Value: { S: 'y' } } },
    },
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}',
  ),
  invalid(
    'a name starting with an underscore needs a placeholder',
    { ...key('k'), UpdateExpression: 'SET _123 = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } },
    'Invalid UpdateExpression: Syntax error; token: "_", near: "SET _123"',
  ),
  {
    name: 'the same name through a placeholder is fine',
    input: {
      ...key('underscore'),
      UpdateExpression: 'SET #n = :v',
      ExpressionAttributeNames: { '#n': '_123' },
      ExpressionAttributeValues: { ':v': { S: 'x' } },
      ReturnValues: 'ALL_NEW',
    },
    output: (out) => expect(out.Attributes._123).toEqual({ S: 'x' }),
  },
  invalid(
    'list_append nested in list_append',
    {
      ...key('k'),
      UpdateExpression: 'SET a = list_append(list_append(:v, :v), :v)',
      ExpressionAttributeValues: { ':v': { L: [] } },
    },
    'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append',
  ),
  invalid(
    'a list index beyond a Java int',
    { ...key('k'), UpdateExpression: 'SET a[99999999999999] = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } },
    'Invalid UpdateExpression: List index is not within the allowable range; index: [99999999999999]',
  ),
  invalid(
    'a document path 33 levels deep',
    {
      ...key('k'),
      UpdateExpression: `SET ${Array.from({ length: 33 }, () => 'a').join('.')} = :v`,
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    },
    'Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33',
  ),
  invalid(
    'an expression over 4 KB',
    { ...key('k'), UpdateExpression: `SET a = :v${' '.repeat(4096)}`, ExpressionAttributeValues: { ':v': { S: 'x' } } },
    'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size; expression size: 4106',
  ),
]);
