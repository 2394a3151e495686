// The graphql-ws library's protocol (subprotocol `graphql-transport-ws`), on the same paths as AppSync's:
//   C→S connection_init{payload?} · subscribe{id, payload{query, variables?, operationName?}} · complete{id} · ping · pong
//   S→C connection_ack · next{id, payload} · error{id, payload: errors[]} · complete{id} · ping · pong
// Protocol violations close the socket with the library's codes (4400 bad message, 4401 unauthorized, 4403
// forbidden, 4408 init timeout, 4409 duplicate id, 4429 repeated init). Clients authenticate with AppSync's
// headers, sent as the connection_init payload (`{ 'x-api-key': ... }`) or on the upgrade request.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { connectRequest } from '../../auth/authenticate.js';
import { BoundedSocket, type SendBudget } from '../backpressure.js';
import type { SubscriptionHandle, SubscriptionHub } from '../hub.js';
import { type ConnectionListing, listSubscriptions } from '../listing.js';
import {
  normalizeHeaders,
  type OperationEnv,
  type OperationRequest,
  runOperation,
  type WireError,
} from '../operations.js';
import type { RealtimeSettings } from '../settings.js';
import { FrameSink } from './frameSink.js';

export const GRAPHQL_TRANSPORT_WS_SUBPROTOCOL = 'graphql-transport-ws';

export const CloseCode = {
  BadRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  ConnectionInitialisationTimeout: 4408,
  SubscriberAlreadyExists: 4409,
  TooManyInitialisationRequests: 4429,
} as const;

interface Shared {
  env: OperationEnv;
  hub: SubscriptionHub;
  settings: RealtimeSettings;
  log: Logger;
  budget: SendBudget;
}

