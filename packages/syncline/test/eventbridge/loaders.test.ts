// EventBridge rules written the Serverless Framework's and SAM/CloudFormation's ways load into the same app model,
// and PutEvents then reaches their functions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load.js';
import { createServer } from '../../src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-eb-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'src', 'handler.js'),
    "export const handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); };\n",
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const SERVERLESS = `service: shop
provider:
  name: aws
  runtime: nodejs20.x
functions:
  onOrder:
    handler: src/handler.handler
    events:
      - eventBridge:
          eventBus: arn:aws:events:us-east-1:000000000000:event-bus/orders
          pattern:
            source: [shop]
            detail-type: [OrderPlaced]
      - eventBridge:
          pattern:
            source: [billing]
          retryPolicy:
            maximumRetryAttempts: 1
`;

const SAM = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  OnOrder:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: handler.handler
      Runtime: nodejs20.x
      Events:
        Placed:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref OrdersBus
            Pattern:
              source: [shop]
  Audit:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: handler.handler
      Runtime: nodejs20.x
  AuditRule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !GetAtt OrdersBus.Arn
      State: ENABLED
      EventPattern: '{"detail-type": ["OrderPlaced"]}'
      Targets:
        - Id: audit
          Arn: !GetAtt Audit.Arn
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
`;

describe('EventBridge rules in app definitions', () => {
  it('serverless.yml eventBridge events: rules, with the named bus created', async () => {
    const app = await loadApp(folder({ 'serverless.yml': SERVERLESS }), { data: ':memory:' });
    expect(app.eventBuses).toEqual(['orders']);
    expect(app.functions.onOrder.events).toEqual([
      {
        type: 'eventBridge',
        eventBus: 'orders',
        pattern: { source: ['shop'], 'detail-type': ['OrderPlaced'] },
        enabled: true,
      },
      { type: 'eventBridge', eventBus: 'default', pattern: { source: ['billing'] }, enabled: true },
    ]);
  });

  it('serverless.yml: input transformers are refused with the key', async () => {
    const text = SERVERLESS.replace('          retryPolicy:', '          inputPath: $.detail\n          retryPolicy:');
    await expect(loadApp(folder({ 'serverless.yml': text }), { data: ':memory:' })).rejects.toThrow(
      /inputPath: inputPath is not run by Syncline yet/,
    );
  });

  it('SAM EventBridgeRule events and AWS::Events::Rule with Lambda targets become rules; events reach them', async () => {
    const dir = folder({ 'template.yaml': SAM });
    const app = await loadApp(dir, { data: ':memory:' });
    expect(app.eventBuses).toEqual(['orders']);
    expect(app.functions.OnOrder.events).toEqual([
      { type: 'eventBridge', eventBus: 'orders', pattern: { source: ['shop'] }, enabled: true },
    ]);
    expect(app.functions.Audit.events).toEqual([
      { type: 'eventBridge', eventBus: 'orders', pattern: { 'detail-type': ['OrderPlaced'] }, enabled: true },
    ]);

    const server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
    const eb = new EventBridgeClient({
      endpoint: server.endpoints.http,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const out = await eb.send(
        new PutEventsCommand({
          Entries: [{ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":1}', EventBusName: 'orders' }],
        }),
      );
      expect(out.FailedEntryCount).toBe(0);
      const got = (fn: string) => server.functions.logs(fn).filter((l) => l.message.startsWith('EVENT ')).length;
      await expect.poll(() => [got('OnOrder'), got('Audit')], { timeout: 10_000 }).toEqual([1, 1]);
    } finally {
      eb.destroy();
      await server.close();
    }
  });

  it('syncline.config: a rule on an undeclared bus, or an empty pattern, is refused at load with its key', async () => {
    const config = (event: string) => `export default {
  name: 'x',
  eventBuses: ['orders'],
  functions: { f: { handler: 'src/handler.handler', events: [{ eventBridge: ${event} }] } },
};`;
    await expect(
      loadApp(folder({ 'syncline.config.js': config("{ eventBus: 'nope', pattern: { source: ['a'] } }") }), {
        data: ':memory:',
      }),
    ).rejects.toThrow(/functions\.f\.events\[0\]\.eventBridge\.eventBus: no bus "nope" under eventBuses/);
    await expect(
      loadApp(folder({ 'syncline.config.js': config('{ pattern: {} }') }), { data: ':memory:' }),
    ).rejects.toThrow(/eventBridge\.pattern: an empty pattern matches nothing/);
    await expect(
      loadApp(folder({ 'syncline.config.js': config("{ pattern: { source: 'a' } }") }), { data: ':memory:' }),
    ).rejects.toThrow(/eventBridge\.pattern\.source: an event pattern is an object whose leaves are arrays/);
  });

  it('HTTP and AMAZON_EVENTBRIDGE data sources load from serverless.yml and CloudFormation', async () => {
    const schema = 'type Query { ping: String }\n';
    const sls = await loadApp(
      folder({
        'schema.graphql': schema,
        'serverless.yml': `${SERVERLESS}appSync:
  name: shop
  schema: schema.graphql
  authentication:
    type: API_KEY
  dataSources:
    rest:
      type: HTTP
      config:
        endpoint: https://api.example.com
        serviceRoleArn: arn:aws:iam::000000000000:role/x
        authorizationConfig:
          authorizationType: AWS_IAM
          awsIamConfig:
            signingRegion: us-east-1
            signingServiceName: execute-api
    bus:
      type: AMAZON_EVENTBRIDGE
      config:
        eventBusArn: arn:aws:events:us-east-1:000000000000:event-bus/orders
`,
      }),
      { data: ':memory:' },
    );
    expect(sls.graphql?.dataSources.rest).toEqual({
      name: 'rest',
      type: 'HTTP',
      config: {
        endpoint: 'https://api.example.com',
        authorizationConfig: {
          authorizationType: 'AWS_IAM',
          awsIamConfig: { signingRegion: 'us-east-1', signingServiceName: 'execute-api' },
        },
      },
    });
    expect(sls.graphql?.dataSources.bus.config).toEqual({
      eventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders',
    });

    const cfn = await loadApp(
      folder({
        'template.yaml': `${SAM}  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties:
      Name: shop
      AuthenticationType: API_KEY
  Schema:
    Type: AWS::AppSync::GraphQLSchema
    Properties:
      ApiId: !GetAtt Api.ApiId
      Definition: "${schema.trim()}"
  Rest:
    Type: AWS::AppSync::DataSource
    Properties:
      ApiId: !GetAtt Api.ApiId
      Name: rest
      Type: HTTP
      HttpConfig:
        Endpoint: https://api.example.com
  Bus:
    Type: AWS::AppSync::DataSource
    Properties:
      ApiId: !GetAtt Api.ApiId
      Name: bus
      Type: AMAZON_EVENTBRIDGE
      EventBridgeConfig:
        EventBusArn: !GetAtt OrdersBus.Arn
`,
      }),
      { data: ':memory:' },
    );
    expect(cfn.graphql?.dataSources.rest.config).toEqual({ endpoint: 'https://api.example.com' });
    expect(cfn.graphql?.dataSources.bus.config).toEqual({
      eventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/orders',
    });
  });
});
