// Fuzz target: the expression parser and evaluator, through the engine's JSON protocol entry (the function the
// server calls with each request body, without HTTP in between so that many more cases fit in the budget).
// Grammar-generated condition, update, projection and filter expressions with prototype-named attributes, and
// random token soup, must each get a 200 or an AWS-shaped 400; an UpdateItem that answers 200 must have stored
// exactly the item it returned (an acknowledged write is never lost or altered).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTableEngine,
  handleDynamoDBRequest,
  openSqliteStorage,
  type TableEngine,
} from '../../../src/tables/index.js';
import type { Storage } from '../../../src/tables/storage/port.js';
import {
  attributeValue,
  budget,
  canonical,
  conditionExpression,
  expectAwsAnswer,
  expressionSoup,
  fuzzTimeout,
  members,
  placeholders,
  projectionExpression,
  reportCases,
  updateExpression,
  usedPlaceholders,
} from './arbitraries.js';

let storage: Storage;
let engine: TableEngine;

async function call(action: string, body: unknown) {
  const text = JSON.stringify(body);
  const res = await handleDynamoDBRequest(engine, `DynamoDB_20120810.${action}`, text, {
    onInternalError: (e) => console.error(e),
  });
  return { answer: { status: res.status, text: res.body }, text };
}

beforeAll(() => {
  storage = openSqliteStorage(':memory:');
  engine = createTableEngine({ storage });
  engine.createTable({
    TableName: 'expr',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
});

afterAll(() => storage?.close());

const KEY = { id: { S: 'e' } };

const expressionCase = fc.record({
  item: members(attributeValue, 5),
  kind: fc.constantFrom('condition', 'update', 'projection', 'filter'),
  condition: fc.oneof({ weight: 4, arbitrary: conditionExpression }, { weight: 1, arbitrary: expressionSoup }),
  update: fc.oneof({ weight: 4, arbitrary: updateExpression }, { weight: 1, arbitrary: expressionSoup }),
  projection: fc.oneof({ weight: 4, arbitrary: projectionExpression }, { weight: 1, arbitrary: expressionSoup }),
  conditional: fc.boolean(),
  ph: placeholders,
});

describe('fuzz: expression parser and evaluator', () => {
  it(
    'generated and random expressions get 200 or an AWS-shaped 400, and acknowledged updates are stored',
    async () => {
      let acknowledged = 0;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(expressionCase, async ({ item, kind, condition, update, projection, conditional, ph }) => {
          runs++;
          const put = await call('PutItem', { TableName: 'expr', Item: { ...item, ...KEY } });
          expectAwsAnswer(put.answer, `PutItem ${put.text}`);
          let request: [string, Record<string, unknown>];
          switch (kind) {
            case 'condition':
              request = [
                'DeleteItem',
                { TableName: 'expr', Key: KEY, ConditionExpression: condition, ...usedPlaceholders([condition], ph) },
              ];
              break;
            case 'update':
              request = [
                'UpdateItem',
                {
                  TableName: 'expr',
                  Key: KEY,
                  UpdateExpression: update,
                  ...(conditional ? { ConditionExpression: condition } : {}),
                  ...usedPlaceholders(conditional ? [update, condition] : [update], ph),
                  ReturnValues: 'ALL_NEW',
                },
              ];
              break;
            case 'projection':
              request = [
                'GetItem',
                {
                  TableName: 'expr',
                  Key: KEY,
                  ProjectionExpression: projection,
                  ...usedPlaceholders([projection], ph),
                },
              ];
              break;
            default:
              request = [
                'Scan',
                {
                  TableName: 'expr',
                  FilterExpression: condition,
                  ProjectionExpression: projection,
                  ...usedPlaceholders([condition, projection], ph),
                },
              ];
          }
          const { answer, text } = await call(...request);
          const body = expectAwsAnswer(answer, `${request[0]} ${text}`);
          if (request[0] === 'UpdateItem' && answer.status === 200) {
            acknowledged++;
            const got = await call('GetItem', { TableName: 'expr', Key: KEY, ConsistentRead: true });
            const stored = JSON.parse(got.answer.text).Item;
            expect(canonical(stored), `${text}\nreturned ${answer.text}`).toBe(canonical(body.Attributes));
          }
        }),
        budget,
      );
      reportCases(`expressions (${acknowledged} acknowledged updates)`, runs);
      // The generator reaches the evaluator, not only the validator.
      expect(acknowledged).toBeGreaterThan(0);
    },
    fuzzTimeout,
  );
});
