// IAM policy documents: validation of untrusted JSON, and IAM's evaluation (explicit deny, allow, implicit deny)
// with Action/NotAction, Resource/NotResource and their wildcards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deniedScope,
  evaluatePolicies,
  type PolicyDocument,
  type PolicyStatement,
  parsePolicyDocument,
} from '../../src/auth/policy.js';

const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 0) * 1000;
const runs = (n: number) => (FUZZ_MS > 0 ? { numRuns: 1e9, interruptAfterTimeLimit: FUZZ_MS } : { numRuns: n });
const FUZZ_TIMEOUT = FUZZ_MS + 60_000;

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';
const OTHER = 'arn:aws:dynamodb:us-east-1:123456789012:table/Users';

const policy = (...Statement: PolicyStatement[]) => parsePolicyDocument({ Version: '2012-10-17', Statement }, 'test');
const allow = (Action: string | string[], Resource: string | string[] = '*'): PolicyStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
});
const deny = (Action: string | string[], Resource: string | string[] = '*'): PolicyStatement => ({
  Effect: 'Deny',
  Action,
  Resource,
});

describe('parsePolicyDocument', () => {
  it('turns a single statement object into a one-element array', () => {
    const doc = parsePolicyDocument({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }, 'p');
    expect(doc).toEqual({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  });

  it('keeps Version and Sid and freezes the result so its compiled form cannot drift', () => {
    const doc = parsePolicyDocument(
      {
        Version: '2012-10-17',
        Statement: [{ Sid: 'Read1', Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: TABLE }],
      },
      'p',
    );
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement[0].Sid).toBe('Read1');
    expect(Object.isFrozen(doc)).toBe(true);
    expect(Object.isFrozen(doc.Statement[0].Action)).toBe(true);
    expect(() => (doc.Statement as PolicyStatement[]).push(allow('*'))).toThrow(TypeError);
  });

  it.each([
    [null, 'expected object'],
    ['{}', 'expected object'],
    [{}, 'Statement'],
    [{ Statement: [] }, 'Statement must not be empty'],
    [{ Version: '2020-01-01', Statement: [allow('*')] }, 'Version must be'],
    [{ Statement: [allow('*')], Extra: 1 }, 'Extra'],
    [{ Statement: [{ Action: '*', Resource: '*' }] }, 'Statement[0].Effect'],
    [{ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }, 'Effect must be "Allow" or "Deny"'],
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'exactly one of Action or NotAction'],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'x:y', Resource: '*' }] },
      'exactly one of Action or NotAction',
    ],
    [{ Statement: [{ Effect: 'Allow', Action: '*' }] }, 'exactly one of Resource or NotResource'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', NotResource: '*' }] }, 'exactly one of Resource'],
    [{ Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] }, 'Statement[0].Action'],
    [{ Statement: [{ Effect: 'Allow', Action: '', Resource: '*' }] }, 'Action must not be empty'],
    [{ Statement: [{ Effect: 'Allow', Action: 'GetItem', Resource: '*' }] }, 'Statement[0].Action: Action must be'],
    [{ Statement: [{ Effect: 'Allow', Action: 'dynamo*:GetItem', Resource: '*' }] }, 'Action must be'],
    [{ Statement: [{ Effect: 'Allow', Action: 'dynamodb:', Resource: '*' }] }, 'Action must be'],
    [{ Statement: [{ Effect: 'Allow', Action: ['*', 42], Resource: '*' }] }, 'Statement[0].Action'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'table/Orders' }] }, 'Resource must be'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*' }] }, 'Resource must be'],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamo*:us-east-1:1:table/x' }] },
      'Resource must be',
    ],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: `${TABLE}-\${aws:username}` }] }, 'policy variables'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: {} }] }, 'Statement[0].Condition'],
    [{ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Principal: '*' }] }, 'Principal is not allowed'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Sid: 'has space' }] }, 'Sid'],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Unknown: 1 }] }, 'Unknown'],
    [{ Statement: [{ Effect: 'Allow', Action: 'x'.repeat(3000), Resource: '*' }] }, 'longer than'],
  ])('refuses %j naming the key (%s)', (json, fragment) => {
    expect(() => parsePolicyDocument(json, 'creds.json: credentials[0].policy')).toThrow(
      /^creds\.json: credentials\[0\]\.policy/,
    );
    expect(() => parsePolicyDocument(json, 'creds.json: credentials[0].policy')).toThrow(fragment);
  });

  it('refuses lists longer than 1000 entries', () => {
    const long = Array(1001).fill('*');
    expect(() => parsePolicyDocument({ Statement: [{ Effect: 'Allow', Action: '*', Resource: long }] }, 'p')).toThrow(
      'p: Statement[0].Resource: at most 1000 entries in Resource',
    );
    const many = Array(1001).fill({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(() => parsePolicyDocument({ Statement: many }, 'p')).toThrow('p: Statement: at most 1000 statements');
  });

  it('refuses a Condition with a message that says why', () => {
    const json = {
      Statement: [
        allow('dynamodb:GetItem', TABLE),
        { ...deny('dynamodb:*'), Condition: { StringEquals: { 'dynamodb:LeadingKeys': ['x'] } } },
      ],
    };
    expect(() => parsePolicyDocument(json, 'p')).toThrow('p: Statement[1].Condition: Condition is not supported');
  });

  it('survives keys that are special to JavaScript objects', () => {
    const json = JSON.parse('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","__proto__":{"x":1}}]}');
    expect(() => parsePolicyDocument(json, 'p')).toThrow('__proto__');
    const ctor = JSON.parse('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","constructor":1}]}');
    expect(() => parsePolicyDocument(ctor, 'p')).toThrow('constructor');
  });
});

