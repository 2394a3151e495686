// A thin HTTP front for the table engine so tests speak to it with the real AWS SDK clients.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createTableEngine,
  handleDynamoDBRequest,
  openSqliteStorage,
  type TableEngine,
  type TableEngineOptions,
} from '../../src/tables/index.js';
import type { Storage } from '../../src/tables/storage/port.js';

export interface Harness {
  endpoint: string;
  engine: TableEngine;
  storage: Storage;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startHarness(
  location = ':memory:',
  storage?: Storage,
  options: Partial<TableEngineOptions> = {},
): Promise<Harness> {
  const store = storage ?? openSqliteStorage(location);
  const engine = createTableEngine({ storage: store, region: 'us-east-1', accountId: '123456789012', ...options });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      Promise.resolve(
        handleDynamoDBRequest(engine, target, Buffer.concat(chunks), {
          onInternalError: (e) => console.error(e),
        }),
      ).then((r) => {
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client);
  return {
    endpoint,
    engine,
    storage: store,
    client,
    doc,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

/** Sends a raw JSON 1.0 request (for inputs the SDK would refuse to serialize). */
export async function rawRequest(
  endpoint: string,
  action: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** Runs `fn` and returns the AWS error it raised (name and message), failing if it succeeded. */
export async function awsError(fn: () => Promise<unknown>): Promise<{ name: string; message: string; error: any }> {
  try {
    await fn();
  } catch (error: any) {
    return { name: error.name, message: error.message, error };
  }
  throw new Error('expected the call to fail');
}
