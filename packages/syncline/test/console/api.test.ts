// The console API against a running server, with real clients: items put through the console read back with
// @aws-sdk/client-dynamodb, tokens it mints and requests it signs accepted by /graphql, a function invoked with
// its Lambda log lines, a graphql-ws subscriber listed with its filter.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { SynclineServer } from '../../src/index.js';
import { until } from '../helpers/subscribe.js';
import { consoleApi, startConsoleApp } from './helpers.js';

let server: SynclineServer;
let api: ReturnType<typeof consoleApi>;

beforeAll(async () => {
  server = await startConsoleApp();
  api = consoleApi(server);
}, 30_000);

afterAll(async () => {
  await server?.close();
});

const dynamodb = (op: string, body: unknown) =>
  api.post('aws/dynamodb', body, {
    'x-amz-target': `DynamoDB_20120810.${op}`,
    'content-type': 'application/x-amz-json-1.0',
  });

describe('GET app', () => {
  it('describes the schema, auth modes, keys, tables and functions as loaded', async () => {
    const { status, body } = await api.get('app');
    expect(status).toBe(200);
    expect(body.mode).toBe('dev');
    expect(body.issuer).toBe(true);
    expect(body.cluster).toEqual({ adapter: 'memory', state: 'connected' });
    expect(body.graphql.sdl).toContain('onMessage(room: String): Message');
    expect(body.graphql.authModes.map((m: any) => m.type)).toEqual(['AMAZON_COGNITO_USER_POOLS', 'API_KEY', 'AWS_IAM']);
    expect(body.graphql.authModes[0].issuer).toBe(process.env.SYNCLINE_TEST_CONSOLE_ISSUER);
    expect(body.graphql.apiKeys).toEqual([{ value: 'da2-consolefixturekey0000000', description: 'default' }]);
    expect(body.graphql.resolvers).toContainEqual({
      typeName: 'Mutation',
      fieldName: 'send',
      kind: 'UNIT',
      runtime: 'APPSYNC_JS',
      dataSource: 'none',
    });
    const table = body.tables.find((t: any) => t.name === 'console-items');
    expect(table).toMatchObject({
      id: 'Items',
      keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ttlAttribute: 'expiresAt',
      streamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(table.streamArn).toMatch(/^arn:aws:dynamodb:.*:table\/console-items\/stream\//);
    expect(table.indexes).toEqual([
      expect.objectContaining({ name: 'byKind', type: 'GSI', keySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }] }),
    ]);
    const hello = body.functions.find((f: any) => f.name === 'hello');
    expect(hello).toMatchObject({
      handler: 'handlers/hello.handler',
      timeoutSeconds: 3,
      memorySize: 128,
      routes: [{ method: 'GET', path: '/hello' }],
      schedules: [{ expression: 'rate(1 day)', enabled: false }],
    });
    expect(body.functions.find((f: any) => f.name === 'onItem').streams).toEqual([
      { table: 'Items', batchSize: 5, startingPosition: 'TRIM_HORIZON' },
    ]);
  });
});

describe('POST aws/dynamodb and GET streams', () => {
  it('puts an item the AWS SDK then reads, and shows its stream record', async () => {
    const put = await dynamodb('PutItem', {
      TableName: 'console-items',
      Item: { id: { S: 'from-console' }, kind: { S: 'note' } },
    });
    expect(put.status).toBe(200);
    const client = new DynamoDBClient({
      endpoint: server.endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const got = await client.send(
        new GetItemCommand({ TableName: 'console-items', Key: { id: { S: 'from-console' } } }),
      );
      expect(got.Item).toEqual({ id: { S: 'from-console' }, kind: { S: 'note' } });
    } finally {
      client.destroy();
    }
    const query = await dynamodb('Query', {
      TableName: 'console-items',
      IndexName: 'byKind',
      KeyConditionExpression: 'kind = :k',
      ExpressionAttributeValues: { ':k': { S: 'note' } },
    });
    expect(query.body.Items).toHaveLength(1);

    const stream = await api.get('streams/Items?limit=10');
    expect(stream.status).toBe(200);
    expect(stream.body.shards.length).toBeGreaterThan(0);
    expect(stream.body.records[0]).toMatchObject({
      eventName: 'INSERT',
      keys: { id: { S: 'from-console' } },
      newImage: { id: { S: 'from-console' }, kind: { S: 'note' } },
    });
    expect(stream.body.records[0].approximateCreationDateTime).toBeGreaterThan(Date.now() - 60_000);
    // The DynamoDB name works as well as the config's key.
    expect((await api.get('streams/console-items')).body.streamArn).toBe(stream.body.streamArn);
  });

  it('answers with the service’s own errors, and names the operation it does not know', async () => {
    const missing = await dynamodb('GetItem', { TableName: 'nope', Key: { id: { S: 'x' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.__type).toContain('ResourceNotFoundException');
    for (const target of ['Kinesis_20131202.PutRecord', 'AWSEvents.PutEvents']) {
      const unknown = await api.post('aws/dynamodb', {}, { 'x-amz-target': target });
      expect(unknown.status).toBe(400);
      expect(unknown.body.__type).toContain('UnknownOperationException');
    }
    const streams = await api.post('aws/dynamodb', {}, { 'x-amz-target': 'DynamoDBStreams_20120810.ListStreams' });
    expect(streams.status).toBe(200);
    expect(streams.body.Streams.map((s: any) => s.TableName)).toContain('console-items');
  });

  it('answers 404 for a table that does not exist or has no stream', async () => {
    const res = await api.get('streams/missing');
    expect(res.status).toBe(404);
    expect(res.body.errors[0].errorType).toBe('NotFoundException');
  });
});

describe('POST token and POST sign', () => {
  it('mints a user pool token /graphql accepts for the user and groups asked', async () => {
    const { status, body } = await api.post('token', { sub: 'alice', groups: ['admin'], claims: { email: 'a@x.io' } });
    expect(status).toBe(200);
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: body.token },
      body: JSON.stringify({ query: '{ whoami { mode identity } }' }),
    });
    const answer = (await res.json()) as any;
    expect(answer.data.whoami.mode).toBe('User Pool Authorization');
    const identity = JSON.parse(answer.data.whoami.identity);
    expect(identity).toMatchObject({ sub: 'alice', username: 'alice', groups: ['admin'] });
    expect(identity.claims.email).toBe('a@x.io');
  });

  it('signs a request that /graphql accepts under AWS_IAM, as a function’s role', async () => {
    const body = JSON.stringify({ query: '{ whoami { mode identity } }' });
    const signed = await api.post('sign', {
      url: server.endpoints.graphql,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(signed.status).toBe(200);
    expect(signed.body.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIA/);
    const { host: _host, ...headers } = signed.body.headers;
    const res = await fetch(server.endpoints.graphql, { method: 'POST', headers, body });
    const answer = (await res.json()) as any;
    expect(answer.data.whoami.mode).toBe('IAM Authorization');
    expect(JSON.parse(answer.data.whoami.identity).userArn).toContain('assumed-role/hello-role/hello');
    // The signature covers the body: a different one is refused.
    const tampered = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: '{ whoami { mode } }' }),
    });
    expect(tampered.status).toBe(403);
    expect(((await tampered.json()) as any).errors[0].errorType).toMatch(/Signature|Unauthorized/);
  });

  it('refuses a token request without a subject', async () => {
    const res = await api.post('token', { groups: ['admin'] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].errorType).toBe('BadRequestException');
  });
});

