// Fuzz targets for the fast path's request head parser (server/fastHttp/requestHead.ts): generated hostile heads,
// first against the parser alone, then over real sockets against node:http's parser (llhttp) as the reference.
// A few seconds each by default; FUZZ_SECONDS=60 for a longer run.
import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCertificate } from '../../src/server/devCertificate.js';
import { type DualListener, listenDual } from '../../src/server/dualListener.js';
import type { FastRouter } from '../../src/server/fastHttp/connection.js';
import { MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from '../../src/server/fastHttp/requestHead.js';
import { fuzzFor, fuzzMs, fuzzParameters, GOOD_REQUEST, hostileStream } from './hostileHttp.js';
import { llhttpParse } from './llhttp.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const isHead = (r: ReturnType<typeof parseRequestHead>): r is RequestHead => typeof r === 'object';

/** What a parsed head must satisfy whatever bytes it came from. */
function checkHead(head: RequestHead, buffer: Buffer, start: number, max: number) {
  expect(head.method).toMatch(/^[A-Z]{3,7}$/);
  expect(head.url).toMatch(/^\/[\x21-\x7e]*$/);
  expect(head.bodyStart).toBeGreaterThan(start);
  expect(head.bodyStart).toBeLessThanOrEqual(buffer.length);
  expect(head.bodyStart - start - 4).toBeLessThanOrEqual(max);
  expect(buffer.toString('latin1', head.bodyStart - 4, head.bodyStart)).toBe('\r\n\r\n');
  // No header smuggled through: names are lower-case tokens, values hold no line break or control character.
  for (const [name, value] of Object.entries(head.headers)) {
    expect(name).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
    expect(value).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f]/);
    expect(value).not.toMatch(/^[ \t]|[ \t]$/);
  }
  expect(head.headers['transfer-encoding']).toBeUndefined();
  expect(head.headers.upgrade).toBeUndefined();
  expect(head.headers.expect).toBeUndefined();
  const length = head.headers['content-length'];
  if (length === undefined) expect(head.contentLength).toBe(0);
  else {
    expect(length).toMatch(/^\d{1,9}$/);
    expect(head.contentLength).toBe(Number(length));
  }
  expect(Number.isSafeInteger(head.contentLength) && head.contentLength >= 0).toBe(true);
}