describe('evaluatePolicies', () => {
  it('implicitly denies when nothing matches, including with no policies at all', () => {
    expect(evaluatePolicies([], 'dynamodb:GetItem', TABLE)).toBe('implicitDeny');
    expect(evaluatePolicies([policy(allow('dynamodb:PutItem', TABLE))], 'dynamodb:GetItem', TABLE)).toBe(
      'implicitDeny',
    );
  });

  it('allows an exact action on an exact resource, and only that resource', () => {
    const p = [policy(allow('dynamodb:GetItem', TABLE))];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', OTHER)).toBe('implicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', `${TABLE}/index/byDate`)).toBe('implicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', `${TABLE}x`)).toBe('implicitDeny');
  });

  it('matches actions case-insensitively and resources case-sensitively', () => {
    const p = [policy(allow('DynamoDB:getitem', TABLE))];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 'DYNAMODB:GETITEM', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE.replace('Orders', 'orders'))).toBe('implicitDeny');
    const lower = [policy(allow('dynamodb:GetItem', TABLE.replace('Orders', 'orders')))];
    expect(evaluatePolicies(lower, 'dynamodb:GetItem', TABLE)).toBe('implicitDeny');
  });

  it.each([
    ['*', 'dynamodb:GetItem', true],
    ['*', 's3:GetObject', true],
    ['dynamodb:*', 'dynamodb:DeleteTable', true],
    ['dynamodb:*', 'dynamodbx:GetItem', false],
    ['dynamodb:*', 's3:GetObject', false],
    ['dynamodb:Get*', 'dynamodb:GetItem', true],
    ['dynamodb:Get*', 'dynamodb:GetRecords', true],
    ['dynamodb:Get*', 'dynamodb:BatchGetItem', false],
    ['dynamodb:*Item', 'dynamodb:BatchGetItem', true],
    ['dynamodb:*Item', 'dynamodb:GetItems', false],
    ['dynamodb:*Get*', 'dynamodb:BatchGetItem', true],
    ['dynamodb:?etItem', 'dynamodb:GetItem', true],
    ['dynamodb:?etItem', 'dynamodb:GGetItem', false],
    ['dynamodb:PartiQL*', 'dynamodb:PartiQLSelect', true],
    ['dynamodb:Describe*', 'dynamodb:ListTables', false],
  ])('Action %s on %s: %s', (pattern, action, expected) => {
    expect(evaluatePolicies([policy(allow(pattern))], action, TABLE)).toBe(expected ? 'allow' : 'implicitDeny');
  });

  it.each([
    ['*', TABLE, true],
    ['*', '*', true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/*', TABLE, true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/*', `${TABLE}/index/byDate`, true],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/*', '*', false],
    ['arn:aws:dynamodb:*:*:table/Orders', TABLE, true],
    ['arn:aws:dynamodb:*:*:table/Orders', 'arn:aws:dynamodb:eu-west-1:999999999999:table/Orders', true],
    ['arn:aws:dynamodb:*:*:table/Orders', `${TABLE}/index/byDate`, false],
    ['arn:aws:dynamodb:*:*:table/Orders/index/*', `${TABLE}/index/byDate`, true],
    ['arn:aws:dynamodb:*:*:table/Orders/index/*', TABLE, false],
    ['arn:aws:dynamodb:*:*:table/Ord?rs', TABLE, true],
    ['arn:aws:dynamodb:*:*:table/Ord?rs', 'arn:aws:dynamodb:us-east-1:123456789012:table/Ordrs', false],
    ['arn:aws:dynamodb:*:*:table/Orders/stream/*', `${TABLE}/stream/2026-12-07T03:40:10.123`, true],
    ['arn:aws:dynamodb:*:*:table/Orders/stream/*', `${OTHER}/stream/2026-12-07T03:40:10.123`, false],
    // A * inside a segment stays inside it; one that ends a segment may run past the colon.
    ['arn:aws:dynamodb:us-*-1:123456789012:table/Orders', TABLE, true],
    [
      'arn:aws:dynamodb:us-*-1:123456789012:table/Orders',
      'arn:aws:dynamodb:us-east:9-1:123456789012:table/Orders',
      false,
    ],
    ['arn:aws:dynamodb:us-east-1:*:table/Orders', 'arn:aws:dynamodb:us-east-1:1:2:table/Orders', true],
    ['arn:aws:dynamodb:*:*:table/Or*s', TABLE, true],
    ['arn:aws:dynamodb:*:*:table/Or*s', `${TABLE}/stream/2026-12-07T03:40:10.123s`, false],
    ['arn:aws:dynamodb:*:*:table/Or*s', `${TABLE}/index/names`, true],
  ])('Resource %s on %s: %s', (pattern, resource, expected) => {
    expect(evaluatePolicies([policy(allow('*', pattern))], 'dynamodb:GetItem', resource)).toBe(
      expected ? 'allow' : 'implicitDeny',
    );
  });

  it('lets an explicit deny win over any allow, in any order and any policy', () => {
    const a = policy(allow('dynamodb:*'));
    const d = policy(deny('dynamodb:DeleteTable', TABLE));
    for (const set of [[a, d], [d, a], [parsePolicyDocument({ Statement: [d.Statement[0], a.Statement[0]] }, 'p')]]) {
      expect(evaluatePolicies(set, 'dynamodb:DeleteTable', TABLE)).toBe('explicitDeny');
      expect(evaluatePolicies(set, 'dynamodb:DeleteTable', OTHER)).toBe('allow');
      expect(evaluatePolicies(set, 'dynamodb:GetItem', TABLE)).toBe('allow');
    }
  });

  it('reports a deny that matches nothing allowed as explicit, not implicit', () => {
    expect(evaluatePolicies([policy(deny('dynamodb:*', TABLE))], 'dynamodb:GetItem', TABLE)).toBe('explicitDeny');
  });

  it('NotAction allows every action but the listed ones', () => {
    const p = [policy({ Effect: 'Allow', NotAction: ['dynamodb:Delete*', 'dynamodb:CreateTable'], Resource: '*' })];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 's3:GetObject', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:DeleteItem', TABLE)).toBe('implicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:deletetable', TABLE)).toBe('implicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:CreateTable', TABLE)).toBe('implicitDeny');
  });

  it('Deny with NotAction denies everything but the listed actions', () => {
    const p = [policy(allow('*'), { Effect: 'Deny', NotAction: 'dynamodb:Get*', Resource: TABLE })];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:PutItem', TABLE)).toBe('explicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:PutItem', OTHER)).toBe('allow');
  });

  it('NotResource applies a statement to every resource but the listed ones', () => {
    const p = [
      policy(allow('dynamodb:*'), { Effect: 'Deny', Action: 'dynamodb:*', NotResource: [TABLE, `${TABLE}/*`] }),
    ];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:Query', `${TABLE}/index/byDate`)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', OTHER)).toBe('explicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:ListTables', '*')).toBe('explicitDeny');
  });

  it('Allow with NotResource leaves the listed resources implicitly denied', () => {
    const p = [policy({ Effect: 'Allow', Action: '*', NotResource: TABLE })];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', OTHER)).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', TABLE)).toBe('implicitDeny');
  });

  it('needs Resource "*" for actions without a resource type, as IAM does for ListTables', () => {
    const tables = [policy(allow('dynamodb:*', 'arn:aws:dynamodb:us-east-1:123456789012:table/*'))];
    expect(evaluatePolicies(tables, 'dynamodb:ListTables', '*')).toBe('implicitDeny');
    expect(evaluatePolicies([policy(allow('dynamodb:ListTables'))], 'dynamodb:ListTables', '*')).toBe('allow');
  });

  it('treats regular-expression characters in patterns and requests literally', () => {
    const p = [policy(allow('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/a.b*'))];
    expect(evaluatePolicies(p, 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/a.bc')).toBe('allow');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/aXbc')).toBe(
      'implicitDeny',
    );
    const q = [policy(allow('dynamodb:Get(Item|Records)'.replace(/[()|]/g, '')))];
    expect(evaluatePolicies(q, 'dynamodb:GetItem', TABLE)).toBe('implicitDeny');
  });

  it('evaluates a document built in code by the same rules, refusing a Condition rather than ignoring it', () => {
    const built: PolicyDocument = { Statement: [allow('dynamodb:GetItem', TABLE)] };
    expect(evaluatePolicies([built], 'dynamodb:GetItem', TABLE)).toBe('allow');
    const conditional = { Statement: [{ ...allow('*'), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] };
    expect(() => evaluatePolicies([conditional as PolicyDocument], 'dynamodb:GetItem', TABLE)).toThrow('Condition');
  });

  it('answers in bounded time for many-star patterns against a long hostile resource', () => {
    const p = [policy(allow('*', 'arn:aws:dynamodb:*:*:table/a*a*a*a*a*a*a*a*a*a*a*a*b'))];
    const resource = `arn:aws:dynamodb:us-east-1:123456789012:table/${'a'.repeat(5000)}`;
    expect(evaluatePolicies(p, 'dynamodb:GetItem', resource)).toBe('implicitDeny');
    expect(evaluatePolicies(p, 'dynamodb:GetItem', `${resource}b`)).toBe('allow');
  });
});

describe('deniedScope', () => {
  const p = [policy(allow('dynamodb:*', 'arn:aws:dynamodb:us-east-1:123456789012:table/*'), deny('*', OTHER))];

  it('is undefined when every action is allowed on every resource', () => {
    expect(deniedScope(p, [{ action: 'dynamodb:GetItem', resources: [TABLE] }])).toBeUndefined();
  });

  it('names the first implicitly denied pair', () => {
    expect(
      deniedScope(p, [
        { action: 'dynamodb:GetItem', resources: [TABLE] },
        { action: 'dynamodb:ListTables', resources: ['*'] },
      ]),
    ).toEqual({ action: 'dynamodb:ListTables', resource: '*', explicit: false });
  });

  it('prefers an explicit deny over an earlier implicit one', () => {
    expect(
      deniedScope(p, [
        { action: 'dynamodb:ListTables', resources: ['*'] },
        { action: 'dynamodb:BatchGetItem', resources: [TABLE, OTHER] },
      ]),
    ).toEqual({ action: 'dynamodb:BatchGetItem', resource: OTHER, explicit: true });
  });

  it('refuses a request with no scopes, or a scope with no resources, on *', () => {
    expect(deniedScope(p, [])).toEqual({ action: '*', resource: '*', explicit: false });
    expect(deniedScope(p, [{ action: 'dynamodb:GetItem', resources: [] }])).toEqual({
      action: 'dynamodb:GetItem',
      resource: '*',
      explicit: false,
    });
  });
});

// ---- Properties ----------------------------------------------------------------------------------------------

const globChar = fc.constantFrom('a', 'b', 'A', ':', '/', '*', '?', '.', '-');
const textChar = fc.constantFrom('a', 'b', 'A', ':', '/', '.', '-', '*', '?');
const glob = fc.array(globChar, { maxLength: 12 }).map((cs) => cs.join(''));
const text = fc.array(textChar, { maxLength: 16 }).map((cs) => cs.join(''));
const PREFIX = 'arn:aws:dynamodb:';

const anyString = fc.oneof(fc.string({ maxLength: 40 }), fc.constant('*'), glob);
const arbitraryStatement = fc.record(
  {
    Sid: fc.string({ maxLength: 4 }),
    Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), fc.string({ maxLength: 5 })),
    Action: fc.oneof(
      anyString.map((s) => `dynamodb:${s}`),
      anyString,
      fc.array(anyString, { maxLength: 3 }),
    ),
    NotAction: fc.oneof(
      anyString.map((s) => `dynamodb:${s}`),
      fc.array(anyString, { maxLength: 3 }),
    ),
    Resource: fc.oneof(
      anyString.map((s) => `${PREFIX}${s}`),
      anyString,
      fc.array(anyString, { maxLength: 3 }),
    ),
    NotResource: fc.oneof(
      anyString.map((s) => `${PREFIX}${s}`),
      fc.array(anyString, { maxLength: 3 }),
    ),
    Condition: fc.object({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
// Statements that mostly parse, so evaluation meets many real documents rather than only refusals.
const actionGlob = fc.array(fc.constantFrom('G', 'e', 't', '*', '?', 'I'), { minLength: 1, maxLength: 6 });
const validAction = fc.oneof(
  fc.constant('*'),
  actionGlob.map((cs) => `dynamodb:${cs.join('')}`),
);
const validResource = fc.oneof(
  fc.constant('*'),
  glob.filter((g) => g.length > 0).map((g) => `${PREFIX}r:1:${g}`),
);
const listOf = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { minLength: 1, maxLength: 3 }));
const validStatement = fc
  .tuple(fc.constantFrom('Allow', 'Deny'), fc.boolean(), listOf(validAction), fc.boolean(), listOf(validResource))
  .map(([Effect, notAction, action, notResource, resource]) => ({
    Effect,
    [notAction ? 'NotAction' : 'Action']: action,
    [notResource ? 'NotResource' : 'Resource']: resource,
  }));
const someStatement = fc.oneof({ weight: 4, arbitrary: validStatement }, { weight: 1, arbitrary: arbitraryStatement });
const arbitraryDocument = fc.record(
  {
    Version: fc.constantFrom('2012-10-17', '2008-10-17', 'x'),
    Statement: fc.oneof(someStatement, fc.array(someStatement, { maxLength: 4 })),
  },
  { requiredKeys: ['Statement'] },
);

function tryParse(json: unknown): PolicyDocument | undefined {
  try {
    return parsePolicyDocument(json, 'fuzz');
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.startsWith('fuzz')).toBe(true);
    return undefined;
  }
}

function instantiate(pattern: string, fills: string[]): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '*') out += fills[i];
    else if (pattern[i] === '?') out += fills[i][0] ?? ':';
    else out += pattern[i];
  }
  return out;
}

/** The reference: IAM's wildcards as a backtracking regular expression, fine for short strings. */
function oracle(pattern: string, segmented: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += !segmented || i + 1 === pattern.length || pattern[i + 1] === ':' ? '[\\s\\S]*' : '[^:]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

describe('policy properties', () => {
  it(
    'never throws while evaluating a document that parsed, for any action and resource',
    () => {
      let parsed = 0;
      let total = 0;
      fc.assert(
        fc.property(
          arbitraryDocument,
          fc.array(arbitraryDocument, { maxLength: 2 }),
          fc.oneof(
            fc.string(),
            actionGlob.map((cs) => `dynamodb:${cs.join('').replace(/[*?]/g, 'x')}`),
          ),
          fc.oneof(
            fc.string(),
            text.map((t) => `${PREFIX}r:1:${t}`),
            fc.constant('*'),
          ),
          (doc, more, action, resource) => {
            const docs = [doc, ...more].map(tryParse).filter((d): d is PolicyDocument => d !== undefined);
            const decision = evaluatePolicies(docs, action, resource);
            expect(['allow', 'explicitDeny', 'implicitDeny']).toContain(decision);
            parsed += docs.length;
            total += 1 + more.length;
          },
        ),
        runs(300),
      );
      // The property is only worth something if many generated documents are real ones.
      expect(parsed / total).toBeGreaterThan(0.3);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'gives explicitDeny whenever a Deny of * on * is present, whatever else the policies say',
    () => {
      fc.assert(
        fc.property(
          fc.array(arbitraryDocument, { maxLength: 3 }),
          fc.nat(3),
          fc.oneof(fc.string(), glob),
          fc.oneof(
            fc.string(),
            text.map((t) => PREFIX + t),
            fc.constant('*'),
          ),
          (json, at, action, resource) => {
            const docs = json.map(tryParse).filter((d): d is PolicyDocument => d !== undefined);
            docs.splice(Math.min(at, docs.length), 0, policy(deny('*', '*')));
            expect(evaluatePolicies(docs, action, resource)).toBe('explicitDeny');
          },
        ),
        runs(300),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'matches resources exactly as the reference reading of IAM wildcards does',
    () => {
      // Half the texts are the pattern filled in (wildcards replaced by arbitrary runs, colons included), so
      // matches and near-misses are common rather than rare.
      const case_ = glob.chain((g) =>
        fc.tuple(
          fc.constant(g),
          fc.oneof(
            text,
            fc.array(text, { minLength: g.length, maxLength: g.length }).map((fills) => instantiate(g, fills)),
          ),
        ),
      );
      fc.assert(
        fc.property(case_, ([g, t]) => {
          const doc = tryParse({ Statement: [{ Effect: 'Allow', Action: '*', Resource: `${PREFIX}r:1:${g}` }] });
          fc.pre(doc !== undefined);
          const resource = `${PREFIX}r:1:${t}`;
          const expected = oracle(`${PREFIX}r:1:${g}`, true).test(resource);
          expect(evaluatePolicies([doc!], 'dynamodb:GetItem', resource)).toBe(expected ? 'allow' : 'implicitDeny');
        }),
        runs(1000),
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    'matches actions exactly as the reference does, ignoring case',
    () => {
      const name = fc.array(fc.constantFrom('a', 'B', 'c', '*', '?'), { minLength: 1, maxLength: 8 });
      const actual = fc.array(fc.constantFrom('a', 'A', 'b', 'c', 'C', ':'), { maxLength: 10 });
      fc.assert(
        fc.property(name, actual, fc.boolean(), (n, a, fill) => {
          const pattern = `dynamodb:${n.join('')}`;
          const action = `dynamodb:${
            fill
              ? instantiate(
                  n.join(''),
                  n.map(() => a.join('')),
                )
              : a.join('')
          }`;
          const expected = oracle(pattern.toLowerCase(), false).test(action.toLowerCase());
          expect(evaluatePolicies([policy(allow(pattern))], action, TABLE)).toBe(expected ? 'allow' : 'implicitDeny');
        }),
        runs(1000),
      );
    },
    FUZZ_TIMEOUT,
  );
});
