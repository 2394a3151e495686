import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';
import { fixtureApp, gql } from '../helpers/server.js';

let server: SynclineServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('reload applies a new table shape without losing items, and keeps the resolvers working', async () => {
  dir = mkdtempSync(join(tmpdir(), 'syncline-reload-'));
  cpSync(fixtureApp('orders-ddb'), dir, { recursive: true });
  server = await createServer({ dir, port: 0, data: join(dir, '.data'), log: 'silent' });
  const created = await gql(
    server,
    'mutation { createOrder(id: "r-1", customer: "ada", item: "tea", quantity: 1) { id } }',
  );
  expect(created.body.errors).toBeUndefined();

  const config = join(dir, 'syncline.config.ts');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(
      'globalIndexes: { byCustomer:',
      "globalIndexes: { byItem: { partitionKey: 'item' }, byCustomer:",
    ),
  );
  await server.reload();

  const client = new DynamoDBClient({
    endpoint: server.endpoints.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Orders' }));
  client.destroy();
  expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byCustomer', 'byItem']);
  expect(Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'byItem')?.ItemCount).toBe(1);
  expect((await gql(server, '{ getOrder(id: "r-1") { id item } }')).body).toEqual({
    data: { getOrder: { id: 'r-1', item: 'tea' } },
  });
});
