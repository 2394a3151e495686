// Health as a capability: `GET /health` answers while the process serves (liveness); `GET /ready` asks every
// capability's health hook — storage reachable, pub/sub broker connected, functions mounted — and answers 200
// only when all are ready, 503 otherwise, naming the ones that are not (docs/architecture.md).
import type { ServerResponse } from 'node:http';
import type { Capability, HealthCheck } from '../server/capability.js';

export const HEALTH_PATH = '/health';
export const READY_PATH = '/ready';

interface ReadyReport {
  status: 'ready' | 'not ready';
  checks: Record<string, HealthCheck & { metrics?: Record<string, number> }>;
}

/** `capabilities`: the server's list, read per request, so every capability is asked, this one's peers included. */
export function healthCapability(capabilities: () => readonly Capability[]): Capability {
  return {
    name: 'health',
    routes: [
      {
        matches: (r) =>
          (r.method === 'GET' || r.method === 'HEAD') && (r.path === HEALTH_PATH || r.path === READY_PATH),
        serve(req, res, path) {
          if (path === HEALTH_PATH) {
            send(res, req.method === 'HEAD', 200, { status: 'ok' });
            return;
          }
          void ready(capabilities()).then((report) =>
            send(res, req.method === 'HEAD', report.status === 'ready' ? 200 : 503, report),
          );
        },
      },
    ],
  };
}

async function ready(capabilities: readonly Capability[]): Promise<ReadyReport> {
  const checks: ReadyReport['checks'] = {};
  let all = true;
  for (const capability of capabilities) {
    if (!capability.health && !capability.metrics) continue;
    let check: HealthCheck = { ready: true };
    try {
      if (capability.health) check = await capability.health();
    } catch (error) {
      // A failing check is the answer, not a server error: the client asked whether we are ready.
      check = { ready: false, detail: (error as Error).message };
    }
    all &&= check.ready;
    checks[capability.name] = { ...check, ...(capability.metrics ? { metrics: capability.metrics() } : {}) };
  }
  return { status: all ? 'ready' : 'not ready', checks };
}

function send(res: ServerResponse, head: boolean, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}