describe('functions', () => {
  it('invokes a function and returns its payload with its START, console and END/REPORT lines', async () => {
    const { status, body } = await api.post('functions/hello/invoke', { name: 'console' });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.payload).toEqual({ greeting: 'hello console', table: 'console-items' });
    const messages = body.logs.map((l: any) => l.message);
    expect(messages.some((m: string) => m.startsWith(`START RequestId: ${body.requestId}`))).toBe(true);
    expect(messages.some((m: string) => m.includes('hello from hello {"name":"console"}'))).toBe(true);
    expect(messages.some((m: string) => m.startsWith(`END RequestId: ${body.requestId}`))).toBe(true);
    expect(messages.some((m: string) => m.startsWith(`REPORT RequestId: ${body.requestId}`))).toBe(true);

    const logs = await api.get(`functions/hello/logs?requestId=${body.requestId}`);
    expect(logs.body.map((l: any) => l.message)).toEqual(messages);
  });

  it('reports a handler error as Lambda does', async () => {
    const { body } = await api.post('functions/hello/invoke', { fail: true });
    expect(body.ok).toBe(false);
    expect(body.error).toMatchObject({ errorType: 'Error', errorMessage: 'asked to fail' });
  });

  it('answers 404 for an unknown function', async () => {
    for (const path of ['functions/nope/logs', 'functions/nope/invocations', 'functions/__proto__/logs']) {
      const res = await api.get(path);
      expect(res.status).toBe(404);
      expect(res.body.errors[0].message).toContain('Function not found');
    }
    expect((await api.post('functions/nope/invoke', {})).status).toBe(404);
  });
});

