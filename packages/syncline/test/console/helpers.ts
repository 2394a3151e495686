// Starts the console's fixture app on a port picked first, so its user pool's issuer (the dev server itself)
// can name it; and calls the console API as the SPA does.
import { createServer as createNetServer } from 'node:net';
import { createServer, type ServerOptions, type SynclineServer } from '../../src/index.js';
import { fixtureApp } from '../helpers/server.js';

export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as { port: number };
  await new Promise((ok) => probe.close(ok));
  return port;
}

export async function startConsoleApp(options: Partial<ServerOptions> = {}): Promise<SynclineServer> {
  const port = await freePort();
  process.env.SYNCLINE_TEST_CONSOLE_ISSUER = `http://127.0.0.1:${port}`;
  return createServer({ dir: fixtureApp('console'), port, data: ':memory:', log: 'silent', ...options });
}

export function consoleApi(server: SynclineServer, headers: Record<string, string> = {}) {
  const base = `${server.endpoints.http}/_console/api/`;
  const call = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers, ...extra },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, headers: res.headers, body: json };
  };
  return {
    get: (path: string, extra?: Record<string, string>) => call('GET', path, undefined, extra),
    post: (path: string, body?: unknown, extra?: Record<string, string>) => call('POST', path, body, extra),
  };
}
