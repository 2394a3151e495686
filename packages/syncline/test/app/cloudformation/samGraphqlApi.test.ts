// SAM's own AppSync resource and the other template pieces apps use: AWS::Serverless::GraphQLApi (expanded as
// SAM expands it), AWS::DynamoDB::GlobalTable, inline function code (InlineCode, ZipFile) and
// AWS::Scheduler::Schedule — loaded and run with real requests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../../src/app/index.js';
import { createServer, type SynclineServer } from '../../../src/index.js';
import { gql } from '../../helpers/server.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Notes:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
      Replicas: [{ Region: us-east-1 }, { Region: eu-west-1 }]
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        exports.handler = async (event) => ({ statusCode: 200, body: 'inline ' + event.rawPath + ' ' + typeof module });
      Events:
        Get: { Type: HttpApi, Properties: { Method: GET, Path: /hello } }
  Shout:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::000000000000:role/shout
      Code:
        ZipFile: |
          exports.handler = async (event) => String(event.arguments.text).toUpperCase();
  Nightly:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: cron(0 3 * * ? *)
      FlexibleTimeWindow: { Mode: 'OFF' }
      State: DISABLED
      Target:
        Arn: !GetAtt Hello.Arn
        RoleArn: arn:aws:iam::000000000000:role/scheduler
        Input: '{"job":"nightly"}'
  Api:
    Type: AWS::Serverless::GraphQLApi
    Properties:
      SchemaUri: schema.graphql
      Auth:
        Type: API_KEY
        Additional: [{ Type: AWS_IAM }]
      ApiKeys:
        Default: {}
      DataSources:
        DynamoDb:
          NotesSource:
            TableName: !Ref Notes
            TableArn: !GetAtt Notes.Arn
        Lambda:
          ShoutSource:
            FunctionArn: !GetAtt Shout.Arn
      Functions:
        putNote:
          Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
          DataSource: NotesSource
          CodeUri: resolvers/putNote.js
        getNote:
          Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
          DataSource: NotesSource
          InlineCode: |
            import * as ddb from '@aws-appsync/utils/dynamodb';
            export const request = (ctx) => ddb.get({ key: { id: ctx.args.id } });
            export const response = (ctx) => ctx.result;
        stamp:
          Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
          DataSource: NONE
          InlineCode: |
            export const request = (ctx) => ({ payload: null });
            export const response = (ctx) => { ctx.stash.stamped = true; return ctx.prev.result; };
        shout:
          Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
          DataSource: ShoutSource
          InlineCode: |
            export const request = (ctx) => ({ operation: 'Invoke', payload: { arguments: ctx.args } });
            export const response = (ctx) => ctx.result;
      Resolvers:
        Mutation:
          putNote:
            Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
            Pipeline: [stamp, putNote]
        Query:
          note:
            FieldName: getNote
            Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
            Pipeline: [getNote]
          shout:
            Runtime: { Name: APPSYNC_JS, Version: 1.0.0 }
            Pipeline: [shout]
