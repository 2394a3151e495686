// Reserved words (the developer guide's list) are refused in every kind of expression, whatever their case, and
// accepted through a placeholder. Table-driven: each word in three expressions, plus its placeholder form.
import { type Case, conformance, invalid, TABLES } from './runner.js';

const T = TABLES.hash;
const WORDS = [
  'name',
  'status',
  'date',
  'year',
  'data',
  'user',
  'timestamp',
  'count',
  'size',
  'comment',
  'value',
  'key',
  'order',
  'group',
  'level',
  'type',
  'zone',
  'hash',
  'range',
  'table',
  'index',
  'delete',
  'update',
  'select',
  'from',
  'where',
  'limit',
  'Name',
  'STATUS',
  'Year',
];
const key = { TableName: T, Key: { pk: { S: 'rw' } } };

const cases: Case[] = WORDS.flatMap((word) => [
  invalid(
    `${word} in a ProjectionExpression`,
    { ...key, ProjectionExpression: `a, ${word}` },
    `Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: ${word}`,
    { action: 'GetItem' },
  ),
  invalid(
    `${word} in a ConditionExpression`,
    { ...key, ConditionExpression: `attribute_exists(${word})` },
    `Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: ${word}`,
    { action: 'DeleteItem' },
  ),
  invalid(
    `${word} in an UpdateExpression`,
    { ...key, UpdateExpression: `SET ${word} = :v`, ExpressionAttributeValues: { ':v': { S: 'x' } } },
    `Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: ${word}`,
    { action: 'UpdateItem' },
  ),
  {
    name: `${word} through a placeholder`,
    action: 'UpdateItem',
    input: {
      ...key,
      UpdateExpression: 'SET #w = :v',
      ExpressionAttributeNames: { '#w': word },
      ExpressionAttributeValues: { ':v': { S: 'x' } },
    },
  },
]);

conformance('GetItem', cases);
