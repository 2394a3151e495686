import { PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';
import { clients } from './client.js';

let server: SynclineServer;
let c: ReturnType<typeof clients>;

beforeAll(async () => {
  server = await createServer({
    dir: fixtureApp('streams-functions'),
    port: 0,
    data: ':memory:',
    log: 'silent',
    ttlSweepIntervalMs: 0,
  });
  c = clients(server);
});
afterAll(async () => {
  c.db.destroy();
  c.streams.destroy();
  await server.close();
});

const scan = async (table: string) => (await c.db.send(new ScanCommand({ TableName: table }))).Items ?? [];

describe('stream mappings with real handler files', () => {
  it('every write reaches the function; a poison order goes to the onFailure table; TTL expiry reaches the filtered function', async () => {
    const orders = ['o1', 'o2', 'o3', 'o4', 'o5'];
    for (const id of orders) await c.db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: id } } }));
    await c.db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'bad' }, poison: { BOOL: true } } }));
    await c.db.send(
      new UpdateItemCommand({
        TableName: 'Orders',
        Key: { id: { S: 'o1' } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'PAID' } },
      }),
    );
    const past = String(Math.floor(Date.now() / 1000) - 5);
    await c.db.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: 'old' }, expiresAt: { N: past } } }));
    expect(server.sweepTtl()).toBe(1);

    const deadline = Date.now() + 20_000;
    let audit: Awaited<ReturnType<typeof scan>> = [];
    let failures: Awaited<ReturnType<typeof scan>> = [];
    while (Date.now() < deadline) {
      audit = await scan('Audit');
      failures = await scan('Failures');
      const ids = audit.map((i) => i.id.S!);
      const done =
        orders.every((o) => ids.some((id) => id.startsWith(`${o}#`))) &&
        ids.filter((id) => id.startsWith('o1#')).length === 2 &&
        ids.includes('expired#old') &&
        failures.length === 1;
      if (done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ids = audit.map((i) => i.id.S!);
    for (const o of orders) expect(ids.some((id) => id.startsWith(`${o}#`))).toBe(true);
    expect(
      audit
        .filter((i) => i.id.S!.startsWith('o1#'))
        .map((i) => i.eventName.S)
        .sort(),
    ).toEqual(['INSERT', 'MODIFY']);
    expect(ids.some((id) => id.startsWith('bad#'))).toBe(false);
    expect(audit.find((i) => i.id.S === 'expired#old')?.principal.S).toBe('dynamodb.amazonaws.com');
    // Only the TTL deletion passed the second function's filter.
    expect(ids.filter((id) => id.startsWith('expired#'))).toEqual(['expired#old']);
    expect(failures).toHaveLength(1);
    expect(failures[0].requestContext.M!.condition.S).toBe('RetryAttemptsExhausted');
    expect(failures[0].requestContext.M!.functionArn.S).toMatch(/:function:audit$/);
    expect(failures[0].DDBStreamBatchInfo.M!.batchSize.N).toBe('1');
  }, 30_000);
});