describe('fuzz: parseRequestHead on its own', () => {
  it(
    'never throws, and any head it returns is well-formed, whatever the bytes',
    async () => {
      await fuzzFor(
        fc.property(hostileStream, (text) => {
          const buffer = latin1(text);
          const result = parseRequestHead(buffer, 0);
          if (isHead(result)) checkHead(result, buffer, 0, MAX_HEAD_BYTES);
          else expect(['incomplete', 'unsupported']).toContain(result);
        }),
        2,
      );
    },
    fuzzMs(2) + 30_000,
  );

  it(
    'reads every head it accepts exactly as node:http (llhttp) does, Connection: close and body length included',
    async () => {
      await fuzzFor(
        fc.property(hostileStream, (text) => {
          const buffer = latin1(text);
          const head = parseRequestHead(buffer, 0);
          if (!isHead(head)) return;
          // The message as the fast path takes it, its body completed if the generated one was short.
          const end = head.bodyStart + head.contentLength;
          const message =
            buffer.length >= end
              ? buffer.subarray(0, end)
              : Buffer.concat([buffer, Buffer.alloc(end - buffer.length, 0x61)]);
          const { messages, error } = llhttpParse(message);
          expect(error).toBeUndefined();
          expect(messages).toHaveLength(1);
          const [reference] = messages;
          expect(reference.method).toBe(head.method);
          expect(reference.url).toBe(head.url);
          expect(reference.version).toBe('1.1');
          expect(reference.upgrade).toBe(false);
          expect(reference.keepAlive).toBe(!head.close);
          expect(reference.headers).toHaveLength(Object.keys(head.headers).length);
          expect(Object.fromEntries(reference.headers.map(([n, v]) => [n.toLowerCase(), v]))).toEqual(head.headers);
          expect(reference.body.length).toBe(head.contentLength);
        }),
        2,
      );
    },
    fuzzMs(2) + 30_000,
  );

  it(
    'reads the same head at any start offset, and ignores what follows it (pipelining)',
    async () => {
      await fuzzFor(
        fc.property(
          hostileStream,
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 40 }),
          (text, before, after) => {
            const alone = parseRequestHead(latin1(text), 0);
            if (!isHead(alone)) return;
            const inside = parseRequestHead(latin1(before + text + after), before.length);
            expect(inside).toEqual({ ...alone, bodyStart: alone.bodyStart + before.length });
            const headOnly = parseRequestHead(latin1(text.slice(0, alone.bodyStart)), 0);
            expect(headOnly).toEqual(alone);
          },
        ),
        1,
      );
    },
    fuzzMs(1) + 30_000,
  );

  it(
    'says incomplete for every prefix of a head cut before its end, at every offset',
    async () => {
      await fuzzFor(
        fc.property(hostileStream, (text) => {
          const buffer = latin1(text);
          const result = parseRequestHead(buffer, 0);
          if (!isHead(result)) return;
          for (let k = 0; k < result.bodyStart; k++) {
            const prefix = parseRequestHead(buffer.subarray(0, k), 0);
            expect(prefix).toBe(k > MAX_HEAD_BYTES ? 'unsupported' : 'incomplete');
          }
        }),
        1,
      );
    },
    fuzzMs(1) + 30_000,
  );

  it(
    'honours a smaller head limit exactly',
    async () => {
      await fuzzFor(
        fc.property(hostileStream, fc.integer({ min: 16, max: 2048 }), (text, max) => {
          const buffer = latin1(text);
          const result = parseRequestHead(buffer, 0, max);
          if (isHead(result)) checkHead(result, buffer, 0, max);
          else if (buffer.indexOf('\r\n\r\n') === -1 && buffer.length > max) expect(result).toBe('unsupported');
        }),
        1,
      );
    },
    fuzzMs(1) + 30_000,
  );
});

// Over sockets: the hostile bytes, split anywhere, go to a listener with the fast path in front of node:http. Its
// answers must be the ones llhttp's reading of the same bytes calls for: each request it reads answered, in order,
// up to the first that closes; then a refusal if llhttp refused the bytes (or they end mid-request). Both handlers
// describe the request they were given, so a request read differently shows as a different answer.
const describeRequest = (method: string, url: string, pairs: [string, string][], body: Buffer) => {
  // Sorted by name (stable, so repeated names keep their order): an object's integer-like keys come first.
  const sorted = pairs
    .map(([n, v]): [string, string] => [n.toLowerCase(), v])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // ASCII only, so both paths' answers are the same bytes whatever encoding each writes them in.
  return JSON.stringify([method, url, sorted, body.toString('latin1')]).replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
};

const claims = (url: string) => url === '/echo' || url.startsWith('/echo?');
const router: FastRouter = (head) =>
  head.method === 'POST' && claims(head.url)
    ? {
        maxBody: 64 * 1024,
        handle: (r) => ({
          status: 200,
          headers: { 'content-type': 'text/plain' },
          body: describeRequest(r.method, r.url, Object.entries(r.headers), r.body),
        }),
      }
    : undefined;

const byNode = (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const pairs: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const body = describeRequest(req.method ?? '', req.url ?? '', pairs, Buffer.concat(chunks));
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body, 'latin1') });
    res.end(body, 'latin1');
  });
};

/** After the hostile bytes: a request that ends the connection, so most cases finish without waiting on a timeout. */
const SENTINEL = '\r\n\r\nPOST /echo HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const REFUSED = new Set([400, 408, 413, 431]);

interface Expected {
  answers: string[];
  /** llhttp refused the bytes, or they end mid-request, before any request asked to close. */
  mustRefuse: boolean;
  /** Bytes refused or left over anywhere, also after a closing request (node:http refuses those; the fast path drops them). */
  mayRefuse: boolean;
}

