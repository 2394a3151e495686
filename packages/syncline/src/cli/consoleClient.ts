// The console API as the CLI's `logs` and `tables` commands call it: a running server's /_console/api/, at
// --endpoint (default the dev server's address). Against `start --console` the operator's key is sent as HTTP
// Basic from SYNCLINE_ACCESS_KEY_ID / SYNCLINE_SECRET_ACCESS_KEY, the variables `start` reads it from.
import { ACCESS_KEY_ENV, SECRET_KEY_ENV } from '../auth/operatorCredentials.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4000';

/** A failure the command prints as one line and exits non-zero on. */
export class ClientError extends Error {}

export interface ConsoleClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
}

export function consoleClient(endpoint: string, env: NodeJS.ProcessEnv = process.env): ConsoleClient {
  let base: URL;
  try {
    base = new URL('/_console/api/', endpoint);
  } catch {
    throw new ClientError(`--endpoint is not a URL: ${endpoint}`);
  }
  const id = env[ACCESS_KEY_ENV];
  const secret = env[SECRET_KEY_ENV];
  const auth: Record<string, string> =
    id && secret ? { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` } : {};
  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    let res: Response;
    try {
      res = await fetch(new URL(path, base), {
        method,
        headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ClientError(
        `cannot reach the server at ${endpoint} (${cause?.code ?? cause?.message ?? (error as Error).message}); is \`syncline dev\` running there? Use --endpoint to name another address.`,
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw new ClientError(errorMessage(res.status, json, endpoint));
    return json as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body, headers),
  };
}

function errorMessage(status: number, body: unknown, endpoint: string): string {
  const b = body as {
    errors?: { errorType?: string; message?: string }[];
    __type?: string;
    message?: string;
    Message?: string;
  };
  const first = b?.errors?.[0];
  if (status === 401) {
    return `the console at ${endpoint} needs an operator credential: set ${ACCESS_KEY_ENV} and ${SECRET_KEY_ENV}`;
  }
  if (status === 404 && !first && !b?.__type) {
    return `no console at ${endpoint} (is it a syncline server, started with the console on?)`;
  }
  if (first) return `${first.errorType ?? `HTTP ${status}`}: ${first.message ?? ''}`;
  if (b?.__type) return `${b.__type.split('#').pop()}: ${b.message ?? b.Message ?? ''}`;
  return `HTTP ${status} from ${endpoint}`;
}

/** Runs a command's body, printing a ClientError as `syncline: <message>` and exiting 1. */
export async function runClient(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    process.stderr.write(`syncline: ${error.message}\n`);
    process.exitCode = 1;
  }
}
