// Everything the page says to the backend: new orders go to the app's HTTP route (`POST /orders`, a function);
// the board reads and changes orders through Amplify's GraphQL client.
import { type GraphQLQuery, type GraphQLSubscription, generateClient } from 'aws-amplify/api';
import { type FieldErrors, type Order, type OrderInput, STATUSES, type Status } from './orders.js';

// Subscribers receive the fields the *mutation* selected, so every mutation here selects all of them.
const ORDER_FIELDS = 'id item quantity customer status createdAt expiresAt removed';

export type SubmitResult = { ok: true; id: string } | { ok: false; fieldErrors: FieldErrors; message?: string };

/** Call after `configureAmplify()`: the client reads the configuration it set. */
export function createApi() {
  const client: Client = generateClient<never>();
  return {
    submitOrder: (input: OrderInput) => submitOrder(input),
    setOrderStatus: (id: string, status: Status) => setOrderStatus(client, id, status),
    listOrders: () => listOrders(client),
    watchOrders: (handlers: OrderHandlers) => watchOrders(client, handlers),
  };
}

// `<never>`: this app has no generated model types, and the default parameter sends tsc into Amplify's deep
// model types.
type Client = ReturnType<typeof generateClient<never>>;

/** The function answers 201 with the order, or 400 with `{ message, errors: { field: text } }`. */
async function submitOrder(input: OrderInput): Promise<SubmitResult> {
  try {
    const res = await fetch('/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { id?: string; message?: string; errors?: FieldErrors };
    if (res.ok && body.id) return { ok: true, id: body.id };
    return {
      ok: false,
      fieldErrors: body.errors ?? {},
      message: body.message ?? `The order was refused (${res.status}).`,
    };
  } catch (error) {
    return { ok: false, fieldErrors: {}, message: messageOf(error) };
  }
}

async function setOrderStatus(client: Client, id: string, status: Status): Promise<void> {
  await client.graphql<GraphQLQuery<{ setOrderStatus: Order }>>({
    query: `mutation SetOrderStatus($id: ID!, $status: String!) {
      setOrderStatus(id: $id, status: $status) { ${ORDER_FIELDS} }
    }`,
    variables: { id, status },
  });
}

/** The newest 50 orders of each status, in one request. */
async function listOrders(client: Client): Promise<Order[]> {
  const fields = STATUSES.map((s) => `${s}: ordersByStatus(status: "${s}", limit: 50) { items { ${ORDER_FIELDS} } }`);
  const result = await client.graphql<GraphQLQuery<Record<Status, { items: Order[] }>>>({
    query: `query Board { ${fields.join('\n')} }`,
  });
  return STATUSES.flatMap((s) => result.data[s]?.items ?? []);
}

/** Every created or changed order, live. Amplify re-establishes the socket by itself after a disruption. */
interface OrderHandlers {
  next: (order: Order) => void;
  error: (message: string) => void;
}

function watchOrders(client: Client, handlers: OrderHandlers): () => void {
  const subscription = client
    .graphql<GraphQLSubscription<{ onOrder: Order }>>({ query: `subscription OnOrder { onOrder { ${ORDER_FIELDS} } }` })
    .subscribe({
      next: ({ data }) => handlers.next(data.onOrder),
      error: (error: unknown) => handlers.error(messageOf(error)),
    });
  return () => subscription.unsubscribe();
}

/** Amplify rejects with `{ errors: [...] }` for GraphQL errors and with an Error for network failures. */
function messageOf(error: unknown): string {
  const errors = (error as { errors?: { message?: string }[] }).errors;
  if (errors?.[0]?.message) return errors[0].message;
  return error instanceof Error ? error.message : String(error);
}
