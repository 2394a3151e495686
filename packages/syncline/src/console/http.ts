// The console API's answers: JSON bodies, errors as `{ errors: [{ errorType, message }] }` (the AppSync error
// entry's shape), and request bodies read with a cap so a huge upload is refused, not buffered.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Larger console request bodies are refused with 413 (an invoke event or an item fits well within it). */
export const MAX_CONSOLE_BODY = 6 * 1024 * 1024;

export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ConsoleError(404, 'NotFoundException', message);
export const badRequest = (message: string) => new ConsoleError(400, 'BadRequestException', message);

export function sendJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : text);
}

export function sendError(res: ServerResponse, error: ConsoleError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // The rest of a refused upload is never read: the connection cannot carry another request.
  if (error.status === 413) res.setHeader('connection', 'close');
  sendJson(res, error.status, { errors: [{ errorType: error.errorType, message: error.message }] });
}

/** The body, or a 413 ConsoleError past `max` bytes (the rest of the upload is not read). */
export function readBody(req: IncomingMessage, max = MAX_CONSOLE_BODY): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.reject(tooLarge(max));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        done = true;
        // Stop reading: the answer goes out now and the connection closes behind it.
        req.pause();
        reject(tooLarge(max));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}

const tooLarge = (max: number) =>
  new ConsoleError(413, 'PayloadTooLargeException', `The request body exceeds ${max / (1024 * 1024)} MB.`);

/** The body as JSON; an empty body is `undefined`. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `?limit=` as a positive integer, capped; absent or invalid: `fallback`. */
export function limitOf(query: URLSearchParams, fallback: number, max = 1000): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw badRequest('limit is a positive integer.');
  return Math.min(n, max);
}
