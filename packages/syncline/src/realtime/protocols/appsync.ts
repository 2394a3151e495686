// AppSync's realtime protocol (subprotocol `graphql-ws`, not to be confused with the graphql-ws library):
//   C→S connection_init · start{id, payload{data: "<JSON {query,variables}>", extensions{authorization}}} · stop{id}
//   S→C connection_ack{payload{connectionTimeoutMs}} · ka · start_ack · data · error · complete · connection_error
// The connection is authorized by its handshake header object, every `start` by its own. See docs/realtime.md.

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { connectRequest } from '../../auth/authenticate.js';
import { BoundedSocket, type SendBudget } from '../backpressure.js';
import type { HandshakeAuth } from '../handshake.js';
import type { SubscriptionHandle, SubscriptionHub } from '../hub.js';
import { type ConnectionListing, listSubscriptions } from '../listing.js';
import { normalizeHeaders, type OperationEnv, runOperation, type WireError } from '../operations.js';
import type { RealtimeSettings } from '../settings.js';
import { FrameSink } from './frameSink.js';

export const APPSYNC_SUBPROTOCOL = 'graphql-ws';

const KA = '{"type":"ka"}';
const UNAUTHORIZED: WireError = {
  errorType: 'UnauthorizedException',
  message: 'You are not authorized to make this call.',
  errorCode: 401,
};

type Pending = { readonly pending: true };

interface Shared {
  env: OperationEnv;
  hub: SubscriptionHub;
  settings: RealtimeSettings;
  log: Logger;
  budget: SendBudget;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function errorFrame(id: string | undefined, errors: WireError[]): string {
  return JSON.stringify(
    id === undefined ? { type: 'error', payload: { errors } } : { type: 'error', id, payload: { errors } },
  );
}

class AppSyncConnection {
  readonly subscriptions = new Map<string, SubscriptionHandle | Pending>();
  acked = false;
  readonly openedAt = Date.now();
  readonly id = randomUUID();
  /** The auth mode connection_init was accepted with. */
  authMode: string | undefined;

  constructor(
    readonly ws: WebSocket,
    private readonly shared: Shared,
    private readonly handshake: HandshakeAuth,
  ) {
    this.out = new BoundedSocket(ws, shared.budget);
  }

  private readonly out: BoundedSocket;

  send(text: string): void {
    this.out.send(text);
  }

  onMessage(text: string) {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.send(errorFrame(undefined, [{ errorType: 'BadRequestException', message: 'Frames must be JSON objects.' }]));
      return;
    }
    if (!isObject(message) || typeof message.type !== 'string') {
      this.send(
        errorFrame(undefined, [{ errorType: 'BadRequestException', message: 'Frames must have a string type.' }]),
      );
      return;
    }
    const id = typeof message.id === 'string' ? message.id : undefined;
    switch (message.type) {
      case 'connection_init':
        return this.init();
      case 'start':
        // AppSync ignores everything a client sends before it was acknowledged.
        if (this.acked) void this.start(id, message.payload);
        return;
      case 'stop':
        if (this.acked) this.stop(id);
        return;
      default:
        this.send(
          errorFrame(id, [
            {
              errorType: 'UnsupportedOperation',
              message: `${message.type} not supported through the realtime channel`,
            },
          ]),
        );
    }
  }

  private init() {
    // Synchronous for API keys and signatures, so a start pipelined right behind connection_init still counts.
    const verdict = this.handshake.ok ? this.authorized(this.handshake.headers) : false;
    if (verdict instanceof Promise) void verdict.then((ok) => this.initialized(ok));
    else this.initialized(verdict);
  }

  private initialized(ok: boolean) {
    if (!ok) {
      this.send(JSON.stringify({ type: 'connection_error', payload: { errors: [UNAUTHORIZED] } }));
      this.ws.close(1000, 'UnauthorizedException');
      return;
    }
    if (this.acked) return;
    this.acked = true;
    this.send(
      JSON.stringify({
        type: 'connection_ack',
        payload: { connectionTimeoutMs: this.shared.settings.connectionTimeoutMs },
      }),
    );
    this.send(KA);
  }

  private authorized(headers: Record<string, string>): boolean | Promise<boolean> {
    const api = this.shared.env.api();
    if (!api) return false;
    const refused = (error: unknown) => {
      this.shared.log.debug({ err: error }, 'realtime connection refused');
      return false;
    };
    try {
      const auth = api.authenticate(connectRequest(headers));
      const accepted = (result: { mode: string }) => {
        this.authMode = result.mode;
        return true;
      };
      return auth instanceof Promise ? auth.then(accepted, refused) : accepted(auth);
    } catch (error) {
      return refused(error);
    }
  }

