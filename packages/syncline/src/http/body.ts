// Request bodies read with a bound, for every HTTP surface (the server's routes, function routes, SSE). A shared
// utility below all of them: nothing here imports a capability.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}

/** Reads a request body up to `limit` bytes; past it the request is refused, never buffered without bound. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Reads an AWS JSON 1.0 request's body; past `limit` answers 413 with `tooLarge` as the error body and returns
 * undefined.
 */
export async function readJsonApiBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  tooLarge: { __type: string; message: string },
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    res.writeHead(413, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(tooLarge));
    return undefined;
  }
}
