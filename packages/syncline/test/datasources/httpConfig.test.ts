import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The basic fixture with one HTTP data source of the given config. */
function withDataSource(config: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-http-'));
  dirs.push(dir);
  cpSync(fixtureApp('basic'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'syncline.config.ts'),
    `import { defineApp } from 'syncline';
export default defineApp({
  name: 'x',
  graphql: { schema: 'schema.graphql', authentication: { type: 'API_KEY' }, dataSources: { h: { type: 'HTTP', config: ${config} } } },
});`,
  );
  return dir;
}

const start = (dir: string) => createServer({ dir, port: 0, data: ':memory:', log: 'silent' });

describe('an HTTP data source in the app definition', () => {
  it('loads with an endpoint and AWS_IAM signing', async () => {
    const server = await start(
      withDataSource(
        "{ endpoint: 'https://events.us-east-1.amazonaws.com', authorizationConfig: { authorizationType: 'AWS_IAM', awsIamConfig: { signingRegion: 'us-east-1', signingServiceName: 'events' } } }",
      ),
    );
    await server.close();
  });

  it.each([
    ['{}', /graphql\.dataSources\.h\.config\.endpoint: is required/],
    ["{ endpoint: 'not a url' }", /config\.endpoint: "not a url" is not a URL/],
    ["{ endpoint: 'ftp://x.example' }", /config\.endpoint: must be an http:\/\/ or https:\/\/ URL/],
    ["{ endpoint: 'https://x.example', timeout: 3 }", /config\.timeout: unknown key/],
    [
      "{ endpoint: 'https://x.example', authorizationConfig: { authorizationType: 'BASIC' } }",
      /authorizationConfig\.authorizationType: must be AWS_IAM/,
    ],
    [
      "{ endpoint: 'https://x.example', authorizationConfig: { authorizationType: 'AWS_IAM', awsIamConfig: { signingRegion: 'moon', signingServiceName: 'events' } } }",
      /awsIamConfig\.signingRegion: must be a region/,
    ],
  ])('refuses %s at load', async (config, message) => {
    await expect(start(withDataSource(config))).rejects.toThrow(message);
  });
});
