// The order as the page knows it, and the rules a new order must meet. The rules run in the page for instant
// feedback; the server checks again (the `POST /orders` function), and its field errors are shown the same way.

export const STATUSES = ['PENDING', 'PREPARING', 'READY', 'DELIVERED', 'STALE'] as const;
export type Status = (typeof STATUSES)[number];

export interface Order {
  id: string;
  item: string;
  quantity: number;
  customer: string;
  status: Status;
  createdAt: string;
  expiresAt?: number | null;
  /** Set on the event that tells the order left the table (its TTL expired). */
  removed?: boolean | null;
}

export interface OrderInput {
  item: string;
  quantity: number;
  customer: string;
}

export type FieldErrors = Partial<Record<keyof OrderInput, string>>;

/** The next step of an order's life; STALE and DELIVERED are final. */
export const NEXT_STATUS: Partial<Record<Status, { status: Status; label: string }>> = {
  PENDING: { status: 'PREPARING', label: 'Start preparing' },
  PREPARING: { status: 'READY', label: 'Mark ready' },
  READY: { status: 'DELIVERED', label: 'Deliver' },
};

const MAX_TEXT = 60;
const MAX_QUANTITY = 99;

export function validateOrder(input: OrderInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.item) errors.item = 'Enter an item.';
  else if (input.item.length > MAX_TEXT) errors.item = `At most ${MAX_TEXT} characters.`;
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_QUANTITY) {
    errors.quantity = `A whole number from 1 to ${MAX_QUANTITY}.`;
  }
  if (!input.customer) errors.customer = 'Enter a name.';
  else if (input.customer.length > MAX_TEXT) errors.customer = `At most ${MAX_TEXT} characters.`;
  return errors;
}