  private async start(id: string | undefined, payload: unknown) {
    if (!id) {
      this.send(errorFrame(undefined, [{ errorType: 'BadRequestException', message: 'A start message needs an id.' }]));
      return;
    }
    if (this.subscriptions.has(id)) {
      this.send(
        errorFrame(id, [{ errorType: 'DuplicatedOperationError', message: `Duplicated operation with id ${id}` }]),
      );
      return;
    }
    const max = this.shared.settings.maxSubscriptionsPerConnection;
    if (this.subscriptions.size >= max) {
      this.send(
        errorFrame(id, [
          { errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${max} subscriptions reached` },
        ]),
      );
      return;
    }
    const request = parseStartPayload(payload);
    if ('error' in request) {
      this.send(errorFrame(id, [{ errorType: 'BadRequestException', message: request.error }]));
      return;
    }
    const authorization =
      isObject(payload) && isObject(payload.extensions) ? payload.extensions.authorization : undefined;
    const headers = isObject(authorization)
      ? normalizeHeaders(authorization)
      : this.handshake.ok
        ? this.handshake.headers
        : {};

    const pending: Pending = { pending: true };
    this.subscriptions.set(id, pending);
    let outcome: Awaited<ReturnType<typeof runOperation>>;
    try {
      outcome = await runOperation(this.shared.env, request, headers, {
        subscriptionsOnly: true,
        signedBody: (payload as { data: string }).data,
      });
    } catch (error) {
      this.shared.log.error({ err: error }, 'subscription start failed');
      outcome = {
        kind: 'rejected',
        reason: 'invalid',
        errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }],
      };
    }
    // A stop (or a closed socket) while the start was running cancels it.
    if (this.subscriptions.get(id) !== pending) return;
    if (outcome.kind !== 'subscription') {
      this.subscriptions.delete(id);
      this.send(errorFrame(id, outcome.kind === 'rejected' ? outcome.errors : []));
      return;
    }
    const prefix = `{"type":"data","id":${JSON.stringify(id)},"payload":`;
    this.subscriptions.set(id, this.shared.hub.subscribe(outcome.registration, new FrameSink(this, id, prefix)));
    this.send(JSON.stringify({ type: 'start_ack', id }));
  }

  private stop(id: string | undefined) {
    const entry = id === undefined ? undefined : this.subscriptions.get(id);
    if (!entry) {
      this.send(errorFrame(id, [{ errorType: 'UnknownOperationError', message: `Unknown operation id ${id}` }]));
      return;
    }
    this.subscriptions.delete(id!);
    if ('unsubscribe' in entry) entry.unsubscribe();
    this.send(JSON.stringify({ type: 'complete', id }));
  }

  invalidated(id: string) {
    this.subscriptions.delete(id);
    this.send(JSON.stringify({ type: 'complete', id, payload: { message: 'Subscription complete.' } }));
    this.ws.close(1000, 'Subscription invalidated');
  }

  closed() {
    for (const entry of this.subscriptions.values()) if ('unsubscribe' in entry) entry.unsubscribe();
    this.subscriptions.clear();
  }
}

function parseStartPayload(
  payload: unknown,
): { query: string; variables: Record<string, unknown> | null; operationName: string | null } | { error: string } {
  if (!isObject(payload) || typeof payload.data !== 'string') {
    return { error: 'start.payload.data must be a string holding the JSON of {query, variables}.' };
  }
  let data: unknown;
  try {
    data = JSON.parse(payload.data);
  } catch {
    return { error: 'start.payload.data is not valid JSON.' };
  }
  if (!isObject(data) || typeof data.query !== 'string')
    return { error: 'start.payload.data must hold a query string.' };
  if (data.variables != null && !isObject(data.variables)) return { error: 'variables must be a JSON object.' };
  if (data.operationName != null && typeof data.operationName !== 'string')
    return { error: 'operationName must be a string.' };
  return {
    query: data.query,
    variables: (data.variables as Record<string, unknown> | undefined) ?? null,
    operationName: (data.operationName as string | undefined) ?? null,
  };
}

/** All AppSync-protocol connections of one server, with the shared keep-alive and lifetime sweep. */
export class AppSyncProtocol {
  private readonly connections = new Set<AppSyncConnection>();

  constructor(private readonly shared: Shared) {}

  accept(ws: WebSocket, handshake: HandshakeAuth): void {
    const connection = new AppSyncConnection(ws, this.shared, handshake);
    this.connections.add(connection);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        connection.send(errorFrame(undefined, [{ errorType: 'BadRequestException', message: 'Frames must be text.' }]));
        return;
      }
      connection.onMessage(data.toString());
    });
    ws.on('close', () => {
      this.connections.delete(connection);
      connection.closed();
    });
    ws.on('error', (error) => this.shared.log.debug({ err: error }, 'realtime socket error'));
  }

  /** Runs every keep-alive interval: `ka` to acknowledged connections, closes expired and never-initialized ones. */
  tick(now: number): void {
    const { lifetimeMs, connectionTimeoutMs } = this.shared.settings;
    for (const c of this.connections) {
      const age = now - c.openedAt;
      if (age >= lifetimeMs) c.ws.close(1000, 'Connection lifetime exceeded');
      else if (!c.acked && age >= connectionTimeoutMs)
        c.ws.close(1000, 'Connection timed out waiting for connection_init');
      else if (c.acked) c.send(KA);
    }
  }

  get size(): number {
    return this.connections.size;
  }

  list(): ConnectionListing[] {
    return [...this.connections].map((c) => ({
      id: c.id,
      protocol: 'appsync',
      connectedAt: c.openedAt,
      auth: c.authMode ? { mode: c.authMode } : null,
      subscriptions: listSubscriptions(c.subscriptions),
    }));
  }

  terminateAll(): void {
    for (const c of this.connections) c.ws.terminate();
  }
}