/** The answers llhttp's reading of `bytes` calls for: every request up to the first that closes. */
function expectedAnswers(bytes: Buffer): Expected {
  const { messages, error, partial } = llhttpParse(bytes);
  const mayRefuse = error !== undefined || partial;
  const answers: string[] = [];
  for (const m of messages) {
    // CONNECT and upgrades leave node:http for the upgrade handler, which here ends the connection.
    if (m.upgrade) return { answers, mustRefuse: true, mayRefuse: true };
    // node:http refuses an HTTP/1.1 request without Host (400) and closes.
    if (m.version === '1.1' && !m.headers.some(([name]) => name.toLowerCase() === 'host'))
      return { answers, mustRefuse: true, mayRefuse: true };
    // node:http answers an Expect it does not know 417 without calling the handler.
    const expectation = m.headers.find(([name]) => name.toLowerCase() === 'expect')?.[1];
    if (expectation !== undefined && expectation.toLowerCase() !== '100-continue') answers.push('417');
    else answers.push(`200 ${describeRequest(m.method, m.url, m.headers, m.body)}`);
    if (!m.keepAlive) return { answers, mustRefuse: false, mayRefuse };
  }
  return { answers, mustRefuse: mayRefuse, mayRefuse };
}

/**
 * The answers to `chunks`, sent with a turn between writes, read until the server closes the connection; `reset`
 * when the connection was reset (bytes written after the server closed), which can lose answers already sent.
 */
async function exchange(port: number, chunks: Buffer[]): Promise<{ answers: string[]; reset: boolean }> {
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  let reset = false;
  socket.on('data', (d: Buffer) => received.push(d));
  socket.on('error', () => (reset = true));
  const closed = new Promise<void>((ok) => socket.once('close', () => ok()));
  await new Promise<void>((ok) => socket.once('connect', () => ok()));
  for (const chunk of chunks) {
    if (socket.destroyed) break;
    socket.write(chunk);
    await new Promise((ok) => setTimeout(ok, 1));
  }
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((ok) => {
    timer = setTimeout(() => ok('hung'), 10_000);
  });
  const outcome = await Promise.race([closed, hung]);
  clearTimeout(timer);
  socket.destroy();
  if (outcome === 'hung') throw new Error('the server neither answered nor closed the connection');
  return { answers: answers(Buffer.concat(received).toString('latin1'), reset), reset };
}

/** Each answer as `status body`; refusals (400, 408, 413, 431) as `refused`. */
function answers(text: string, reset: boolean): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1 && reset) break;
    if (end === -1) throw new Error(`a partial response: ${JSON.stringify(rest.slice(0, 200))}`);
    const head = rest.slice(0, end);
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]);
    // 100 Continue is an interim answer to Expect: 100-continue; the real one follows.
    if (status === 100) {
      rest = rest.slice(end + 4);
      continue;
    }
    if (status === 417) {
      out.push('417');
      rest = rest.slice(end + 4 + Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0));
      if (/\r\ntransfer-encoding: chunked/i.test(head)) rest = rest.slice(rest.indexOf('0\r\n\r\n') + 5);
      continue;
    }
    if (!(status === 200 || REFUSED.has(status))) throw new Error(`unexpected answer: ${JSON.stringify(head)}`);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyEnd = length ? end + 4 + Number(length[1]) : rest.length;
    if (bodyEnd > rest.length && reset) break;
    out.push(REFUSED.has(status) ? 'refused' : `${status} ${rest.slice(end + 4, bodyEnd)}`);
    rest = rest.slice(bodyEnd);
  }
  return out;
}

/**
 * The answers llhttp calls for, in order, and a refusal (or the connection closed) where llhttp refuses. Two ways to
 * get fewer answers are allowed: on a parse error node:http writes its
 * 400 at once, dropping the answers still being made to the requests read before it; and a reset, when split bytes
 * arrive after the server closed, can cut the answers short. Never an answer llhttp would not give.
 */