`;

const SCHEMA = `type Note { id: ID! text: String }
type Query { getNote(id: ID!): Note shout(text: String!): String }
type Mutation { putNote(id: ID!, text: String!): Note }
`;

const PUT_NOTE = `import * as ddb from '@aws-appsync/utils/dynamodb';
export const request = (ctx) => ddb.put({ key: { id: ctx.args.id }, item: { text: ctx.args.text } });
export const response = (ctx) => ctx.result;
`;

let dir: string;
function writeApp(template: string) {
  const d = mkdtempSync(join(tmpdir(), 'syncline-samgql-'));
  mkdirSync(join(d, 'resolvers'));
  writeFileSync(join(d, 'template.yaml'), template);
  writeFileSync(join(d, 'schema.graphql'), SCHEMA);
  writeFileSync(join(d, 'resolvers', 'putNote.js'), PUT_NOTE);
  return d;
}
beforeAll(() => {
  dir = writeApp(TEMPLATE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('AWS::Serverless::GraphQLApi and friends, loaded', () => {
  it('expands the SAM API, reads the global table as one table and the scheduler schedule as a schedule', async () => {
    const app = await loadApp(dir, { data: ':memory:' });
    expect(app.tables.Notes).toMatchObject({ partitionKey: { name: 'id', type: 'S' }, stream: 'NEW_AND_OLD_IMAGES' });
    expect(app.graphql?.authentication.type).toBe('API_KEY');
    expect(app.graphql?.additionalAuthentications.map((a) => a.type)).toEqual(['AWS_IAM']);
    expect(app.graphql?.resolvers.map((r) => `${r.typeName}.${r.fieldName}:${r.kind}`).sort()).toEqual([
      'Mutation.putNote:PIPELINE',
      'Query.getNote:PIPELINE',
      'Query.shout:PIPELINE',
    ]);
    expect(
      Object.values(app.graphql?.dataSources ?? {})
        .map((d) => d.type)
        .sort(),
    ).toEqual(['AMAZON_DYNAMODB', 'AWS_LAMBDA', 'NONE']);
    expect(app.functions.Hello.events).toContainEqual({
      type: 'schedule',
      expression: 'cron(0 3 * * ? *)',
      enabled: false,
      input: { job: 'nightly' },
    });
    const notice = app.notices?.[0] ?? '';
    for (const k of ['Notes.Replicas', 'Nightly.FlexibleTimeWindow', 'Nightly.Target.RoleArn', 'Shout.Role']) {
      expect(notice).toContain(k);
    }
  });

  it('refuses what SAM refuses, with SAM’s words: a unit resolver, a missing Runtime, both schema forms', async () => {
    const cases: [string, string, RegExp][] = [
      [
        '            Pipeline: [shout]\n',
        '',
        /Resolver 'shout' must have Pipeline defined\. Unit resolvers are not supported/,
      ],
      [
        '          InlineCode: |\n            export const request = (ctx) => ({ payload',
        '          CodeUri: x.js\n          InlineCode: |\n            export const request = (ctx) => ({ payload',
        /Both 'InlineCode' and 'CodeUri' cannot be defined at the same time/,
      ],
      [
        '      SchemaUri: schema.graphql\n',
        "      SchemaUri: schema.graphql\n      SchemaInline: 'type Query { a: Int }'\n",
        /Both 'SchemaInline' and 'SchemaUri'/,
      ],
      ['            Pipeline: [getNote]\n', '            Pipeline: [nope]\n', /Function 'nope' does not exist/],
      [
        '      ScheduleExpression: cron(0 3 * * ? *)\n',
        '      ScheduleExpression: cron(0 3 * * ? *)\n      ScheduleExpressionTimezone: Europe/Paris\n',
        /Nightly\.Properties\.ScheduleExpressionTimezone: time zones are not run/,
      ],
    ];
    for (const [from, to, error] of cases) {
      expect(TEMPLATE.includes(from), from).toBe(true);
      const d = writeApp(TEMPLATE.replace(from, to));
      try {
        await expect(loadApp(d, { data: ':memory:' })).rejects.toThrow(error);
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    }
  });
});

describe('AWS::Serverless::GraphQLApi and inline code, running', { timeout: 60_000 }, () => {
  let server: SynclineServer;
  beforeAll(async () => {
    server = await createServer({ dir, port: 0, data: ':memory:', log: 'silent' });
  });
  afterAll(() => server?.close());

  it('runs pipeline resolvers on the global table, a NONE function and a ZipFile Lambda data source', async () => {
    const put = await gql(server, 'mutation { putNote(id: "n1", text: "hi") { id text } }');
    expect(put.body).toEqual({ data: { putNote: { id: 'n1', text: 'hi' } } });
    const got = await gql(server, '{ getNote(id: "n1") { text } shout(text: "quiet") }');
    expect(got.body).toEqual({ data: { getNote: { text: 'hi' }, shout: 'QUIET' } });
  });

  it('runs SAM InlineCode as CommonJS behind its HttpApi route', async () => {
    const res = await fetch(`${server.endpoints.http}/hello`);
    expect(await res.text()).toBe('inline /hello object');
  });
});
