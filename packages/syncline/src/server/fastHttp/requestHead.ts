// The one request form the fast path serves (docs/decisions/0006-fast-http-path.md): HTTP/1.1, an origin-form
// target, every header once on its own line, a Host header, and a body of Content-Length bytes. Anything else is
// 'unsupported' and the connection goes to node:http, whose parser (llhttp) answers every other form and
// rejects malformed requests with the right status.
//
// Every head it returns, llhttp reads the same way (test/server/requestHead.fuzz.test.ts checks that against it).
//
// One pass over the bytes with lookup tables: this runs for every request the fast path serves, and a
// regex/split version cost ~12 µs of a ~70 µs GetItem under load.
import { METHODS as HTTP_METHODS } from 'node:http';

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

/** Larger heads are left to node:http, which answers 431 past its own limit (the listener gives both the same). */
export const MAX_HEAD_BYTES = 16 * 1024;

const END_OF_HEAD = Buffer.from('\r\n\r\n');
/** The methods llhttp knows, but CONNECT, whose target is never origin-form; llhttp refuses any other method. */
const METHODS = new Set(HTTP_METHODS.filter((m) => m !== 'CONNECT'));
const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;
const SLASH = 47;

/** tchar (RFC 9110): what a header name may hold. */
const TOKEN = byteClass((b) => b < 128 && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(String.fromCharCode(b)));
/** What llhttp refuses in a value: controls other than tab, and DEL (obs-text, 0x80-0xff, is accepted). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const FORBIDDEN_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
/** Visible ASCII: what an origin-form target may hold here. */
const TARGET = byteClass((b) => b > 0x20 && b < 0x7f);

/**
 * Names clients send on these routes, matched case-insensitively in place: reusing the constant saves making,
 * lower-casing and internalising a string per header. Any other name is read the general way.
 */
const KNOWN_NAMES = groupByLength([
  'host',
  'content-type',
  'content-length',
  'x-amz-target',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'x-amz-user-agent',
  'authorization',
  'user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'accept',
  'accept-encoding',
  'connection',
  'keep-alive',
  'x-api-key',
  'origin',
]);

interface KnownName {
  name: string;
  bytes: Buffer;
  /** Its bit in a head's set of known names seen, to refuse a repeat without a lookup. */
  bit: number;
}

function groupByLength(names: string[]): KnownName[][] {
  const groups: KnownName[][] = [];
  names.forEach((name, i) => {
    (groups[name.length] ??= []).push({ name, bytes: Buffer.from(name, 'latin1'), bit: 1 << i });
  });
  return groups;
}

/** The known name at [from, to), matched case-insensitively; `from..to` holds token characters only. */
function knownName(buffer: Buffer, from: number, to: number): KnownName | undefined {
  const candidates = KNOWN_NAMES[to - from];
  if (candidates === undefined) return undefined;
  for (const known of candidates) {
    const bytes = known.bytes;
    let k = 0;
    // Token characters differ from a lower-case letter, digit or '-' by the 0x20 bit only in letter case.
    while (k < bytes.length && (buffer[from + k] | 0x20) === bytes[k]) k++;
    if (k === bytes.length) return known;
  }
  return undefined;
}

/**
 * Buffer#latin1Slice: what `toString('latin1', a, b)` calls after checking its arguments, which this parser's
 * indexes already satisfy. It is on every Buffer, but not in Node's type declarations.
 */
const latin1 = (buffer: Buffer, from: number, to: number): string =>
  (buffer as Buffer & { latin1Slice(from: number, to: number): string }).latin1Slice(from, to);

function byteClass(member: (b: number) => boolean): Uint8Array {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = member(b) ? 1 : 0;
  return table;
}

