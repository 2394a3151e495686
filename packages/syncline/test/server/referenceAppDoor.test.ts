// The reference app (examples/realtime-orders) with the door shut, as `syncline start` runs it: its functions
// write with their injected credentials, while nobody without credentials reaches its table.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../src/index.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fileURLToPath(new URL('../../../../examples/realtime-orders', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
    requireSignatures: true,
  });
}, 120_000);
afterAll(() => server?.close());

it('places an order through the createOrder function and reads it back over GraphQL', async () => {
  const placed = await fetch(`${server.endpoints.http}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ item: 'Tea', quantity: 2, customer: 'Ada' }),
  });
  expect(placed.status).toBe(201);
  const order = (await placed.json()) as { id: string };

  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
    body: JSON.stringify({ query: 'query($id: ID!) { getOrder(id: $id) { id item quantity } }', variables: order }),
  });
  expect(await res.json()).toEqual({ data: { getOrder: { id: order.id, item: 'Tea', quantity: 2 } } });

  const stolen = await fetch(server.endpoints.dynamodb!, {
    method: 'POST',
    headers: { 'x-amz-target': 'DynamoDB_20120810.Scan', 'content-type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ TableName: 'Orders' }),
  });
  expect(stolen.status).toBe(400);
  expect(((await stolen.json()) as { __type: string }).__type).toBe(
    'com.amazon.coral.service#MissingAuthenticationTokenException',
  );
}, 60_000);
