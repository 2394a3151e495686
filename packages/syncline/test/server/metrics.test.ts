// GET /metrics after real traffic: GraphQL, the DynamoDB API, function routes, stream-triggered functions and
// realtime, scraped in the Prometheus text format; and who may read it.
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql } from '../helpers/server.js';
import { clients } from '../streams/client.js';

const servers: SynclineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(
  name: string,
  extra: Parameters<typeof createServer>[0] extends infer O ? Partial<O> : never = {},
) {
  const server = await createServer({ dir: fixtureApp(name), port: 0, data: ':memory:', log: 'silent', ...extra });
  servers.push(server);
  return server;
}

async function scrape(server: SynclineServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.endpoints.http}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample line, e.g. `syncline_requests_total{api="graphql",...}`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

async function until(condition: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('/metrics', () => {
  it('counts GraphQL requests by operation, with latency, and the functions they invoke', async () => {
    const server = await start('functions-graphql');
    for (let i = 0; i < 3; i++) expect((await gql(server, '{ echo(msg: "hi") }')).status).toBe(200);
    await gql(server, '{ fails }');
    const { status, type, text } = await scrape(server);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain/);
    expect(sample(text, 'syncline_requests_total', { api: 'graphql', operation: 'query echo', status: '200' })).toBe(3);
    expect(sample(text, 'syncline_request_duration_seconds_count', { api: 'graphql', operation: 'query echo' })).toBe(
      3,
    );
    expect(sample(text, 'syncline_request_duration_seconds_bucket', { operation: 'query echo', le: '+Inf' })).toBe(3);
    expect(sample(text, 'syncline_function_invocations_total', { function: 'resolve' })).toBe(4);
    expect(sample(text, 'syncline_function_errors_total', { function: 'resolve' })).toBe(1);
    expect(sample(text, 'syncline_function_duration_seconds_count', { function: 'resolve' })).toBe(4);
    expect(sample(text, 'syncline_realtime_subscriptions')).toBe(0);
    expect(sample(text, 'syncline_realtime_appsync')).toBe(0);
    expect(sample(text, 'syncline_cluster_broker_connected', { adapter: 'memory', state: 'connected' })).toBe(1);
  });

  it('counts DynamoDB operations, storage commits, and the stream lag of triggered functions', async () => {
    const server = await start('streams-functions');
    const { db } = clients(server);
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o1' } } }));
    await db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'o2' } } }));
    await until(
      async () =>
        (sample((await scrape(server)).text, 'syncline_function_invocations_total', { function: 'audit' }) ?? 0) >= 1,
    );
    const { text } = await scrape(server);
    expect(
      sample(text, 'syncline_requests_total', { api: 'dynamodb', operation: 'PutItem', status: '200' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'syncline_storage_commit_duration_seconds_count')).toBeGreaterThanOrEqual(2);
    const age = sample(text, 'syncline_stream_iterator_age_seconds', { function: 'audit' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60);
    expect(text).toMatch(/syncline_stream_iterator_age_seconds\{function="audit",shard="shardId-/);
  });

  it('counts function routes by route key, not by path', async () => {
    process.env.SYNCLINE_TEST_GREETING ??= 'hi';
    const server = await start('functions');
    for (const id of ['a', 'b']) await fetch(`${server.endpoints.http}/items/${id}`);
    const { text } = await scrape(server);
    expect(sample(text, 'syncline_requests_total', { api: 'http', operation: 'GET /items/{id}', status: '200' })).toBe(
      2,
    );
  });

  it('keeps the series bounded whatever operations clients make up', async () => {
    const server = await start('streams-functions');
    for (let i = 0; i < 520; i++) {
      await fetch(server.endpoints.http, {
        method: 'POST',
        headers: { 'x-amz-target': `DynamoDB_20120810.Bogus${i}`, 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      });
    }
    const { text } = await scrape(server);
    const series = text.split('\n').filter((l) => l.startsWith('syncline_requests_total{'));
    expect(series.length).toBeLessThanOrEqual(501);
    expect(sample(text, 'syncline_requests_total', { operation: 'other' })).toBeGreaterThan(0);
  });

  it("with 'operators', answers only HTTP Basic with an operator credential", async () => {
    const credentials = [{ name: 'ops', accessKeyId: 'AKIAOPS', secretAccessKey: 'sekrit', policies: [] }];
    const server = await start('basic', { metrics: 'operators', credentials });
    expect((await scrape(server)).status).toBe(403);
    const basic = (user: string, pass: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
    });
    expect((await scrape(server, basic('AKIAOPS', 'wrong!'))).status).toBe(403);
    expect((await scrape(server, basic('AKIAOTHER', 'sekrit'))).status).toBe(403);
    const ok = await scrape(server, basic('AKIAOPS', 'sekrit'));
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('syncline_up 1');
  });

  it("with 'off', never answers", async () => {
    const server = await start('basic', { metrics: 'off' });
    expect((await scrape(server)).status).toBe(403);
  });
});