function expectAnswers(got: { answers: string[]; reset: boolean }, expected: Expected) {
  // node:http answers an unknown Expect (417) as soon as the head is read, even of a request whose body never
  // comes; the fast path never does (it leaves Expect to node:http), so those are left out of the comparison.
  const gotAnswers = got.answers.filter((a) => a !== '417');
  const expectedAnswers = expected.answers.filter((a) => a !== '417');
  const refusedAtEnd = gotAnswers.at(-1) === 'refused';
  const accepted = refusedAtEnd ? gotAnswers.slice(0, -1) : gotAnswers;
  expect(accepted, 'answers in order, each to a request as llhttp read it').toEqual(
    expectedAnswers.slice(0, accepted.length),
  );
  if (got.reset) return;
  if (refusedAtEnd) expect(expected.mayRefuse, 'a refusal only of bytes llhttp refuses').toBe(true);
  // Bytes llhttp refuses may also just end the connection (node:http writes no 400 behind an answer it started).
  else if (!expected.mustRefuse) expect(gotAnswers, 'every answer').toEqual(expectedAnswers);
}

/** Splits `buffer` at the given offsets (in any order, repeats ignored). */
function split(buffer: Buffer, offsets: number[]): Buffer[] {
  const cuts = [...new Set(offsets.map((o) => o % (buffer.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    if (cut > from) parts.push(buffer.subarray(from, cut));
    from = Math.max(from, cut);
  }
  if (from < buffer.length) parts.push(buffer.subarray(from));
  return parts;
}

describe('fuzz: the fast path over a real socket, against llhttp', () => {
  let listener: DualListener;
  const errors: unknown[] = [];
  beforeAll(async () => {
    listener = await listenDual({
      port: 0,
      host: '127.0.0.1',
      tls: await devCertificate(),
      request: byNode,
      upgrade: (_r, s) => s.destroy(),
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 },
      fast: { router, onError: (e) => errors.push(e) },
    });
  });
  afterAll(() => listener.close());

  it(
    'answers hostile bytes split anywhere as llhttp reads them, never 500, never hanging, and keeps serving',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(hostileStream, fc.array(fc.nat(), { maxLength: 4 })), { minLength: 1, maxLength: 8 }),
          async (batch) => {
            await Promise.all(
              batch.map(async ([text, offsets]) => {
                const bytes = latin1(text + SENTINEL);
                const got = await exchange(listener.address.port, split(bytes, offsets));
                const expected = expectedAnswers(bytes);
                try {
                  expectAnswers(got, expected);
                } catch (error) {
                  throw new Error(
                    `answers differ for ${JSON.stringify(text).slice(0, 2000)}:\ngot: ${JSON.stringify(got).slice(0, 2000)}\nllhttp: ${JSON.stringify(expected).slice(0, 2000)}`,
                    { cause: error },
                  );
                }
              }),
            );
          },
        ),
        { ...fuzzParameters(6), numRuns: 100_000 },
      );
      expect(errors).toEqual([]);
      // Still serving after all of it.
      expect((await exchange(listener.address.port, [latin1(GOOD_REQUEST)])).answers).toEqual([
        `200 ${describeRequest(
          'POST',
          '/echo',
          [
            ['host', 'x'],
            ['content-length', '2'],
            ['connection', 'close'],
          ],
          latin1('ok'),
        )}`,
      ]);
    },
    fuzzMs(6) + 60_000,
  );

  it('answers 431 to an endless head and stops reading it, without buffering what the client keeps sending', async () => {
    const socket = connect(listener.address.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    let failed = false;
    socket.on('error', () => (failed = true));
    const closed = new Promise<void>((ok) => socket.once('close', () => ok()));
    await new Promise<void>((ok) => socket.once('connect', () => ok()));
    socket.write('POST /echo HTTP/1.1\r\nx-endless: ');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    // 64 MB offered: far more than the head limit and than the sockets' buffers.
    while (sent < 64 * 1024 * 1024 && !socket.destroyed && !failed) {
      if (!socket.write(chunk)) await new Promise((ok) => socket.once('drain', ok).once('close', ok));
      sent += chunk.length;
    }
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });
});
