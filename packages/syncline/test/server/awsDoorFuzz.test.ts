// Hostile requests at the AWS APIs' door: whatever the Authorization header, date, token, target and body, a
// request without a valid signature gets one of AWS's authentication errors — never a 500, never the service.
// Bounded to a few seconds; FUZZ_SECONDS=60 for a longer run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsApiDoor } from '../../src/auth/awsApiDoor.js';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 3);
const KNOWN_KEY = 'AKIAFUZZADMIN0000001';
const REFUSALS = new Set(
  [
    'MissingAuthenticationTokenException',
    'IncompleteSignatureException',
    'UnrecognizedClientException',
    'InvalidSignatureException',
  ].map((t) => `com.amazon.coral.service#${t}`),
);

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('streams-functions'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    requireSignatures: true,
    credentials: [
      {
        name: 'admin',
        accessKeyId: KNOWN_KEY,
        secretAccessKey: 'fuzz-secret',
        policies: [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
      },
    ],
  });
});
afterAll(() => server?.close());

const printable = (max: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });

/** Authorization headers from plausible to absurd: SigV4-shaped with random parts, known and unknown keys. */
const authorization = fc.oneof(
  printable(200),
  fc
    .record({
      key: fc.oneof(fc.constant(KNOWN_KEY), printable(30)),
      date: fc.oneof(fc.constant(new Date().toISOString().slice(0, 10).replace(/-/g, '')), printable(10)),
      region: fc.constantFrom('us-east-1', 'eu-west-1', ''),
      service: fc.constantFrom('dynamodb', 'appsync', ''),
      terminator: fc.constantFrom('aws4_request', 'x'),
      signed: fc.constantFrom('host;x-amz-date', 'host', 'x-amz-date', '', 'host;x-amz-date;x-amz-target'),
      signature: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), printable(70)),
      separator: fc.constantFrom(', ', ',', ' ,'),
    })
    .map(
      (p) =>
        `AWS4-HMAC-SHA256 Credential=${p.key}/${p.date}/${p.region}/${p.service}/${p.terminator}${p.separator}SignedHeaders=${p.signed}${p.separator}Signature=${p.signature}`,
    ),
);

const target = fc.oneof(
  fc.constantFrom('DynamoDB_20120810.', 'DynamoDBStreams_20120810.').chain((prefix) =>
    fc.oneof(
      fc.constantFrom('ListTables', 'DeleteTable', 'Scan', 'GetRecords', 'ListStreams').map((op) => prefix + op),
      printable(30).map((op) => prefix + op),
    ),
  ),
);

describe('the door under hostile requests', () => {
  it(`refuses every forged request it is handed directly, without throwing (${SECONDS}s)`, () => {
    const door = awsApiDoor({
      region: () => 'us-east-1',
      lookup: (id) =>
        id === KNOWN_KEY
          ? {
              accessKeyId: KNOWN_KEY,
              secretAccessKey: 'fuzz-secret',
              arn: 'arn:aws:iam::000000000000:user/admin',
              policies: [],
            }
          : undefined,
    });
    let runs = 0;
    fc.assert(
      fc.property(
        fc.option(authorization, { nil: undefined }),
        fc.dictionary(
          printable(20).map((k) => k.toLowerCase()),
          printable(60),
          { maxKeys: 6 },
        ),
        printable(60),
        printable(60),
        fc.uint8Array({ maxLength: 300 }),
        (auth, extra, path, query, body) => {
          runs++;
          const headers: Record<string, string> = { ...extra, host: 'localhost' };
          if (auth !== undefined) headers.authorization = auth;
          const refused = door.check({ method: 'POST', path: `/${path}`, query, headers, body }, 'dynamodb', () => {
            throw new Error('a forged request must never reach the policy check');
          });
          expect(refused && REFUSALS.has(`com.amazon.coral.service#${refused.type}`)).toBe(true);
        },
      ),
      { numRuns: 1_000_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
    );
    if (process.env.FUZZ_REPORT) console.log(`door fuzz (direct): ${runs} requests`);
    expect(runs).toBeGreaterThan(100);
  });

  it(
    `answers every unsigned or badly signed request with an AWS authentication error (${SECONDS}s)`,
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          target,
          fc.option(authorization, { nil: undefined }),
          fc.option(printable(40), { nil: undefined }),
          fc.option(printable(40), { nil: undefined }),
          fc.oneof(printable(300), fc.constant('{"TableName":"Orders"}'), fc.constant('')),
          async (amzTarget, auth, amzDate, token, body) => {
            runs++;
            const headers: Record<string, string> = {
              'x-amz-target': amzTarget,
              'content-type': 'application/x-amz-json-1.0',
            };
            if (auth !== undefined) headers.authorization = auth;
            if (amzDate !== undefined) headers['x-amz-date'] = amzDate;
            if (token !== undefined) headers['x-amz-security-token'] = token;
            const res = await fetch(server.endpoints.dynamodb!, { method: 'POST', headers, body });
            const answer = (await res.json()) as { __type?: string };
            expect(res.status).toBe(400);
            expect(REFUSALS.has(answer.__type ?? '')).toBe(true);
          },
        ),
        { numRuns: 1_000_000, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
      );
      if (process.env.FUZZ_REPORT) console.log(`door fuzz (HTTP): ${runs} requests`);
      expect(runs).toBeGreaterThan(0);
    },
    (SECONDS + 30) * 1000,
  );
});
