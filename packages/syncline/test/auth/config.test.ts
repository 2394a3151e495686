// Each auth mode's `config` is checked when the app loads, and a mistake names its key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function load(graphql: string, extra = '') {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-auth-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'schema.graphql'), 'type Query { a: String }');
  writeFileSync(join(dir, 'authorizer.js'), 'export const handler = async () => ({ isAuthorized: true });');
  writeFileSync(
    join(dir, 'syncline.config.json'),
    JSON.stringify({
      name: 'x',
      ...JSON.parse(extra || '{}'),
      graphql: { schema: 'schema.graphql', ...JSON.parse(graphql) },
    }),
  );
  return loadApp(dir, { data: ':memory:' });
}

describe('auth config', () => {
  it('accepts all five modes with valid settings', async () => {
    const app = await load(
      JSON.stringify({
        authentication: {
          type: 'AMAZON_COGNITO_USER_POOLS',
          config: { userPoolId: 'us-east-1_abc', awsRegion: 'us-east-1' },
        },
        additionalAuthentications: [
          { type: 'API_KEY' },
          { type: 'AWS_IAM', config: { credentials: [{ accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: 's' }] } },
          { type: 'OPENID_CONNECT', config: { issuer: 'https://id.example.com', clientId: 'web|cli' } },
          { type: 'AWS_LAMBDA', config: { functionName: 'auth' } },
        ],
      }),
      JSON.stringify({ functions: { auth: { handler: 'authorizer.handler' } } }),
    );
    expect(app.graphql!.authentication.config).toMatchObject({ defaultAction: 'ALLOW' });
    expect(app.graphql!.additionalAuthentications[3].config).toMatchObject({ authorizerResultTtlInSeconds: 0 });
  });

  it('names the key of a missing or wrong setting', async () => {
    await expect(load(JSON.stringify({ authentication: { type: 'OPENID_CONNECT' } }))).rejects.toThrow(
      /graphql\.authentication\.config: OPENID_CONNECT needs a config/,
    );
    await expect(
      load(JSON.stringify({ authentication: { type: 'OPENID_CONNECT', config: { issuer: 'not a url' } } })),
    ).rejects.toThrow(/graphql\.authentication\.config\.issuer/);
    await expect(
      load(JSON.stringify({ authentication: { type: 'AWS_LAMBDA', config: { functionName: 'missing' } } })),
    ).rejects.toThrow(/graphql\.authentication\.config\.functionName: no function "missing" under functions/);
    await expect(
      load(
        JSON.stringify({
          authentication: { type: 'AWS_LAMBDA', config: { functionName: 'auth', authorizerResultTtlInSeconds: 4000 } },
        }),
        JSON.stringify({ functions: { auth: { handler: 'authorizer.handler' } } }),
      ),
    ).rejects.toThrow(/authorizerResultTtlInSeconds/);
    await expect(
      load(
        JSON.stringify({
          authentication: { type: 'OPENID_CONNECT', config: { issuer: 'https://x.io', clientId: '(' } },
        }),
      ),
    ).rejects.toThrow(/clientId: is not a valid regular expression/);
    await expect(
      load(
        JSON.stringify({ authentication: { type: 'AWS_IAM', config: { credentials: [{ accessKeyId: 'short' }] } } }),
      ),
    ).rejects.toThrow(/graphql\.authentication\.config\.credentials\.0\./);
  });

  it('refuses defaultAction DENY on a default user pool with additional providers, as AppSync does', async () => {
    await expect(
      load(
        JSON.stringify({
          authentication: {
            type: 'AMAZON_COGNITO_USER_POOLS',
            config: { userPoolId: 'us-east-1_abc', defaultAction: 'DENY' },
          },
          additionalAuthentications: [{ type: 'API_KEY' }],
        }),
      ),
    ).rejects.toThrow(/defaultAction: must be ALLOW when additionalAuthentications are configured/);
  });
});
