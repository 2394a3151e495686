// POST /orders: validates the order form and writes the order. The table's stream takes it from there.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE!;
const TTL_SECONDS = Number(process.env.ORDER_TTL_SECONDS ?? 24 * 60 * 60);

interface HttpEvent {
  body?: string;
  isBase64Encoded?: boolean;
}

type FieldErrors = Record<string, string>;

function validate(input: Record<string, unknown>): FieldErrors {
  const errors: FieldErrors = {};
  if (typeof input.item !== 'string' || !input.item.trim()) errors.item = 'Enter an item.';
  else if (input.item.length > 60) errors.item = 'At most 60 characters.';
  if (!Number.isInteger(input.quantity) || (input.quantity as number) < 1 || (input.quantity as number) > 99) {
    errors.quantity = 'A whole number from 1 to 99.';
  }
  if (typeof input.customer !== 'string' || !input.customer.trim()) errors.customer = 'Enter a name.';
  else if (input.customer.length > 60) errors.customer = 'At most 60 characters.';
  if (input.ttlSeconds !== undefined && (!Number.isInteger(input.ttlSeconds) || (input.ttlSeconds as number) < 1)) {
    errors.ttlSeconds = 'A whole number of seconds.';
  }
  return errors;
}

const json = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export async function handler(event: HttpEvent) {
  let input: Record<string, unknown>;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString() : (event.body ?? '');
    input = JSON.parse(text);
  } catch {
    return json(400, { message: 'The body must be JSON.', errors: {} });
  }
  const errors = validate(input ?? {});
  if (Object.keys(errors).length) return json(400, { message: 'Please fix the highlighted fields.', errors });

  const now = new Date();
  const order = {
    id: randomUUID(),
    item: (input.item as string).trim(),
    quantity: input.quantity as number,
    customer: (input.customer as string).trim(),
    status: 'PENDING',
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + ((input.ttlSeconds as number | undefined) ?? TTL_SECONDS),
  };
  await db.send(new PutCommand({ TableName: TABLE, Item: order, ConditionExpression: 'attribute_not_exists(id)' }));
  return json(201, order);
}
