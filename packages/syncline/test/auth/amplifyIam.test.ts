// The real Amplify JS v6 client with `authMode: 'iam'`: it signs HTTP requests and the realtime handshake and
// starts itself, with credentials from a credentials provider as an app using an identity pool would have.
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { SynclineServer } from '../../src/index.js';
import { startFixture } from '../helpers/server.js';
import { ALICE, SESSION } from './helpers.js';

let server: SynclineServer;
let credentials = ALICE;
const original = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeAll(async () => {
  server = await startFixture('auth-iam');
  const ca = server.devCertificate!.cert;
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WsWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  };
  Amplify.configure(
    { API: { GraphQL: { endpoint: server.endpoints.graphql, region: 'eu-west-1', defaultAuthMode: 'iam' } } },
    {
      Auth: {
        credentialsProvider: {
          getCredentialsAndIdentityId: async () => ({ credentials }),
          clearCredentialsAndIdentityId: () => {},
        },
      },
    },
  );
});

afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = original;
  await server.close();
});

describe('aws-amplify v6 with iam auth', () => {
  it('signs queries the server accepts; unknown credentials get no data', async () => {
    const client = generateClient();
    const result: any = await client.graphql({ query: '{ whoami { mode identity } }' });
    expect(result.data.whoami.mode).toBe('IAM Authorization');
    expect(JSON.parse(result.data.whoami.identity).userArn).toBe('arn:aws:iam::111122223333:user/alice');

    credentials = { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'nope' };
    try {
      // Amplify turns the 403 into a GraphQL error of its own ("Unknown error"): what matters is no data.
      const refused: any = await (client.graphql({ query: '{ whoami { mode } }' }) as Promise<any>).catch(
        (e: unknown) => e,
      );
      expect(refused.errors).toHaveLength(1);
      expect(refused.data?.whoami).toBeUndefined();
    } finally {
      credentials = ALICE;
    }
  });

  it('subscribes over wss:// with a signed handshake and start, and receives a signed mutation', async () => {
    credentials = SESSION;
    const client = generateClient();
    const { Hub } = await import('aws-amplify/utils');
    const acked = new Promise<void>((ok) => {
      const stop = Hub.listen('api', (event: any) => {
        if (event.payload?.event === 'Subscription ack') {
          stop();
          ok();
        }
      });
    });
    const received = new Promise<any>((ok, fail) => {
      const sub = (client.graphql({ query: 'subscription { onPostIamOnly { id text } }' }) as any).subscribe({
        next: (value: any) => {
          sub.unsubscribe();
          ok(value);
        },
        error: fail,
      });
    });
    await acked;
    await client.graphql({ query: 'mutation { post(text: "signed") { id text } }' });
    expect((await received).data.onPostIamOnly.text).toBe('signed');
  });
});