export function parseRequestHead(
  buffer: Buffer,
  start: number,
  maxHeadBytes = MAX_HEAD_BYTES,
): RequestHead | 'incomplete' | 'unsupported' {
  const end = buffer.indexOf(END_OF_HEAD, start);
  if (end === -1) return buffer.length - start > maxHeadBytes ? 'unsupported' : 'incomplete';
  if (end - start > maxHeadBytes) return 'unsupported';

  // Request line: METHOD SP /target SP HTTP/1.1 CRLF, the method 3 to 7 capitals.
  let i = start;
  while (i < end && buffer[i] >= 65 && buffer[i] <= 90) i++;
  const methodLength = i - start;
  if (methodLength < 3 || methodLength > 7 || buffer[i] !== SP || buffer[i + 1] !== SLASH) return 'unsupported';
  const targetStart = i + 1;
  i = targetStart;
  while (i < end && TARGET[buffer[i]] === 1) i++;
  const targetEnd = i;
  if (buffer[i] !== SP || !isVersion(buffer, i + 1)) return 'unsupported';
  i += 9;
  const method = latin1(buffer, start, start + methodLength);
  if (method !== 'POST' && !METHODS.has(method)) return 'unsupported';
  const url = latin1(buffer, targetStart, targetEnd);

  const headers: Record<string, string> = {};
  let seen = 0;
  // `i` is at the CRLF ending the previous line; the head's last line ends at `end`.
  while (i < end) {
    if (buffer[i] !== CR || buffer[i + 1] !== LF) return 'unsupported';
    const nameStart = i + 2;
    let nameEnd = nameStart;
    while (nameEnd < end && TOKEN[buffer[nameEnd]] === 1) nameEnd++;
    // A colon first, or none, is malformed; obs-fold continuation lines start with whitespace, not a token.
    if (nameEnd === nameStart || buffer[nameEnd] !== COLON) return 'unsupported';
    // The line runs to the next CR: its CRLF, or a bare CR, which the CRLF check of the next round refuses.
    let lineEnd = buffer.indexOf(CR, nameEnd + 1);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    let valueStart = nameEnd + 1;
    let valueEnd = lineEnd;
    while (valueStart < valueEnd && (buffer[valueStart] === SP || buffer[valueStart] === HTAB)) valueStart++;
    while (valueEnd > valueStart && (buffer[valueEnd - 1] === SP || buffer[valueEnd - 1] === HTAB)) valueEnd--;
    const value = latin1(buffer, valueStart, valueEnd);
    // A bare LF or a control character anywhere in the value is refused.
    if (FORBIDDEN_IN_VALUE.test(value)) return 'unsupported';
    // node:http joins repeated headers by rules of its own; a request that repeats one is left to it.
    const known = knownName(buffer, nameStart, nameEnd);
    let key: string;
    if (known !== undefined) {
      if ((seen & known.bit) !== 0) return 'unsupported';
      seen |= known.bit;
      key = known.name;
    } else {
      key = latin1(buffer, nameStart, nameEnd).toLowerCase();
      if (headers[key] !== undefined) return 'unsupported';
    }
    headers[key] = value;
    i = lineEnd;
  }

  // Chunked bodies, 100-continue and protocol switches are node:http's; so is a request without Host, which it
  // refuses (400) as HTTP/1.1 requires.
  if (
    headers.host === undefined ||
    headers['transfer-encoding'] !== undefined ||
    headers.expect !== undefined ||
    headers.upgrade !== undefined
  )
    return 'unsupported';
  const length = headers['content-length'];
  let contentLength = 0;
  if (length !== undefined) {
    contentLength = digits(length);
    if (contentLength < 0) return 'unsupported';
  }
  const connection = headers.connection?.toLowerCase();
  if (connection?.includes('upgrade')) return 'unsupported';
  return {
    method,
    url,
    headers,
    contentLength,
    close: connection !== undefined && hasCloseToken(connection),
    bodyStart: end + END_OF_HEAD.length,
  };
}

/** `close` as one of the comma-separated options (already lower-cased), as llhttp reads it: not `closed`. */
const OPTION_SPACE = /^[ \t]+|[ \t]+$/g;

function hasCloseToken(connection: string): boolean {
  if (!connection.includes('close')) return false;
  // Only spaces and tabs surround an option; trim() would also take a no-break space (obs-text), which llhttp keeps.
  for (const option of connection.split(',')) if (option.replace(OPTION_SPACE, '') === 'close') return true;
  return false;
}

/** `HTTP/1.1` followed by the CRLF ending the request line (or the head). */
function isVersion(buffer: Buffer, at: number): boolean {
  return (
    buffer[at] === 72 && // H
    buffer[at + 1] === 84 && // T
    buffer[at + 2] === 84 && // T
    buffer[at + 3] === 80 && // P
    buffer[at + 4] === SLASH &&
    buffer[at + 5] === 49 && // 1
    buffer[at + 6] === 46 && // .
    buffer[at + 7] === 49 && // 1
    buffer[at + 8] === CR
  );
}

/** 1 to 9 decimal digits as a number; -1 for anything else (signs, spaces, longer values). */
function digits(text: string): number {
  if (text.length === 0 || text.length > 9) return -1;
  let n = 0;
  for (let k = 0; k < text.length; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
