// Every action the AWS SDK's DynamoDB client can send reaches an operation: none answers UnknownOperationException
// (PartiQL's three actions are another part of the engine and are left out here).
import * as sdk from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness } from '../harness.js';

const PARTIQL = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);
const actions = Object.keys(sdk)
  .filter((name) => /^[A-Z][A-Za-z]+Command$/.test(name))
  .map((name) => name.slice(0, -'Command'.length))
  .filter((name) => !PARTIQL.has(name))
  .sort();

describe('every DynamoDB action', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('the SDK knows at least the actions of the 2012-08-10 API', () => {
    expect(actions.length).toBeGreaterThan(50);
    expect(actions).toContain('RestoreTableToPointInTime');
  });

  it.each(actions)(
    '%s is an operation (an empty body gets a validation answer, not UnknownOperation)',
    async (action) => {
      const res = await rawRequest(h.endpoint, action, {});
      expect(String(res.json.__type ?? '')).not.toMatch(/UnknownOperationException/);
      expect([200, 400]).toContain(res.status);
    },
  );
});
