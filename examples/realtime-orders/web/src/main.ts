// Wires the page: configure Amplify, show the board, keep it live, and measure submit-to-board latency.
import './styles.css';
import { createApi } from './api.js';
import { createBoard } from './board.js';
import { configureAmplify } from './config.js';
import { watchConnection } from './connection.js';
import { must } from './dom.js';
import { mountForm } from './form.js';
import type { Order } from './orders.js';

await configureAmplify();
const api = createApi();

const board = createBoard(must('#board'), (order, next) => api.setOrderStatus(order.id, next));

// An order submitted here may reach the board (through the subscription) before the mutation's response names
// its id, so both moments are kept until they meet.
const submittedAt = new Map<string, number>();
const firstSeenAt = new Map<string, number>();
const appeared = (order: Order) => {
  if (firstSeenAt.has(order.id)) return;
  const now = performance.now();
  firstSeenAt.set(order.id, now);
  const started = submittedAt.get(order.id);
  if (started !== undefined) board.setLatency(order.id, now - started);
};
const submitted = (id: string, started: number) => {
  const seen = firstSeenAt.get(id);
  if (seen !== undefined) board.setLatency(id, seen - started);
  else submittedAt.set(id, started);
};

const catchUp = async () => {
  const since = board.mark();
  try {
    const orders = await api.listOrders();
    board.replace(orders, since);
    orders.forEach(appeared);
  } catch (error) {
    connection.failed(error instanceof Error ? error.message : String(error));
  }
};

let retries = 0;
const connection = watchConnection(must('#connection'), must('#notice'), () => {
  retries = 0;
  void catchUp();
});

// Amplify re-subscribes by itself after a disruption of an established socket; a subscription that fails
// outright (the server is down, the certificate is refused) ends, so it is started again with backoff.
const subscribe = () =>
  api.watchOrders({
    next: (order) => {
      board.apply(order);
      appeared(order);
    },
    error: (message) => {
      connection.failed(message);
      setTimeout(subscribe, Math.min(30_000, 1000 * 2 ** retries++));
    },
  });
subscribe();
void catchUp();

mountForm(must('#order-form'), async (input) => {
  const started = performance.now();
  const result = await api.submitOrder(input);
  if (result.ok) submitted(result.id, started);
  return result;
});