describe('GET realtime', () => {
  it('lists a graphql-ws subscriber with its auth mode and filter', async () => {
    const client = createClient({
      url: server.endpoints.realtime!,
      webSocketImpl: WebSocket,
      connectionParams: { 'x-api-key': 'da2-consolefixturekey0000000' },
      retryAttempts: 0,
    });
    const stop = client.subscribe(
      { query: 'subscription { onMessage(room: "lobby") { room text } }' },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    try {
      await until(() => server.realtime.hub.stats.active === 1);
      const { body } = await api.get('realtime');
      expect(body.connections).toHaveLength(1);
      const [connection] = body.connections;
      expect(connection).toMatchObject({ protocol: 'graphql-transport-ws', auth: { mode: 'API_KEY' } });
      expect(connection.connectedAt).toBeGreaterThan(Date.now() - 60_000);
      expect(connection.subscriptions).toEqual([
        { id: expect.any(String), field: 'onMessage', filter: { room: 'lobby' }, variables: null },
      ]);
    } finally {
      stop();
      await client.dispose();
    }
    await until(() => server.realtime.hub.stats.active === 0);
  });
});

describe('GET realtime, AppSync protocol', () => {
  it('lists an AppSync-protocol subscriber with the mode its handshake used', async () => {
    const host = new URL(server.endpoints.http).host;
    const header = Buffer.from(JSON.stringify({ host, 'x-api-key': 'da2-consolefixturekey0000000' })).toString(
      'base64',
    );
    const ws = new WebSocket(`${server.endpoints.realtime}?header=${header}&payload=e30=`, ['graphql-ws']);
    const frames: any[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((ok, fail) => {
      ws.once('open', ok);
      ws.once('error', fail);
    });
    try {
      ws.send(JSON.stringify({ type: 'connection_init' }));
      await until(() => frames.some((f) => f.type === 'connection_ack'));
      ws.send(
        JSON.stringify({
          id: 'sub-1',
          type: 'start',
          payload: {
            data: JSON.stringify({
              query: 'subscription ($room: String) { onMessage(room: $room) { room text } }',
              variables: { room: 'kitchen' },
            }),
            extensions: { authorization: { host, 'x-api-key': 'da2-consolefixturekey0000000' } },
          },
        }),
      );
      await until(() => frames.some((f) => f.type === 'start_ack'));
      const { body } = await api.get('realtime');
      const connection = body.connections.find((c: any) => c.protocol === 'appsync');
      expect(connection.auth).toEqual({ mode: 'API_KEY' });
      expect(connection.subscriptions).toEqual([
        { id: 'sub-1', field: 'onMessage', filter: { room: 'kitchen' }, variables: { room: 'kitchen' } },
      ]);
    } finally {
      ws.close();
    }
    await until(() => server.realtime.hub.stats.active === 0);
  });
});

describe('bad input', () => {
  it('answers malformed JSON, unknown paths and methods with errors, and keeps serving', async () => {
    const malformed = await api.post('token', '{"sub":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ errorType: 'BadRequestException' });
    expect((await api.get('nothing/here')).status).toBe(404);
    expect((await api.post('app', {})).status).toBe(405);
    expect((await api.get('streams/%E0%A4%A')).status).toBe(400);
    expect((await api.get('traces?limit=-1')).status).toBe(400);
    expect((await api.get('app')).status).toBe(200);
  });

  it('refuses a body over the cap with 413 and keeps serving', async () => {
    const huge = `{"pad":"${'x'.repeat(7 * 1024 * 1024)}"}`;
    const res = await fetch(`${server.endpoints.http}/_console/api/functions/hello/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    }).catch((error) => error as Error);
    // The server answers 413 at once; the client may see the answer or the closed upload.
    if (!(res instanceof Error)) {
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).errors[0].errorType).toBe('PayloadTooLargeException');
    }
    expect((await api.get('app')).status).toBe(200);
  });
});

describe('other sites', () => {
  it('refuses requests from another origin, another site, or a rebound host name', async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: 'http://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ]) {
      const res = await api.get('app', headers);
      expect(res.status).toBe(403);
      expect(res.body.errors[0].errorType).toBe('ForbiddenException');
    }
    // Same origin passes.
    const own = new URL(server.endpoints.http);
    expect((await api.get('app', { origin: own.origin })).status).toBe(200);
    // A DNS-rebinding page reaches 127.0.0.1 under its own name.
    const { request } = await import('node:http');
    const status = await new Promise<number>((ok, fail) => {
      const req = request(
        { host: '127.0.0.1', port: own.port, path: '/_console/api/app', headers: { host: `evil.example:${own.port}` } },
        (res) => {
          res.resume();
          ok(res.statusCode!);
        },
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });
});
