// A function's code folder is its whole deployment on Lambda: `.js` there is CommonJS unless a package.json inside
// the folder says otherwise, whatever the app folder's own package.json says.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Cjs:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: cjs/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Get: { Type: HttpApi, Properties: { Method: GET, Path: /cjs } }
  Esm:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: esm/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Get: { Type: HttpApi, Properties: { Method: GET, Path: /esm } }
`;

let dir: string;
let server: SynclineServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'syncline-boundary-'));
  // The app folder says ESM, as most apps written today do.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  mkdirSync(join(dir, 'cjs', 'lib'), { recursive: true });
  writeFileSync(
    join(dir, 'cjs', 'index.js'),
    `const { kind } = require('./lib/kind.js');\nmodule.exports.handler = async () => ({ statusCode: 200, body: kind() + ':' + typeof module });\n`,
  );
  writeFileSync(join(dir, 'cjs', 'lib', 'kind.js'), `exports.kind = () => 'commonjs';\n`);
  mkdirSync(join(dir, 'esm'));
  writeFileSync(join(dir, 'esm', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(dir, 'esm', 'index.js'),
    `export const handler = async () => ({ statusCode: 200, body: 'esm' });\n`,
  );
  server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a function code folder as its own package', () => {
  it('runs CommonJS from a code folder without package.json inside an ESM app', async () => {
    const res = await fetch(`${server.endpoints.http}/cjs`);
    expect(await res.text()).toBe('commonjs:object');
    expect(res.status).toBe(200);
  });

  it('keeps ESM where the code folder’s own package.json says module', async () => {
    const res = await fetch(`${server.endpoints.http}/esm`);
    expect(await res.text()).toBe('esm');
  });
});
