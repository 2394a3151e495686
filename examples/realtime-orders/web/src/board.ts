// The live board: one column per status. It holds the orders it has seen and re-renders on each change; a few
// hundred cards render in well under a frame, so there is no diffing.
import { h } from './dom.js';
import { NEXT_STATUS, type Order, STATUSES, type Status } from './orders.js';

export interface Board {
  /** An order from the subscription: the newest state of that order. */
  apply(order: Order): void;
  /** A full listing (first load, after a reconnect); orders changed live since `since` keep their live state. */
  replace(orders: Order[], since: number): void;
  /** A counter to pass to `replace`, taken before the listing is requested. */
  mark(): number;
  /** The latency to show on a card, for orders submitted from this page. */
  setLatency(id: string, ms: number): void;
}

const TITLES: Record<Status, string> = {
  PENDING: 'Pending',
  PREPARING: 'Preparing',
  READY: 'Ready',
  DELIVERED: 'Delivered',
  STALE: 'Stale',
};

export function createBoard(root: HTMLElement, onAdvance: (order: Order, next: Status) => Promise<void>): Board {
  const orders = new Map<string, Order>();
  const changedAt = new Map<string, number>();
  const latency = new Map<string, number>();
  let changes = 0;

  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-advance]');
    const order = button && orders.get(button.dataset.advance!);
    const next = order && NEXT_STATUS[order.status];
    if (!button || !order || !next) return;
    button.disabled = true;
    // The card moves when the subscription delivers the change, on this page as on every other.
    onAdvance(order, next.status).catch(() => {
      button.disabled = false;
      button.classList.add('failed');
    });
  });

  const card = (order: Order) => {
    const next = NEXT_STATUS[order.status];
    const ms = latency.get(order.id);
    return h(
      'article',
      { class: 'card', 'data-order-id': order.id },
      h(
        'div',
        { class: 'card-title' },
        h('strong', {}, order.item),
        h('span', { class: 'qty' }, `× ${order.quantity}`),
      ),
      h(
        'div',
        { class: 'card-meta' },
        h('span', {}, order.customer),
        h('time', { datetime: order.createdAt }, new Date(order.createdAt).toLocaleTimeString()),
      ),
      ms !== undefined && h('span', { class: 'latency', title: 'from submit to this card' }, `${Math.round(ms)} ms`),
      next && h('button', { type: 'button', 'data-advance': order.id }, next.label),
    );
  };

  const render = () => {
    const byStatus = new Map<Status, Order[]>(STATUSES.map((s) => [s, []]));
    for (const order of orders.values()) byStatus.get(order.status)?.push(order);
    root.replaceChildren(
      ...STATUSES.map((status) => {
        const list = byStatus.get(status)!.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        return h(
          'section',
          { class: 'column', 'data-column': status },
          h('h2', {}, TITLES[status], h('span', { class: 'count' }, String(list.length))),
          ...(list.length ? list.map(card) : [h('p', { class: 'empty' }, 'No orders')]),
        );
      }),
    );
  };

  render();
  return {
    apply(order) {
      if (order.removed) orders.delete(order.id);
      else orders.set(order.id, order);
      changedAt.set(order.id, ++changes);
      render();
    },
    replace(listed, since) {
      for (const id of [...orders.keys()]) if ((changedAt.get(id) ?? 0) <= since) orders.delete(id);
      for (const order of listed) {
        if ((changedAt.get(order.id) ?? 0) <= since) orders.set(order.id, order);
      }
      render();
    },
    mark: () => changes,
    setLatency(id, ms) {
      latency.set(id, ms);
      render();
    },
  };
}