type Pending = { readonly pending: true };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class TransportWsConnection {
  readonly subscriptions = new Map<string, SubscriptionHandle | Pending>();
  readonly openedAt = Date.now();
  readonly id = randomUUID();
  /** The auth mode connection_init was accepted with. */
  authMode: string | undefined;
  private initialized = false;
  private headers: Record<string, string> | undefined;
  private readonly initTimer: NodeJS.Timeout;
  private readonly out: BoundedSocket;

  constructor(
    readonly ws: WebSocket,
    private readonly shared: Shared,
    private readonly upgradeHeaders: Record<string, string>,
  ) {
    this.out = new BoundedSocket(ws, shared.budget);
    this.initTimer = setTimeout(() => {
      if (!this.initialized) ws.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, shared.settings.connectionInitWaitMs);
    this.initTimer.unref();
  }

  send(text: string): void {
    this.out.send(text);
  }

  onMessage(text: string) {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.ws.close(CloseCode.BadRequest, 'Invalid message received');
    }
    if (!isObject(message) || typeof message.type !== 'string') {
      return this.ws.close(CloseCode.BadRequest, 'Invalid message received');
    }
    switch (message.type) {
      case 'connection_init':
        return this.init(message.payload);
      case 'ping':
        return this.send(
          message.payload === undefined
            ? '{"type":"pong"}'
            : JSON.stringify({ type: 'pong', payload: message.payload }),
        );
      case 'pong':
        return;
      case 'subscribe':
        return void this.subscribe(message);
      case 'complete':
        if (typeof message.id !== 'string') return this.ws.close(CloseCode.BadRequest, 'Invalid message received');
        return this.complete(message.id);
      default:
        this.ws.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  private init(payload: unknown) {
    if (this.initialized)
      return this.ws.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
    this.initialized = true;
    clearTimeout(this.initTimer);
    if (payload != null && !isObject(payload)) return this.ws.close(CloseCode.BadRequest, 'Invalid message received');
    const headers = { ...this.upgradeHeaders, ...normalizeHeaders(payload as Record<string, unknown> | undefined) };
    const api = this.shared.env.api();
    const forbidden = () => this.ws.close(CloseCode.Forbidden, 'Forbidden');
    const accepted = (result: { mode: string }) => {
      this.authMode = result.mode;
      this.headers = headers;
      this.send('{"type":"connection_ack"}');
    };
    try {
      if (!api) throw new Error('no API');
      // JWT and Lambda checks are async; API keys and signatures answer at once, as before.
      const auth = api.authenticate(connectRequest(headers));
      if (auth instanceof Promise) auth.then(accepted, forbidden);
      else accepted(auth);
    } catch {
      forbidden();
    }
  }

  private async subscribe(message: Record<string, unknown>) {
    if (!this.headers) return this.ws.close(CloseCode.Unauthorized, 'Unauthorized');
    const { id, payload } = message;
    if (typeof id !== 'string' || id === '' || !isObject(payload) || typeof payload.query !== 'string') {
      return this.ws.close(CloseCode.BadRequest, 'Invalid message received');
    }
    if (
      (payload.variables != null && !isObject(payload.variables)) ||
      (payload.operationName != null && typeof payload.operationName !== 'string')
    ) {
      return this.ws.close(CloseCode.BadRequest, 'Invalid message received');
    }
    if (this.subscriptions.has(id))
      return this.ws.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
    const max = this.shared.settings.maxSubscriptionsPerConnection;
    if (this.subscriptions.size >= max) {
      this.send(
        JSON.stringify({
          id,
          type: 'error',
          payload: [
            { errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${max} subscriptions reached` },
          ],
        }),
      );
      return;
    }
    const request: OperationRequest = {
      query: payload.query,
      variables: (payload.variables as Record<string, unknown> | undefined) ?? null,
      operationName: (payload.operationName as string | undefined) ?? null,
    };
    const extensions = isObject(payload.extensions) ? payload.extensions : undefined;
    const headers = isObject(extensions?.authorization) ? normalizeHeaders(extensions.authorization) : this.headers;

    const pending: Pending = { pending: true };
    this.subscriptions.set(id, pending);
    let outcome: Awaited<ReturnType<typeof runOperation>>;
    try {
      outcome = await runOperation(this.shared.env, request, headers, { subscriptionsOnly: false });
    } catch (error) {
      this.shared.log.error({ err: error }, 'graphql-transport-ws operation failed');
      outcome = {
        kind: 'rejected',
        reason: 'invalid',
        errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }],
      };
    }
    if (this.subscriptions.get(id) !== pending) return;
    switch (outcome.kind) {
      case 'rejected':
        this.subscriptions.delete(id);
        this.send(JSON.stringify({ id, type: 'error', payload: outcome.errors satisfies WireError[] }));
        return;
      case 'result':
        this.subscriptions.delete(id);
        this.send(JSON.stringify({ id, type: 'next', payload: outcome.result }));
        this.send(JSON.stringify({ id, type: 'complete' }));
        return;
      case 'subscription': {
        const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
        this.subscriptions.set(id, this.shared.hub.subscribe(outcome.registration, new FrameSink(this, id, prefix)));
      }
    }
  }

  private complete(id: string) {
    const entry = this.subscriptions.get(id);
    if (!entry) return;
    this.subscriptions.delete(id);
    if ('unsubscribe' in entry) entry.unsubscribe();
  }

  invalidated(id: string) {
    this.subscriptions.delete(id);
    this.send(JSON.stringify({ id, type: 'complete' }));
    this.ws.close(1000, 'Subscription invalidated');
  }

  closed() {
    clearTimeout(this.initTimer);
    for (const entry of this.subscriptions.values()) if ('unsubscribe' in entry) entry.unsubscribe();
    this.subscriptions.clear();
  }
}

export class GraphqlTransportWsProtocol {
  private readonly connections = new Set<TransportWsConnection>();

  constructor(private readonly shared: Shared) {}

  accept(ws: WebSocket, req: IncomingMessage): void {
    const connection = new TransportWsConnection(ws, this.shared, normalizeHeaders(req.headers));
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(CloseCode.BadRequest, 'Invalid message received');
      connection.onMessage(data.toString());
    });
    ws.on('close', () => {
      this.connections.delete(connection);
      connection.closed();
    });
    ws.on('error', (error) => this.shared.log.debug({ err: error }, 'graphql-transport-ws socket error'));
  }

  /** Closes connections past AppSync's lifetime; this protocol's keep-alive is the client's ping. */
  tick(now: number): void {
    for (const c of this.connections) {
      if (now - c.openedAt >= this.shared.settings.lifetimeMs) c.ws.close(1000, 'Connection lifetime exceeded');
    }
  }

  get size(): number {
    return this.connections.size;
  }

  list(): ConnectionListing[] {
    return [...this.connections].map((c) => ({
      id: c.id,
      protocol: 'graphql-transport-ws',
      connectedAt: c.openedAt,
      auth: c.authMode ? { mode: c.authMode } : null,
      subscriptions: listSubscriptions(c.subscriptions),
    }));
  }

  terminateAll(): void {
    for (const c of this.connections) c.ws.terminate();
  }
}
