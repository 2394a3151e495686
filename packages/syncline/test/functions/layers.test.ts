// Lambda layers run from their local folders: packages under a layer's nodejs/node_modules (or
// nodejs/node20/node_modules) resolve for ES module and CommonJS handlers, after the function's own packages, as
// Lambda's NODE_PATH orders them — from serverless.yml (`layers:` + `{ Ref: <Name>LambdaLayer }`) and from SAM
// (`AWS::Serverless::LayerVersion` + `Layers: [!Ref …]`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/index.js';
import { createServer, type SynclineServer } from '../../src/index.js';

const files = (root: string, tree: Record<string, string>) => {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
};

const LAYER = {
  'layer/nodejs/node_modules/greeting/package.json': JSON.stringify({ name: 'greeting', main: 'index.js' }),
  'layer/nodejs/node_modules/greeting/index.js': "exports.greet = (n) => 'hello ' + n;\n",
  'layer/nodejs/node_modules/shadowed/package.json': JSON.stringify({ name: 'shadowed', main: 'index.js' }),
  'layer/nodejs/node_modules/shadowed/index.js': "exports.from = 'layer';\n",
  'layer/nodejs/node20/node_modules/@acme/esm-only/package.json': JSON.stringify({
    name: '@acme/esm-only',
    type: 'module',
    exports: { '.': { import: './index.js' } },
  }),
  'layer/nodejs/node20/node_modules/@acme/esm-only/index.js': 'export const shout = (s) => s.toUpperCase();\n',
};

const SERVERLESS = `service: layered
provider:
  name: aws
  runtime: nodejs20.x
layers:
  common-deps:
    path: layer
functions:
  esm:
    handler: fns/esm.handler
    layers:
      - { Ref: CommonDashdepsLambdaLayer }
      - arn:aws:lambda:us-east-1:123456789012:layer:published:3
    events:
      - httpApi: GET /esm
`;

const SAM = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Layers: [!Ref Deps]
Resources:
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  Cjs:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: cjs/
      Handler: index.handler
      Events:
        Get: { Type: HttpApi, Properties: { Method: GET, Path: /cjs } }
`;

const dirs: string[] = [];
const servers: SynclineServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function app(tree: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'syncline-layers-'));
  dirs.push(d);
  files(d, { ...LAYER, ...tree });
  return d;
}

describe('layers from serverless.yml', () => {
  let server: SynclineServer;
  beforeAll(async () => {
    const d = app({
      'serverless.yml': SERVERLESS,
      'package.json': JSON.stringify({ type: 'module' }),
      // The service's own copy of `shadowed` wins over the layer's, as /var/task/node_modules does on Lambda.
      'node_modules/shadowed/package.json': JSON.stringify({ name: 'shadowed', main: 'index.js' }),
      'node_modules/shadowed/index.js': "exports.from = 'function';\n",
      'fns/esm.js': [
        "import { greet } from 'greeting';",
        "import { shout } from '@acme/esm-only';",
        "import shadowed from 'shadowed';",
        "export const handler = async () => ({ statusCode: 200, body: [greet('layer'), shout('esm'), shadowed.from].join('|') });",
      ].join('\n'),
    });
    server = await createServer({ dir: d, port: 0, data: ':memory:', log: 'silent' });
    servers.push(server);
  });

  it('reads the layer folder and lists the published layer as AWS-only', () => {
    expect(server.app.functions.esm.layers).toEqual([expect.stringMatching(/layer$/)]);
    expect(server.app.notices?.[0]).toContain('functions.esm.layers[1] (a published layer');
  });

  it('resolves layer packages (CommonJS and ESM-only, node20 folder) after the function’s own', async () => {
    const res = await fetch(`${server.endpoints.http}/esm`);
    expect(await res.text()).toBe('hello layer|ESM|function');
  });

  it('refuses a Ref to a layer the service does not define', async () => {
    const d = app({
      'serverless.yml': SERVERLESS.replace('CommonDashdepsLambdaLayer', 'NopeLambdaLayer'),
      'fns/esm.js': 'export const handler = async () => 1;',
    });
    await expect(loadApp(d, { data: ':memory:' })).rejects.toThrow(
      /functions\.esm\.layers\[0\]: \{"Ref":"NopeLambdaLayer"\}: not a layer of this service \(layers: CommonDashdepsLambdaLayer\)/,
    );
  });
});

describe('layers from a SAM template', () => {
  it('gives a CommonJS handler the layer through require, from Globals', async () => {
    const d = app({
      'template.yaml': SAM,
      'cjs/index.js': [
        "const { greet } = require('greeting');",
        "const { from } = require('shadowed');",
        "exports.handler = async () => ({ statusCode: 200, body: greet('sam') + '|' + from });",
      ].join('\n'),
    });
    const server = await createServer({ dir: d, port: 0, data: ':memory:', log: 'silent' });
    servers.push(server);
    expect(server.app.functions.Cjs.layers).toEqual([expect.stringMatching(/layer$/)]);
    const res = await fetch(`${server.endpoints.http}/cjs`);
    expect(await res.text()).toBe('hello sam|layer');
  });

  it('refuses a layer whose content is only on S3', async () => {
    const d = app({
      'template.yaml': SAM.replace('ContentUri: layer/', 'ContentUri: s3://bucket/layer.zip'),
      'cjs/index.js': 'exports.handler = async () => 1;',
    });
    await expect(loadApp(d, { data: ':memory:' })).rejects.toThrow(
      /Resources\.Deps\.Properties\.ContentUri: a local folder is needed to run the layer/,
    );
  });
});

describe('files a layer reads by path', () => {
  it('are not redirected from /opt; a path from the layer module’s own location reads the layer’s file', async () => {
    const d = app({
      'template.yaml': SAM,
      'layer/config.json': JSON.stringify({ currency: 'EUR' }),
      'layer/nodejs/node_modules/layer-config/package.json': JSON.stringify({ name: 'layer-config', main: 'index.js' }),
      'layer/nodejs/node_modules/layer-config/index.js': [
        "const fs = require('node:fs');",
        "const path = require('node:path');",
        'exports.absolute = () => {',
        "  try { return fs.readFileSync('/opt/config.json', 'utf8'); } catch (e) { return e.code; }",
        '};',
        // /opt/nodejs/node_modules/layer-config → /opt on Lambda, the layer folder here.
        "exports.relative = () => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../config.json'), 'utf8'));",
      ].join('\n'),
      'cjs/index.js': [
        "const config = require('layer-config');",
        'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ absolute: config.absolute(), relative: config.relative() }) });',
      ].join('\n'),
    });
    const server = await createServer({ dir: d, port: 0, data: ':memory:', log: 'silent' });
    servers.push(server);
    const res = await fetch(`${server.endpoints.http}/cjs`);
    expect(await res.json()).toEqual({ absolute: 'ENOENT', relative: { currency: 'EUR' } });
  });
});
