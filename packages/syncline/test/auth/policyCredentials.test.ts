// The operator's credentials for the AWS APIs (file and environment), their principal, and AWS's AccessDenied text.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { accessDeniedMessage } from '../../src/auth/accessDenied.js';
import { dynamodbRequestScope } from '../../src/auth/awsRequestScope.js';
import { loadOperatorCredentials, principalArn } from '../../src/auth/operatorCredentials.js';
import { deniedScope, evaluatePolicies } from '../../src/auth/policy.js';

const dir = mkdtempSync(join(tmpdir(), 'syncline-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown, mode = 0o600): string {
  const path = join(dir, `creds-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders';
const READER = {
  name: 'reader',
  accessKeyId: 'AKIAREADER0000000001',
  secretAccessKey: 'reader-secret-0123456789',
  policy: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'dynamodb:Get*', Resource: TABLE } },
};
const WRITER = {
  name: 'writer',
  accessKeyId: 'AKIAWRITER0000000001',
  secretAccessKey: 'writer-secret-0123456789',
  policies: [
    { Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] },
    { Statement: [{ Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' }] },
  ],
};
const ENV = { SYNCLINE_ACCESS_KEY_ID: 'AKIAADMIN00000000001', SYNCLINE_SECRET_ACCESS_KEY: 'admin-secret-0123456789' };

describe('loadOperatorCredentials', () => {
  it('reads each credential with its policy or policies, parsed', () => {
    const creds = loadOperatorCredentials({ file: file({ credentials: [READER, WRITER] }), env: {} });
    expect(creds.map((c) => [c.name, c.accessKeyId, c.secretAccessKey, c.policies.length])).toEqual([
      ['reader', READER.accessKeyId, READER.secretAccessKey, 1],
      ['writer', WRITER.accessKeyId, WRITER.secretAccessKey, 2],
    ]);
    expect(evaluatePolicies(creds[0].policies, 'dynamodb:GetItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(creds[0].policies, 'dynamodb:PutItem', TABLE)).toBe('implicitDeny');
    expect(evaluatePolicies(creds[1].policies, 'dynamodb:PutItem', TABLE)).toBe('allow');
    expect(evaluatePolicies(creds[1].policies, 'dynamodb:DeleteTable', TABLE)).toBe('explicitDeny');
  });

  it('adds the environment credential as admin, allowed everything', () => {
    const creds = loadOperatorCredentials({ file: file({ credentials: [READER] }), env: ENV });
    const admin = creds.find((c) => c.name === 'admin')!;
    expect(admin.accessKeyId).toBe(ENV.SYNCLINE_ACCESS_KEY_ID);
    expect(admin.secretAccessKey).toBe(ENV.SYNCLINE_SECRET_ACCESS_KEY);
    expect(evaluatePolicies(admin.policies, 'dynamodb:DeleteTable', TABLE)).toBe('allow');
    expect(evaluatePolicies(admin.policies, 'dynamodb:ListTables', '*')).toBe('allow');
  });

  it('has no credentials when given neither file nor environment', () => {
    expect(loadOperatorCredentials({ env: {} })).toEqual([]);
    expect(loadOperatorCredentials({ env: ENV }).map((c) => c.name)).toEqual(['admin']);
  });

  it('refuses half an environment credential', () => {
    expect(() => loadOperatorCredentials({ env: { SYNCLINE_ACCESS_KEY_ID: ENV.SYNCLINE_ACCESS_KEY_ID } })).toThrow(
      'SYNCLINE_ACCESS_KEY_ID and SYNCLINE_SECRET_ACCESS_KEY are set together',
    );
    expect(() =>
      loadOperatorCredentials({ env: { SYNCLINE_SECRET_ACCESS_KEY: ENV.SYNCLINE_SECRET_ACCESS_KEY } }),
    ).toThrow('set together');
    expect(() => loadOperatorCredentials({ env: { ...ENV, SYNCLINE_SECRET_ACCESS_KEY: '' } })).toThrow('set together');
  });

  it('takes empty variables as unset', () => {
    expect(loadOperatorCredentials({ env: { SYNCLINE_ACCESS_KEY_ID: '', SYNCLINE_SECRET_ACCESS_KEY: '' } })).toEqual(
      [],
    );
  });

  it('reads a bare list of credentials too, naming its entries by index', () => {
    expect(loadOperatorCredentials({ file: file([READER, WRITER]), env: {} }).map((c) => c.name)).toEqual([
      'reader',
      'writer',
    ]);
    const path = file([READER, { ...WRITER, name: '' }]);
    expect(() => loadOperatorCredentials({ file: path, env: {} })).toThrow(`${path}: [1].name: name is 1 to 64`);
  });

  it('refuses a malformed environment credential naming the variable', () => {
    expect(() => loadOperatorCredentials({ env: { ...ENV, SYNCLINE_ACCESS_KEY_ID: 'lower' } })).toThrow(
      /^SYNCLINE_ACCESS_KEY_ID: an access key id/,
    );
    expect(() => loadOperatorCredentials({ env: { ...ENV, SYNCLINE_SECRET_ACCESS_KEY: 'short' } })).toThrow(
      /^SYNCLINE_SECRET_ACCESS_KEY: secretAccessKey is at least 16/,
    );
  });

  it.each([
    [
      {
        credentials: [
          { ...READER, accessKeyId: READER.accessKeyId },
          { ...WRITER, accessKeyId: READER.accessKeyId },
        ],
      },
      'access key id AKIAREADER0000000001 is given twice',
    ],
    [{ credentials: [READER, { ...WRITER, name: 'reader' }] }, 'credential name reader is given twice'],
  ])('refuses duplicates: %#', (content, message) => {
    const path = file(content);
    expect(() => loadOperatorCredentials({ file: path, env: {} })).toThrow(`${path}: ${message}`);
  });

  it('refuses a file credential that collides with the environment one', () => {
    const path = file({ credentials: [{ ...READER, accessKeyId: ENV.SYNCLINE_ACCESS_KEY_ID }] });
    expect(() => loadOperatorCredentials({ file: path, env: ENV })).toThrow('the environment: access key id');
    const named = file({ credentials: [{ ...READER, name: 'admin' }] });
    expect(() => loadOperatorCredentials({ file: named, env: ENV })).toThrow('credential name admin is given twice');
  });

  it.each([
    ['not json', 'not valid JSON'],
    [42, 'expected object'],
    [{}, 'credentials'],
    [{ credentials: [READER], extra: true }, 'extra'],
    [{ credentials: [{ ...READER, name: 'has space' }] }, 'credentials[0].name: name is 1 to 64'],
    [{ credentials: [{ ...READER, accessKeyId: 'short' }] }, 'credentials[0].accessKeyId'],
    [
      { credentials: [{ ...READER, secretAccessKey: 'short' }] },
      'credentials[0].secretAccessKey: secretAccessKey is at least',
    ],
    [{ credentials: [{ ...READER, policy: undefined }] }, 'credentials[0]: give exactly one of policy or policies'],
    [{ credentials: [{ ...READER, policies: [READER.policy] }] }, 'give exactly one of policy or policies'],
    [{ credentials: [{ ...WRITER, policies: [] }] }, 'credentials[0].policies: policies must not be empty'],
    [{ credentials: [{ ...READER, sessionToken: 'x' }] }, 'sessionToken'],
    [
      {
        credentials: [
          READER,
          { ...WRITER, policies: [WRITER.policies[0], { Statement: { Effect: 'Allow', Action: '*' } }] },
        ],
      },
      'credentials[1].policies[1]: Statement: a statement has exactly one of Resource or NotResource',
    ],
    [
      {
        credentials: [
          { ...READER, policy: { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: {} } } },
        ],
      },
      'credentials[0].policy: Statement.Condition: Condition is not supported',
    ],
  ])('refuses %j naming file and key', (content, message) => {
    const path = file(content);
    expect(() => loadOperatorCredentials({ file: path, env: {} })).toThrow(`${path}: `);
    expect(() => loadOperatorCredentials({ file: path, env: {} })).toThrow(message);
  });

  it('refuses a missing file naming it', () => {
    const path = join(dir, 'missing.json');
    expect(() => loadOperatorCredentials({ file: path, env: {} })).toThrow(
      `${path}: cannot read credentials file (ENOENT)`,
    );
  });

  it.skipIf(process.platform === 'win32')('refuses a file other users can read or write, saying how to fix it', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o660, 0o601]) {
      const path = file({ credentials: [READER] }, mode);
      expect(() => loadOperatorCredentials({ file: path, env: {} })).toThrow(
        `${path}: credentials file is accessible to other users (mode 0${mode.toString(8)}); run chmod 600 ${path}`,
      );
    }
    for (const mode of [0o600, 0o400]) {
      expect(loadOperatorCredentials({ file: file({ credentials: [READER] }, mode), env: {} })).toHaveLength(1);
    }
  });
});

describe('principalArn and accessDeniedMessage', () => {
  it('names the credential as an IAM user of the account', () => {
    expect(principalArn({ name: 'reader' }, '123456789012')).toBe('arn:aws:iam::123456789012:user/reader');
  });

  it('words an implicit deny as AWS does: no identity-based policy allows the action', () => {
    expect(accessDeniedMessage('arn:aws:iam::123456789012:user/reader', 'dynamodb:PutItem', TABLE, false)).toBe(
      'User: arn:aws:iam::123456789012:user/reader is not authorized to perform: dynamodb:PutItem on resource: ' +
        'arn:aws:dynamodb:us-east-1:123456789012:table/Orders because no identity-based policy allows the dynamodb:PutItem action',
    );
  });

  it('words an explicit deny as AWS does', () => {
    expect(accessDeniedMessage('arn:aws:iam::123456789012:user/writer', 'dynamodb:DeleteTable', TABLE, true)).toBe(
      'User: arn:aws:iam::123456789012:user/writer is not authorized to perform: dynamodb:DeleteTable on resource: ' +
        'arn:aws:dynamodb:us-east-1:123456789012:table/Orders with an explicit deny in an identity-based policy',
    );
  });
});

describe('the credentials file example in docs/auth.md', () => {
  const docs = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../../docs/auth.md'), 'utf8');
  const section = docs.slice(docs.indexOf('### Where credentials come from'));
  const example = section.slice(section.indexOf('```json') + 7, section.indexOf('```', section.indexOf('```json') + 7));

  it('loads and scopes as the page says', () => {
    const creds = loadOperatorCredentials({ file: file(example), env: {} });
    const [orders, analytics] = creds;
    const region = 'us-east-1';
    const account = '123456789012';
    const check = (c: (typeof creds)[number], op: string, body: unknown) =>
      deniedScope(c.policies, dynamodbRequestScope(op, body, region, account));
    expect(check(orders, 'PutItem', { TableName: 'Orders' })).toBeUndefined();
    expect(check(orders, 'Query', { TableName: 'Orders', IndexName: 'byCustomer' })).toBeUndefined();
    expect(check(orders, 'DeleteItem', { TableName: 'Orders' })?.explicit).toBe(false);
    expect(check(orders, 'GetItem', { TableName: 'Payments' })?.explicit).toBe(false);
    expect(check(orders, 'ListTables', {})?.explicit).toBe(false);
    expect(check(analytics, 'Scan', { TableName: 'Orders' })).toBeUndefined();
    expect(check(analytics, 'ListTables', {})).toBeUndefined();
    expect(check(analytics, 'Scan', { TableName: 'Payments' })).toEqual({
      action: 'dynamodb:Scan',
      resource: `arn:aws:dynamodb:${region}:${account}:table/Payments`,
      explicit: true,
    });
    expect(check(analytics, 'PutItem', { TableName: 'Orders' })?.explicit).toBe(false);
  });
});
