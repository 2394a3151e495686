// The cost the AWS APIs' door adds per request: reading a request's IAM scope from its body and evaluating a
// credential's policies on it, next to JSON.parse of the same body as a yardstick measured in the same run (the
// ratio survives a busy machine better than nanoseconds do). Needs dist/: npm run build, then
// node bench/auth/policy.js
import { dynamodbRequestScope } from '../../packages/syncline/dist/auth/awsRequestScope.js';
import { deniedScope, evaluatePolicies, parsePolicyDocument } from '../../packages/syncline/dist/auth/policy.js';

const R = 'us-east-1';
const A = '000000000000';
const orders = `arn:aws:dynamodb:${R}:${A}:table/Orders`;
const policies = {
  'admin (* on *)': [parsePolicyDocument({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'admin')],
  'scoped (exact ARNs, index/*, a Delete* deny)': [
    parsePolicyDocument(
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Resource: [orders, `${orders}/index/*`],
          },
          { Effect: 'Deny', Action: 'dynamodb:Delete*', Resource: '*' },
        ],
      },
      'scoped',
    ),
  ],
  'any region (arn:aws:dynamodb:*:*:table/Orders)': [
    parsePolicyDocument(
      { Statement: { Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/Orders' } },
      'region',
    ),
  ],
  'in-segment globs (us-*-1, Ord?rs, *Secret* deny)': [
    parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Allow', Action: 'dynamodb:*Item', Resource: 'arn:aws:dynamodb:us-*-1:*:table/Ord?rs' },
          { Effect: 'Deny', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/*Secret*' },
        ],
      },
      'globs',
    ),
  ],
};

const body = { TableName: 'Orders', Key: { id: { S: 'order-1' } } };
const text = JSON.stringify(body);

function nsPerOp(fn) {
  for (let i = 0; i < 200_000; i++) fn();
  const n = 2_000_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / n;
}

const yardstick = nsPerOp(() => JSON.parse(text));
const line = (label, ns) =>
  console.log(`${label.padEnd(58)} ${ns.toFixed(0).padStart(6)} ns  ${(ns / yardstick).toFixed(2)}x JSON.parse`);
line('JSON.parse(GetItem body) (yardstick)', yardstick);
line(
  'dynamodbRequestScope(GetItem)',
  nsPerOp(() => dynamodbRequestScope('GetItem', body, R, A)),
);
for (const [label, docs] of Object.entries(policies)) {
  line(
    `evaluatePolicies, ${label}`,
    nsPerOp(() => evaluatePolicies(docs, 'dynamodb:GetItem', orders)),
  );
}
const scoped = policies['scoped (exact ARNs, index/*, a Delete* deny)'];
line(
  'scope + deniedScope, scoped',
  nsPerOp(() => deniedScope(scoped, dynamodbRequestScope('GetItem', body, R, A))),
);
