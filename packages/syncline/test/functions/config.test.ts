// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${...}` is the config's reference syntax, not a template.
// Mistakes in a function's configuration are config errors at start, naming the function and the key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function app(functionConfig: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-functions-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'handler.js'), 'export const handler = async () => null;\n');
  writeFileSync(
    join(dir, 'syncline.config.ts'),
    `export default {
  name: 'cfg',
  tables: { Orders: { partitionKey: 'id' } },
  ${extra}
  functions: { f: { handler: 'handler.handler', ${functionConfig} } },
};`,
  );
  return dir;
}

const start = (dir: string) => createServer({ dir, port: 0, data: ':memory:', log: 'silent' });

describe('function configuration', () => {
  it('starts with valid references', async () => {
    const server = await start(app("environment: { T: '${tables.Orders.name}', U: 'at ${http.url}' }"));
    await server.close();
  });

  it('refuses an unknown reference', async () => {
    await expect(start(app("environment: { X: '${tabels.Orders.name}' }"))).rejects.toThrow(
      /functions\.f\.environment\.X: unknown reference \$\{tabels\.Orders\.name\}/,
    );
  });

  it('refuses a table that is not declared, and a stream ARN of a table without a stream', async () => {
    await expect(start(app("environment: { X: '${tables.Nope.arn}' }"))).rejects.toThrow(
      /functions\.f\.environment\.X: \$\{tables\.Nope\.arn\}: no table "Nope"/,
    );
    await expect(start(app("environment: { X: '${tables.Orders.streamArn}' }"))).rejects.toThrow(
      /functions\.f\.environment\.X: .*table Orders has no stream/,
    );
  });

  it('refuses graphql references when the app has no API, and unset environment variables', async () => {
    await expect(start(app("environment: { X: '${graphql.apiKey}' }"))).rejects.toThrow(
      /functions\.f\.environment\.X: .*no graphql API/,
    );
    await expect(start(app("environment: { X: '${env:SYNCLINE_SURELY_UNSET}' }"))).rejects.toThrow(
      /functions\.f\.environment\.X: .*SYNCLINE_SURELY_UNSET is not set/,
    );
  });

  it('refuses variables Lambda reserves', async () => {
    await expect(start(app("environment: { AWS_REGION: 'eu-west-1' }"))).rejects.toThrow(
      /functions\.f\.environment\.AWS_REGION: AWS_REGION is reserved/,
    );
  });

  it('refuses schedule expressions EventBridge refuses', async () => {
    await expect(start(app("events: [{ schedule: 'rate(1 minutes)' }]"))).rejects.toThrow(
      /functions\.f\.events\[0\]\.schedule: rate\(1 minutes\): a rate of 1 is written '1 minute'/,
    );
    await expect(start(app("events: [{ schedule: 'cron(0 12 * * * *)' }]"))).rejects.toThrow(
      /functions\.f\.events\[0\]\.schedule: .*one of day-of-month and day-of-week must be \?/,
    );
  });

  it('refuses a route on the GraphQL endpoint', async () => {
    await expect(start(app("events: [{ http: 'POST /graphql' }]"))).rejects.toThrow(/functions\.f\.events\[0\]\.http/);
  });
});
