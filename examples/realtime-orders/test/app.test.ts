import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type SynclineServer } from '../../../packages/syncline/src/index.js';

let server: SynclineServer;
beforeAll(async () => {
  server = await createServer({
    dir: fileURLToPath(new URL('..', import.meta.url)),
    port: 0,
    data: ':memory:',
    log: 'silent',
  });
});
afterAll(() => server.close());

async function gql(query: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey! },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

it('creates an order, moves it through statuses and lists it by status', async () => {
  const created = await gql(
    'mutation { createOrder(item: "tea", quantity: 2, customer: "ada") { id status createdAt expiresAt } }',
  );
  const order = created.data.createOrder;
  expect(order.status).toBe('PENDING');
  expect(order.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(order.expiresAt - Math.floor(Date.parse(order.createdAt) / 1000)).toBe(86_400);

  const ready = await gql('mutation M($id: ID!) { setOrderStatus(id: $id, status: "READY") { id status } }', {
    id: order.id,
  });
  expect(ready.data.setOrderStatus).toEqual({ id: order.id, status: 'READY' });

  const listed = await gql('{ ordersByStatus(status: "READY") { items { id item } } }');
  expect(listed.data.ordersByStatus.items).toEqual([{ id: order.id, item: 'tea' }]);

  const bad = await gql('mutation { setOrderStatus(id: "nope", status: "READY") { id } }');
  expect(bad.errors[0].errorType).toBe('DynamoDB:ConditionalCheckFailedException');
});
