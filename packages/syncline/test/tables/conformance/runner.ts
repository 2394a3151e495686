// Table-driven conformance cases: each case is one request sent with the real AWS SDK v3 client to a real
// server, and DynamoDB's answer (its exception name and exact message, or the output) as recorded from the
// service by DynamoDB's documentation and the public conformance suites. One file per action, like
// src/tables/operations/.
import * as ddb from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../harness.js';

export type Input = Record<string, unknown>;

export interface Case {
  name: string;
  /** The action sent; defaults to the file's action. */
  action?: string;
  /** Requests sent first (their answers must succeed). */
  before?: Array<[action: string, input: Input]>;
  input: Input;
  /** Expected exception name; the message must then equal `message` (or match it). */
  error?: string;
  message?: string | RegExp;
  /** Assertions on a successful output (and on the tables, through `h`). */
  output?: (out: any, h: Harness) => void | Promise<void>;
}

/** Tables every file starts with (all PAY_PER_REQUEST). */
export const TABLES = {
  /** `hash`: pk S. */
  hash: 'conf_hash',
  /** `composite`: pk S, sk S. */
  composite: 'conf_composite',
  /** `numeric`: pk S, sk N, with a KEYS_ONLY GSI `byG` on g S and an INCLUDE GSI `byH` on h S (projects `p`). */
  numeric: 'conf_numeric',
} as const;

const tableDefinitions: Input[] = [
  {
    TableName: TABLES.hash,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  },
  {
    TableName: TABLES.composite,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  },
  {
    TableName: TABLES.numeric,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'S' },
      { AttributeName: 'h', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: 'byH',
        KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['p'] },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  },
];

/** Sends one action through the SDK's own command class, as an application would. */
export async function send(h: Harness, action: string, input: Input): Promise<any> {
  const Command = (ddb as unknown as Record<string, new (i: Input) => any>)[`${action}Command`];
  if (!Command) throw new Error(`no SDK command for ${action}`);
  return h.client.send(new Command(input));
}

/** Declares one `it` per case, all against one server with the standard tables. */
export function conformance(action: string, cases: Case[]): void {
  describe(`${action} conformance`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
      for (const t of tableDefinitions) await send(h, 'CreateTable', t);
    });
    afterAll(() => h.close());

    for (const c of cases) {
      it(c.name, async () => {
        for (const [a, i] of c.before ?? []) await send(h, a, i);
        let out: unknown;
        let failure: any;
        try {
          out = await send(h, c.action ?? action, c.input);
        } catch (e) {
          failure = e;
        }
        if (c.error) {
          expect(failure?.name, failure ? failure.message : 'the request succeeded').toBe(c.error);
          if (typeof c.message === 'string') expect(failure.message).toBe(c.message);
          else if (c.message) expect(failure.message).toMatch(c.message);
          await c.output?.(failure, h);
        } else {
          if (failure) throw failure;
          await c.output?.(out, h);
        }
      });
    }
  });
}

/** A ValidationException case (the commonest kind). */
export const invalid = (name: string, input: Input, message: string | RegExp, extra: Partial<Case> = {}): Case => ({
  name,
  input,
  error: 'ValidationException',
  message,
  ...extra,
});
