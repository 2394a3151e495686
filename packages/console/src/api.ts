// Every call goes to the console's API relative to the page (served under /_console/ or at /), never to a
// hard-coded host. The page at `/` reaches the API under `/_console/api/`, the page under `/_console/` too.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** The console API's URL for `path` (no leading slash), e.g. `traces?limit=50`. */
export function apiUrl(path: string): string {
  const base = new URL(document.baseURI);
  const prefix = base.pathname.includes('/_console/')
    ? base.pathname.slice(0, base.pathname.indexOf('/_console/'))
    : '';
  return new URL(`${prefix}/_console/api/${path}`, base).toString();
}

/** A URL on the app's own server (the GraphQL endpoint, the realtime socket), relative to the page's origin. */
export function serverUrl(path: string): URL {
  return new URL(path, document.baseURI);
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const first = (body as { errors?: { errorType?: string; message?: string }[] } | undefined)?.errors?.[0];
    throw new ApiError(
      response.status,
      first?.errorType ?? `HTTP ${response.status}`,
      first?.message ?? (typeof body === 'string' && body ? body : response.statusText),
    );
  }
  return body as T;
}

export async function getJson<T>(path: string): Promise<T> {
  return parse<T>(await fetch(apiUrl(path), { headers: { accept: 'application/json' } }));
}

export async function postJson<T>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  return parse<T>(
    await fetch(apiUrl(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  );
}

export const errorText = (error: unknown): string =>
  error instanceof ApiError
    ? `${error.errorType}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
