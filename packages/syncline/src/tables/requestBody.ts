// Decoding a JSON 1.0 request body, with the checks DynamoDB's front end makes before any action sees it:
// the bytes are UTF-8, the JSON parses, every string is valid Unicode (JSON's `\ud800` escapes can spell an
// unpaired surrogate, which has no UTF-8 form), and nothing nests deeper than a valid request can. The depth
// check runs on the text, before JSON.parse, so that every recursive walk after it (validation, sizing,
// JSON.stringify of an error's value, storage encoding) meets a bounded depth.
import { isUtf8 } from 'node:buffer';
import { DynamoDBError, validation } from './errors.js';
import { isWellFormed, NESTING_MESSAGE, UNPAIRED_SURROGATE_MESSAGE } from './values/validate.js';

/**
 * The deepest JSON a valid request has is an item value 32 levels deep inside a TransactWriteItems or
 * BatchWriteItem request: two JSON levels per attribute level plus about eight for the request around it.
 */
export const MAX_JSON_DEPTH = 100;

const serialization = (message: string) => new DynamoDBError('SerializationException', message);

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether the JSON text nests objects and arrays deeper than `limit`; strings are skipped. */
export function nestsDeeperThan(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = closingQuote(bytes, i);
      if (i === -1) return false; // unterminated: JSON.parse refuses it
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * The index of the quote closing the string opened at `open`, or -1. Short strings (names, most values) are
 * scanned here; a long one is searched natively, a call that costs more than a short scan but far less than a
 * byte loop over kilobytes of text.
 */
function closingQuote(bytes: Buffer, open: number): number {
  const n = bytes.length;
  const shortEnd = Math.min(n, open + 64);
  for (let i = open + 1; i < shortEnd; i++) {
    const c = bytes[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i;
  }
  // Resume at a point that is not inside an escape: back up to before any run of backslashes.
  let at = shortEnd - 1;
  for (;;) {
    at = bytes.indexOf(QUOTE, at + 1);
    if (at === -1) return -1;
    let slashes = 0;
    while (at - 1 - slashes > open && bytes[at - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
  }
}

/** Every string and member name in a parsed body is well-formed; iterative, the depth being checked already. */
function assertWellFormed(root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isWellFormed(v)) throw serialization(UNPAIRED_SURROGATE_MESSAGE);
    } else if (Array.isArray(v)) {
      for (const e of v) stack.push(e);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, e] of Object.entries(v)) {
        if (!isWellFormed(k)) throw serialization(UNPAIRED_SURROGATE_MESSAGE);
        stack.push(e);
      }
    }
  }
}

// An escape in the surrogate range starts `\uD8`…`\uDF` (any case); without one the text cannot spell a lone
// surrogate (raw UTF-8 cannot encode surrogates and isUtf8 refuses the attempt), so the walk is skipped.
const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/;

/** A JSON 1.0 request body (empty means `{}`), or DynamoDB's SerializationException / ValidationException. */
export function parseRequestBody(body: Buffer | string): unknown {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (typeof body !== 'string' && !isUtf8(body)) throw serialization('Invalid UTF-8 in the request body');
  // Nesting deeper than the limit takes more opening brackets than a shorter body has bytes.
  if (bytes.length > MAX_JSON_DEPTH && nestsDeeperThan(bytes, MAX_JSON_DEPTH)) throw validation(NESTING_MESSAGE);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw serialization('Could not parse the request body as JSON');
  }
  if (SURROGATE_ESCAPE.test(text) || (typeof body === 'string' && !isWellFormed(body))) assertWellFormed(parsed);
  return parsed;
}

/**
 * The same bound for a request handed to the engine as objects by callers inside the server (data sources,
 * resolvers, functions): an iterative walk, so a cycle ends as too deep and a huge shared structure as too large,
 * rather than as a stack overflow or a hang.
 */
export function assertRequestBounds(request: unknown): void {
  // A JSON body within DynamoDB's 16 MB has fewer values than half its bytes.
  let budget = 8 * 1024 * 1024;
  const stack: unknown[] = [request];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw validation(NESTING_MESSAGE);
    if (--budget < 0) throw validation('Request size exceeded 16 MB');
    for (const member of Array.isArray(v) ? v : Object.values(v)) {
      if (member !== null && typeof member === 'object') {
        stack.push(member);
        depths.push(depth + 1);
      }
    }
  }
}
