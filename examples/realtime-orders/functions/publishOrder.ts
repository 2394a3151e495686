// The Orders stream → GraphQL: each change becomes a publish mutation on a NONE data source, which AppSync (and
// Syncline) fans out to every subscriber of onOrder. Calls are signed with SigV4 from the function's own
// credentials, exactly as on AWS, because the publish mutations are @aws_iam only.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: { NewImage?: Image; OldImage?: Image; SequenceNumber: string };
}
type Image = Record<string, { S?: string; N?: string }>;

const url = new URL(process.env.GRAPHQL_URL!);
const signer = new SignatureV4({
  service: 'appsync',
  region: process.env.AWS_REGION!,
  sha256: Sha256,
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY!,
    sessionToken: process.env.AWS_SESSION_TOKEN,
  },
});

const FIELDS = 'id item quantity customer status createdAt expiresAt removed';
const PUBLISH = `mutation Publish($order: OrderInput!) { publishOrder(order: $order) { ${FIELDS} } }`;
const REMOVED = `mutation Removed($order: OrderInput!) { publishOrderRemoved(order: $order) { ${FIELDS} } }`;

function toOrder(image: Image) {
  return {
    id: image.id.S!,
    item: image.item.S!,
    quantity: Number(image.quantity.N),
    customer: image.customer.S!,
    status: image.status.S!,
    createdAt: image.createdAt.S!,
    expiresAt: image.expiresAt?.N ? Number(image.expiresAt.N) : null,
  };
}

async function graphql(query: string, variables: Record<string, unknown>) {
  const body = JSON.stringify({ query, variables });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  });
  const res = await fetch(url, { method: 'POST', headers: signed.headers, body });
  const result = (await res.json()) as { errors?: { message: string }[] };
  if (!res.ok || result.errors?.length) {
    throw new Error(`GraphQL ${res.status}: ${result.errors?.map((e) => e.message).join('; ') ?? 'no body'}`);
  }
}

export async function handler(event: { Records: StreamRecord[] }) {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      if (record.eventName === 'REMOVE') {
        await graphql(REMOVED, { order: toOrder(record.dynamodb.OldImage!) });
      } else {
        await graphql(PUBLISH, { order: toOrder(record.dynamodb.NewImage!) });
      }
    } catch (error) {
      console.error(`publishing ${record.eventID} failed: ${(error as Error).message}`);
      // Records of one key must stay in order: stop at the first failure and let Lambda retry from here. DynamoDB
      // streams name a record by its SequenceNumber (an unknown identifier would fail the whole batch).
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber });
      break;
    }
  }
  return { batchItemFailures };
}
