// The one request form the fast path serves (docs/decisions/0006-fast-http-path.md): HTTP/1.1, an origin-form
// target, every header once on its own line, and a body of Content-Length bytes. Anything else is
// 'unsupported' and the connection goes to node:http, whose parser (llhttp) answers every other form and
// rejects malformed requests with the right status.

export interface RequestHead {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** Lower-case names; each at most once. */
  headers: Record<string, string>;
  contentLength: number;
  /** The client sent `Connection: close`: answer this request, then end the connection. */
  close: boolean;
  /** Offset of the body's first byte in the buffer that was parsed. */
  bodyStart: number;
}

/** Larger heads are left to node:http, which answers 431 past its own limit. */
export const MAX_HEAD_BYTES = 16 * 1024;

const END_OF_HEAD = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^([A-Z]{3,7}) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Anything but visible ASCII, space, tab and obs-text (what llhttp accepts in a value), or a CR or LF that is not
// part of a line's CRLF: checked once over the whole head.
const FORBIDDEN = /[^\t\r\n\x20-\x7e\x80-\xff]|\r(?!\n)|(?<!\r)\n/;
const DIGITS = /^\d{1,9}$/;

export function parseRequestHead(buffer: Buffer, start: number): RequestHead | 'incomplete' | 'unsupported' {
  const end = buffer.indexOf(END_OF_HEAD, start);
  if (end === -1) return buffer.length - start > MAX_HEAD_BYTES ? 'unsupported' : 'incomplete';
  if (end - start > MAX_HEAD_BYTES) return 'unsupported';
  const text = buffer.toString('latin1', start, end);
  if (FORBIDDEN.test(text)) return 'unsupported';
  const lines = text.split('\r\n');
  const requestLine = REQUEST_LINE.exec(lines[0]);
  if (!requestLine) return 'unsupported';
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    // A colon first, or none, is malformed; obs-fold continuation lines start with whitespace and fail TOKEN.
    if (colon < 1) return 'unsupported';
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return 'unsupported';
    const value = trimWhitespace(line, colon + 1);
    const key = name.toLowerCase();
    // node:http joins repeated headers by rules of its own; a request that repeats one is left to it.
    if (headers[key] !== undefined) return 'unsupported';
    headers[key] = value;
  }
  // Chunked bodies, 100-continue and protocol switches are node:http's.
  if (headers['transfer-encoding'] !== undefined || headers.expect !== undefined || headers.upgrade !== undefined)
    return 'unsupported';
  const length = headers['content-length'];
  if (length !== undefined && !DIGITS.test(length)) return 'unsupported';
  const connection = headers.connection?.toLowerCase();
  if (connection?.includes('upgrade')) return 'unsupported';
  return {
    method: requestLine[1],
    url: requestLine[2],
    headers,
    contentLength: length === undefined ? 0 : Number(length),
    close: connection?.includes('close') ?? false,
    bodyStart: end + END_OF_HEAD.length,
  };
}

/** Strips HTTP's optional whitespace (spaces and tabs only; String#trim would also take obs-text's 0xA0). */
function trimWhitespace(line: string, from: number): string {
  let a = from;
  let b = line.length;
  while (a < b && (line.charCodeAt(a) === 32 || line.charCodeAt(a) === 9)) a++;
  while (b > a && (line.charCodeAt(b - 1) === 32 || line.charCodeAt(b - 1) === 9)) b--;
  return line.slice(a, b);
}
