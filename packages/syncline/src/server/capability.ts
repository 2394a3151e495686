// The shape every capability takes (docs/decisions/0008-capabilities.md): what it offers the server — HTTP
// routes, AWS JSON APIs by X-Amz-Target prefix, WebSocket upgrade paths — and its lifecycle. The server composes
// a list of these onto its listeners; it knows no capability by name.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { AppModel } from '../app/model.js';
import type { RequestScope } from '../auth/awsRequestScope.js';
import type { JournalWriter } from '../trace/journal.js';
import type { Journal } from '../trace/types.js';
import type { FastRoute } from './fastHttp/connection.js';
import type { ServerObserver } from './observe.js';

/** What both listener paths know of a request before routing it: enough to decide, nothing parsed further. */
export interface RouteRequest {
  method: string;
  /** The URL's path, without the query string. */
  path: string;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** One HTTP route. The server tries routes in the capability list's order; the first that matches serves. */
export interface HttpRoute {
  /** Whether this route serves the request; asked by node:http's router and the fast path's alike. */
  matches(request: RouteRequest): boolean;
  /**
   * Serves the request node:http parsed. `false` means it was not this route's after all (the web folder has no
   * such file) and the next route is tried; only routes without `fast` may decline.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most routes return nothing; declining is the exception.
  serve(req: IncomingMessage, res: ServerResponse, path: string): void | boolean;
  /** The same service for the fast path (decision 0006); absent: the request goes to node:http. */
  fast?: FastRoute;
  /**
   * The route answers CORS itself (function routes, under http.cors). Such routes are tried before the server's
   * AppSync-style CORS answer; every other route gets that answer and never sees an OPTIONS preflight.
   */
  ownsCors?: boolean;
}

/** An AWS JSON 1.0 API (DynamoDB, DynamoDB Streams; next Kinesis, SQS, EventBridge) served at `POST /`. */
export interface AwsJsonService {
  /** The X-Amz-Target prefix, with its dot: `DynamoDB_20120810.`. */
  targetPrefix: string;
  /** The SigV4 service name its clients sign with. */
  signingName: string;
  /** Larger bodies are refused with `tooLarge`, status 413. */
  maxBody: number;
  tooLarge: { __type: string; message: string };
  /** The IAM actions and resources one request needs (auth/awsRequestScope.ts), for the door's policy check. */
  scope(operation: string, body: unknown): RequestScope[];
  /** Serves one authorized request; answers synchronously where it can (the fast path's speed depends on it). */
  handle(target: string, body: Buffer): AwsJsonResponse | Promise<AwsJsonResponse>;
}

export interface AwsJsonResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A WebSocket endpoint: the upgrade dispatcher hands it the upgrades for its paths. */
export interface UpgradeRoute {
  /** Paths after normalisation (repeated slashes folded, trailing slash dropped). */
  paths: readonly string[];
  /** The subprotocols it speaks; among routes sharing a path, the one speaking an offered subprotocol wins. */
  subprotocols: readonly string[];
  /** False while it cannot serve (no GraphQL API loaded): the upgrade is refused with 404. */
  enabled(): boolean;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** A capability's say on /ready. */
export interface HealthCheck {
  ready: boolean;
  detail?: string;
}

/** A reload in two steps: every capability prepares, then all commit — or, if one fails, all prepared abort. */
export interface ReloadStep {
  /** Makes the prepared version current. Must not fail: everything that can fail belongs in `reload`. */
  commit(): void | Promise<void>;
  /** Releases what was prepared, after another capability's `reload` failed. */
  abort?(): void | Promise<void>;
  /** Releases the version replaced, once every capability has committed. */
  retire?(): void | Promise<void>;
}

export interface Endpoints {
  graphql: string;
  realtime?: string;
  http: string;
  dynamodb?: string;
}

/** What every capability may use: the server's settings and the app as currently loaded. */
export interface ServerContext {
  readonly dir: string;
  /** Data folder, or ':memory:'. */
  readonly data: string;
  readonly log: Logger;
  /** The app version being served (swapped by reload before capabilities commit). */
  app(): AppModel;
  /** The server's URLs; known once it listens (functions' environments reference them). */
  endpoints(): Endpoints;
  /** Told of each answered request (metrics, access log); absent: nobody listens. */
  readonly observe?: ServerObserver;
  /** Told of each finished function invocation (metrics). */
  readonly onInvoked?: (functionName: string, durationMs: number, ok: boolean) => void;
  /** Told, before a stream batch is delivered to a function, how old its last record is (metrics). */
  readonly onStreamBatch?: (functionName: string, shardId: string, iteratorAgeMs: number) => void;
  /** Recent traces, invocations and stream deliveries (trace/journal.ts): recorded by the hooks, read by the console. */
  readonly journal: JournalWriter & Journal;
}

export interface Capability {
  readonly name: string;
  /** HTTP routes, in precedence order. */
  readonly routes?: readonly HttpRoute[];
  /** AWS JSON APIs served by the server's one dispatcher (door auth and error shapes live there). */
  readonly awsJsonApis?: readonly AwsJsonService[];
  readonly upgrades?: readonly UpgradeRoute[];
  /**
   * Opens what the capability owns. If it or a later one fails, `close` is called (in reverse order), so `close`
   * must cope with a start that stopped half-way.
   */
  start?(): void | Promise<void>;
  /** Runs once the server listens (e.g. starting what invokes functions, whose environment names the URLs). */
  listening?(): void | Promise<void>;
  /** Prepares the next app version; the server commits or aborts every capability's step together. */
  reload?(next: AppModel): ReloadStep | undefined | Promise<ReloadStep | undefined>;
  close?(): void | Promise<void>;
  health?(): HealthCheck | Promise<HealthCheck>;
  metrics?(): Record<string, number>;
}
