// What a template asks for that Syncline does not run is refused with the file, the line and the key.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApp } from '../../../src/app/index.js';
import { fixtureApp } from '../../helpers/server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function variant(edit: (yml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'syncline-cfn-'));
  dirs.push(dir);
  cpSync(fixtureApp('sam-orders'), dir, { recursive: true });
  const file = join(dir, 'template.yaml');
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
  return dir;
}
const lineOf = (dir: string, text: string) =>
  readFileSync(join(dir, 'template.yaml'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;
const load = (dir: string) => loadApp(dir, { data: ':memory:' });

describe('template errors', () => {
  it('refuses code that exists only on S3, at its line', async () => {
    const dir = variant((y) => y.replace('CodeUri: src/api/', 'CodeUri: s3://bucket/api.zip'));
    await expect(load(dir)).rejects.toThrow(
      new RegExp(
        `template\\.yaml:${lineOf(dir, 'CodeUri: s3://')}: Resources\\.ApiFunction\\.Properties\\.CodeUri: a local folder is needed`,
      ),
    );
  });

  it('refuses an event type Syncline does not run, saying which it runs', async () => {
    const dir = variant((y) => y.replace('          Type: HttpApi', '          Type: SQS'));
    await expect(load(dir)).rejects.toThrow(
      /Resources\.ApiFunction\.Properties\.Events\.CreateOrder\.Type: SQS events are not run by Syncline yet; it runs HttpApi, Api, DynamoDB/,
    );
  });

  it('loads inline VTL mapping templates, and refuses templates that exist only on S3', async () => {
    const vtl = variant((y) =>
      y.replace(
        '      Runtime:\n        Name: APPSYNC_JS\n        RuntimeVersion: 1.0.0\n      Code: |\n        export const request = () => ({});\n        export const response = (ctx) => ctx.prev.result;\n',
        '      RequestMappingTemplate: "{}"\n      ResponseMappingTemplate: "$util.toJson($ctx.prev.result)"\n',
      ),
    );
    const app = await load(vtl);
    const resolver = app.graphql?.resolvers.find((r) => r.fieldName === 'getOrder');
    expect(resolver?.templates).toMatchObject({ request: '{}', response: '$util.toJson($ctx.prev.result)' });

    const s3 = variant((y) =>
      y.replace(
        '      Kind: PIPELINE\n',
        '      Kind: PIPELINE\n      RequestMappingTemplateS3Location: s3://bucket/get.vtl\n',
      ),
    );
    await expect(load(s3)).rejects.toThrow(
      /Resources\.GetOrderResolver\.Properties\.RequestMappingTemplateS3Location: needs a local path/,
    );
  });

  it('loads a VTL FunctionConfiguration from a local template path', async () => {
    const dir = variant((y) =>
      y.replace(
        '      Runtime:\n        Name: APPSYNC_JS\n        RuntimeVersion: 1.0.0\n      CodeS3Location: resolvers/getOrder.js\n',
        '      RequestMappingTemplateS3Location: getOrder.request.vtl\n',
      ),
    );
    writeFileSync(join(dir, 'getOrder.request.vtl'), '{"version": "2018-05-29", "operation": "GetItem"}');
    const app = await load(dir);
    expect(app.graphql?.pipelineFunctions.GetOrderFunction).toMatchObject({
      code: undefined,
      templates: { request: '{"version": "2018-05-29", "operation": "GetItem"}' },
    });
  });

  it('refuses a read property that points at a resource Syncline does not run, naming it', async () => {
    const dir = variant((y) => y.replace('GREETING: !Ref Greeting', 'GREETING: !GetAtt FunctionRole.Arn'));
    await expect(load(dir)).rejects.toThrow(
      /Environment\.Variables\.GREETING.*FunctionRole\.Arn: not known locally for AWS::IAM::Role/,
    );
  });

  it('refuses a parameter that has neither a default nor --param', async () => {
    const dir = variant((y) => y.replace('    Default: hello\n', ''));
    await expect(load(dir)).rejects.toThrow(
      /Parameters\.Greeting: has no Default: give it with --param Greeting=value/,
    );
  });
});

const HTTP_API = `  HttpApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: { Name: orders, ProtocolType: HTTP }
  HttpIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref HttpApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt ApiFunction.Arn
      PayloadFormatVersion: '1.0'
  HttpRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref HttpApi
      RouteKey: GET /status
      Target: !Join ['', [integrations/, !Ref HttpIntegration]]
  Tick:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
      State: DISABLED
      Targets:
        - Id: t
          Arn: !GetAtt PublishFunction.Arn
          Input: '{"from":"rule"}'
`;
const withResources = (extra: string) => variant((y) => y.replace('  OrdersTable:\n', `${extra}  OrdersTable:\n`));

describe('API Gateway v2 routes and Events schedules', () => {
  it('turns routes into the target function’s HTTP events and rules into its schedules', async () => {
    const app = await load(withResources(HTTP_API));
    expect(app.functions.ApiFunction.events).toContainEqual(
      expect.objectContaining({ type: 'http', method: 'GET', path: '/status' }),
    );
    expect(app.functions.PublishFunction.events).toContainEqual({
      type: 'schedule',
      expression: 'rate(5 minutes)',
      enabled: false,
      input: { from: 'rule' },
    });
  });

  it('refuses WebSocket APIs and authorized routes at their keys; reads event-pattern rules as EventBridge rules', async () => {
    await expect(
      load(withResources(HTTP_API.replace('ProtocolType: HTTP', 'ProtocolType: WEBSOCKET'))),
    ).rejects.toThrow(/Resources\.HttpApi\.Properties\.ProtocolType: WebSocket APIs are not run by Syncline yet/);
    await expect(
      load(
        withResources(
          HTTP_API.replace('      RouteKey: GET /status', '      RouteKey: GET /status\n      AuthorizationType: JWT'),
        ),
      ),
    ).rejects.toThrow(/Resources\.HttpRoute\.Properties\.AuthorizationType: JWT route authorization is not run/);
    const rules = await load(
      withResources(
        HTTP_API.replace('ScheduleExpression: rate(5 minutes)', 'EventPattern: { source: [app] }').replace(
          '          Input: \'{"from":"rule"}\'\n',
          '',
        ),
      ),
    );
    expect(rules.functions.PublishFunction.events).toContainEqual(
      expect.objectContaining({ type: 'eventBridge', pattern: { source: ['app'] } }),
    );
  });
});
