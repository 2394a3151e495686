// A pipeline function without code on a Lambda data source is AppSync's direct Lambda function: the Lambda is
// sent the whole context (with the earlier JS function's stash and result as prev) and answers the step.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { fixtureApp, gql } from '../../helpers/server.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('serverless-direct-pipeline'),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
});
afterAll(() => server?.close());

describe('a direct Lambda function in a pipeline', { timeout: 60_000 }, () => {
  it('is sent the whole context, with the JS step’s stash and result, and answers the step', async () => {
    const query = 'query Score($p: String!) { score(player: $p, level: 3) { value event } }';
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey!, 'x-client': 'test-suite' },
      body: JSON.stringify({ query, variables: { p: 'ada' } }),
    });
    const body = (await res.json()) as { data: { score: { value: number; event: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.score.value).toBe(35);
    const event = JSON.parse(body.data.score.event);
    expect(Object.keys(event).sort()).toEqual(['arguments', 'identity', 'info', 'prev', 'request', 'source', 'stash']);
    expect(event.arguments).toEqual({ player: 'ada', level: 3 });
    expect(event.identity).toBeNull();
    expect(event.source).toBeNull();
    expect(event.prev).toEqual({ result: { checked: 'ada' } });
    expect(event.stash).toEqual({ bonus: 5 });
    expect(event.request.headers['x-client']).toBe('test-suite');
    expect(event.request.headers['x-api-key']).toBe(server.apiKey);
    expect(event.info).toEqual({
      fieldName: 'score',
      parentTypeName: 'Query',
      variables: { p: 'ada' },
      selectionSetList: ['value', 'event'],
      selectionSetGraphQL: '{\n  value\n  event\n}',
    });
  });

  it('ends the field with Lambda:Unhandled when the function fails', async () => {
    const got = await gql(server, '{ score(player: "fail") { value } }');
    expect(got.body.data.score).toBeNull();
    expect(got.body.errors[0]).toMatchObject({ message: 'no score for fail', errorType: 'Lambda:Unhandled' });
  });

  it('is refused on a data source that is not a Lambda, naming the function and the data source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-direct-'));
    try {
      cpSync(fixtureApp('serverless-direct-pipeline'), dir, { recursive: true });
      const file = join(dir, 'serverless.yml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          '    score:\n      dataSource: scorer',
          '    score:\n      dataSource: none',
        ),
      );
      const error = await loadApp(dir, { data: ':memory:' }).catch((e) => e);
      expect(String(error.message)).toMatch(
        /pipelineFunctions\.score: .*only on an AWS_LAMBDA data source .*none is NONE/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs from a CloudFormation FunctionConfiguration without Code as well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncline-direct-cfn-'));
    writeFileSync(
      join(dir, 'template.yaml'),
      `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::AppSync::GraphQLApi
    Properties: { Name: direct-cfn, AuthenticationType: API_KEY }
  Key:
    Type: AWS::AppSync::ApiKey
    Properties: { ApiId: !GetAtt Api.ApiId }
  Schema:
    Type: AWS::AppSync::GraphQLSchema
    Properties:
      ApiId: !GetAtt Api.ApiId
      Definition: "type Query { echo(word: String!): String }"
  Echo:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code:
        ZipFile: "exports.handler = async (e) => e.arguments.word + ':' + e.info.fieldName + ':' + JSON.stringify(e.prev);"
  EchoSource:
    Type: AWS::AppSync::DataSource
    Properties:
      ApiId: !GetAtt Api.ApiId
      Name: echo
      Type: AWS_LAMBDA
      LambdaConfig: { LambdaFunctionArn: !GetAtt Echo.Arn }
  EchoFunction:
    Type: AWS::AppSync::FunctionConfiguration
    Properties:
      ApiId: !GetAtt Api.ApiId
      Name: echo
      DataSourceName: !GetAtt EchoSource.Name
      FunctionVersion: "2018-05-29"
  EchoResolver:
    Type: AWS::AppSync::Resolver
    Properties:
      ApiId: !GetAtt Api.ApiId
      TypeName: Query
      FieldName: echo
      Kind: PIPELINE
      PipelineConfig: { Functions: [!GetAtt EchoFunction.FunctionId] }
      Runtime: { Name: APPSYNC_JS, RuntimeVersion: 1.0.0 }
      Code: |
        export const request = () => ({ started: true });
        export const response = (ctx) => ctx.prev.result;
`,
    );
    const cfn = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
    try {
      const got = await gql(cfn, '{ echo(word: "hi") }');
      expect(got.body).toEqual({ data: { echo: 'hi:echo:{"result":{"started":true}}' } });
    } finally {
      await cfn.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
