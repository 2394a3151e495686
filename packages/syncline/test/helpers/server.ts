import { fileURLToPath } from 'node:url';
import { createServer, type SynclineServer } from '../../src/index.js';

export const fixtureApp = (name: string) => fileURLToPath(new URL(`../fixtures/apps/${name}`, import.meta.url));

export async function startFixture(name: string): Promise<SynclineServer> {
  return createServer({ dir: fixtureApp(name), port: 0, data: ':memory:', log: 'silent' });
}

export interface GraphqlResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function gql(
  server: SynclineServer,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = { 'x-api-key': server.apiKey! },
): Promise<GraphqlResponse> {
  const res = await fetch(server.endpoints.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}
