// Prometheus metrics at GET /metrics (prom-client), one registry per server. Counters and histograms are fed on
// the request path by the server's observer hooks (server/observe.ts), which only observe: no label objects or
// closures are made per request. Gauges are read at scrape time from each capability's `metrics()` hook and from
// the cluster link, so nothing runs between scrapes.
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Capability, HttpRoute } from '../server/capability.js';
import type { RequestRecord, ServerObserver } from '../server/observe.js';

export const METRICS_PATH = '/metrics';

/** Distinct label sets kept per metric; past it, new ones are counted under `other` so clients cannot grow memory. */
const MAX_SERIES = 500;

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ServerMetrics {
  readonly registry: Registry;
  readonly observer: ServerObserver;
  /** The text format, with every capability's `metrics()` read now. */
  scrape(): Promise<string>;
  invoked(functionName: string, durationMs: number, ok: boolean): void;
  storageCommit(durationMs: number): void;
  streamBatch(functionName: string, shardId: string, iteratorAgeMs: number): void;
}

/** Bounds one label's values: the first MAX_SERIES distinct ones pass, the rest read `other`. */
function bounded(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= MAX_SERIES) return 'other';
    seen.add(value);
    return value;
  };
}

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function createServerMetrics(options: {
  capabilities: () => readonly Capability[];
  cluster: () => { adapter: string; state: string };
}): ServerMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'syncline_requests_total',
    help: 'Requests answered, by API (graphql, dynamodb, dynamodbstreams, http), operation and status code.',
    labelNames: ['api', 'operation', 'status'] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'syncline_request_duration_seconds',
    help: 'Time from a request read to its answer, by API and operation.',
    labelNames: ['api', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const invocations = new Counter({
    name: 'syncline_function_invocations_total',
    help: 'Function invocations finished, by function.',
    labelNames: ['function'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'syncline_function_errors_total',
    help: 'Function invocations that ended in an error (handler error, timeout, crash), by function.',
    labelNames: ['function'] as const,
    registers: [registry],
  });
  const invocationSeconds = new Histogram({
    name: 'syncline_function_duration_seconds',
    help: "Function invocations' run time, by function.",
    labelNames: ['function'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: 'syncline_storage_commit_duration_seconds',
    help: 'Time of each storage commit (SQLite).',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  const iteratorAge = new Gauge({
    name: 'syncline_stream_iterator_age_seconds',
    help: "Stream lag per shard: the age of the last record of the batch last delivered to a function (Lambda's IteratorAge).",
    labelNames: ['function', 'shard'] as const,
    registers: [registry],
  });
  // Per-capability numbers from each `metrics()` hook, as gauges `syncline_<capability>_<name>`.
  const capabilityGauges = new Map<string, Gauge>();
  new Gauge({
    name: 'syncline_cluster_broker_connected',
    help: 'Whether the cluster fan-out broker is connected (1) or not (0); always 1 for the in-process default.',
    labelNames: ['adapter', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const { adapter, state } = options.cluster();
      this.set({ adapter, state }, state === 'connected' ? 1 : 0);
    },
  });
  new Gauge({ name: 'syncline_up', help: 'Always 1 while the server answers.', registers: [registry] }).set(1);
  // Registered before the registry is read (a gauge made inside another's collect would miss that scrape).
  const collectCapabilities = () => {
    for (const capability of options.capabilities()) {
      if (!capability.metrics) continue;
      for (const [key, value] of Object.entries(capability.metrics())) {
        const name = `syncline_${snake(capability.name)}_${snake(key)}`;
        let gauge = capabilityGauges.get(name);
        if (!gauge) {
          gauge = new Gauge({ name, help: `The ${capability.name} capability's ${key}.`, registers: [registry] });
          capabilityGauges.set(name, gauge);
        }
        gauge.set(value);
      }
    }
  };

  const operationLabel = bounded();
  const functionLabel = bounded();
  const shardLabel = bounded();
  // The children for one label set, kept: prom-client hashes the label values on every `labels()` call, which is
  // most of an observation's cost on the request path. Bounded like the labels themselves.
  type RequestChildren = { count: { inc(): void }; seconds: { observe(v: number): void } };
  const requestChildren = new Map<string, RequestChildren>();
  const childrenOf = (api: string, operation: string, status: number): RequestChildren => {
    const key = `${api}\u0000${operation}\u0000${status}`;
    let children = requestChildren.get(key);
    if (!children) {
      children = {
        count: requests.labels(api, operation, String(status)),
        seconds: requestSeconds.labels(api, operation),
      };
      if (requestChildren.size < 5_000) requestChildren.set(key, children);
    }
    return children;
  };
  return {
    registry,
    scrape: () => {
      collectCapabilities();
      return registry.metrics();
    },
    observer: {
      request(r: RequestRecord) {
        const children = childrenOf(r.api, operationLabel(r.operation), r.status);
        children.count.inc();
        children.seconds.observe(r.durationMs / 1000);
      },
    },
    invoked(name, durationMs, ok) {
      const fn = functionLabel(name);
      invocations.labels(fn).inc();
      if (!ok) errors.labels(fn).inc();
      invocationSeconds.labels(fn).observe(durationMs / 1000);
    },
    storageCommit(durationMs) {
      commitSeconds.observe(durationMs / 1000);
    },
    streamBatch(name, shardId, ageMs) {
      iteratorAge.labels(functionLabel(name), shardLabel(shardId)).set(Math.max(0, ageMs) / 1000);
    },
  };
}

/**
 * GET /metrics in the Prometheus text format. `allowed` decides per request (dev: everyone; start: operator
 * credentials or `--metrics`, see docs/security.md); refused requests get 403 and no numbers.
 */
export function metricsCapability(
  metrics: ServerMetrics,
  allowed: (headers: Record<string, unknown>) => boolean,
): Capability {
  const route: HttpRoute = {
    matches: (r) => (r.method === 'GET' || r.method === 'HEAD') && r.path === METRICS_PATH,
    serve(req, res) {
      if (!allowed(req.headers)) {
        send(
          res,
          403,
          'application/json',
          JSON.stringify({
            errorType: 'AccessDeniedException',
            message: 'The metrics need operator credentials or --metrics (docs/security.md).',
          }),
        );
        return;
      }
      void metrics.scrape().then(
        (text) => send(res, 200, metrics.registry.contentType, req.method === 'HEAD' ? '' : text),
        (error: Error) =>
          send(res, 500, 'application/json', JSON.stringify({ errorType: 'InternalFailure', message: error.message })),
      );
    },
  };
  return { name: 'metrics', routes: [route] };
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
