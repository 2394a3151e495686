// What both GraphQL-over-SSE modes share: their dependencies, JSON error answers and reading an operation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BodyTooLarge, readBody } from '../../http/body.js';
import type { SubscriptionHub } from '../hub.js';
import type { OperationEnv, OperationRequest } from '../operations.js';
import type { RealtimeSettings } from '../settings.js';

const MAX_BODY = 1024 * 1024;

export interface SseShared {
  env: OperationEnv;
  hub: SubscriptionHub;
  settings: RealtimeSettings;
  log: Logger;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Writes events to an open stream; a reader that stopped reading cannot be told anything more: its stream is cut. */
export function writeEvents(stream: ServerResponse, text: string, maxBufferedBytes: number): void {
  if (stream.writableEnded) return;
  if (stream.writableLength > maxBufferedBytes) {
    stream.destroy();
    return;
  }
  stream.write(text);
}

/** A `:` comment on an idle stream, so proxies and the client keep it open. */
export function keepAlive(stream: ServerResponse): void {
  if (!stream.writableEnded && stream.writableLength === 0) stream.write(':\n\n');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export type SseOperation = OperationRequest & { extensions?: Record<string, unknown> };

/** The request's operation; or undefined once a 413 or 400 has answered a body too large or malformed. */
export async function readOperation(req: IncomingMessage, res: ServerResponse): Promise<SseOperation | undefined> {
  try {
    return await parseRequest(req);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      sendJson(res, 413, {
        errors: [{ errorType: 'PayloadTooLargeException', message: 'The request body is too large.' }],
      });
    else
      sendJson(res, 400, {
        errors: [{ errorType: 'MalformedHttpRequestException', message: (error as Error).message }],
      });
    return undefined;
  }
}

/** An operation from a GET's query string or a POST's JSON body, with its `extensions` when it has them. */
async function parseRequest(req: IncomingMessage): Promise<SseOperation> {
  if (req.method === 'GET') {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const variables = params.get('variables');
    let parsed: unknown = null;
    if (variables) {
      try {
        parsed = JSON.parse(variables);
      } catch {
        throw new Error('Unable to parse the variables query parameter as JSON.');
      }
    }
    if (parsed !== null && !isObject(parsed)) throw new Error('variables must be a JSON object.');
    const query = params.get('query');
    if (!query) throw new Error('The request must contain a query.');
    let extensions: unknown;
    try {
      extensions = JSON.parse(params.get('extensions') ?? 'null');
    } catch {
      throw new Error('Unable to parse the extensions query parameter as JSON.');
    }
    return {
      query,
      variables: parsed as Record<string, unknown> | null,
      operationName: params.get('operationName'),
      ...(isObject(extensions) ? { extensions } : {}),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, MAX_BODY)).toString('utf8'));
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    throw new Error('Unable to parse JSON document');
  }
  if (!isObject(body) || typeof body.query !== 'string')
    throw new Error('The request body must contain a query string.');
  if (body.variables != null && !isObject(body.variables)) throw new Error('variables must be a JSON object.');
  if (body.operationName != null && typeof body.operationName !== 'string')
    throw new Error('operationName must be a string.');
  if (body.extensions != null && !isObject(body.extensions)) throw new Error('extensions must be a JSON object.');
  return {
    query: body.query,
    variables: (body.variables as Record<string, unknown> | undefined) ?? null,
    operationName: (body.operationName as string | undefined) ?? null,
    ...(body.extensions ? { extensions: body.extensions as Record<string, unknown> } : {}),
  };
}
