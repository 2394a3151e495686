// Generators of hostile HTTP/1.1 input for the fuzz targets: random bytes, and requests that are almost right —
// CRLF injected into values, huge headers, duplicate Content-Length, Transfer-Encoding tricks, odd request lines,
// bare CR or LF line ends — alone or pipelined several to a write.
import fc from 'fast-check';

/** Seconds each fuzz target runs: a few by default, FUZZ_SECONDS for a longer local run. */
export const fuzzMs = (defaultSeconds: number) => 1000 * (Number(process.env.FUZZ_SECONDS) || defaultSeconds);

/**
 * Checks a synchronous property until the time is up, in rounds of a second so the test runner's own messages get
 * through between them (each round draws new cases).
 */
export async function fuzzFor(property: Parameters<typeof fc.assert>[0], defaultSeconds: number): Promise<void> {
  const end = Date.now() + fuzzMs(defaultSeconds);
  do {
    const left = Math.max(1, Math.min(1000, end - Date.now()));
    fc.assert(property, { numRuns: 1_000_000, plugins: [fc.interruptAfterTimeLimit(left)] });
    await new Promise((ok) => setImmediate(ok));
  } while (Date.now() < end);
}

/** Runs until the time is up (or a counterexample is found); the run count is only a ceiling. */
export const fuzzParameters = (defaultSeconds: number) => ({
  numRuns: 1_000_000,
  plugins: [fc.interruptAfterTimeLimit(fuzzMs(defaultSeconds))],
});

const byte = fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b));
const tokenChar = fc.constantFrom(..."!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
const hostileChar = fc.constantFrom('\r', '\n', '\0', ' ', '\t', ':', '\x7f', '\xff', '\x80', '"', ',', '/', '\x01');
const lineEnd = fc.oneof(
  { weight: 12, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\r', ' \r\n', '\r\r\n', '\r\n ', '\r\n\t') },
);

const method = fc.oneof(
  { weight: 10, arbitrary: fc.constant('POST') },
  { weight: 3, arbitrary: fc.constantFrom('GET', 'PUT', 'OPTIONS', 'PRI', 'CONNECT', 'post', 'POSTT', 'PO ST', '') },
  { weight: 1, arbitrary: fc.string({ unit: byte, maxLength: 10 }) },
);
const target = fc.oneof(
  { weight: 10, arbitrary: fc.constant('/echo') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/echo?x=1',
      '/echo?a={"b":[1]}',
      '/other',
      '/',
      '*',
      'http://x/echo',
      '/echo#f',
      '/echo%00',
      '/ech o',
      '//echo',
      '/echo?\x7f',
      '/echo\xff',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: byte, maxLength: 20 }) },
);
const version = fc.oneof(
  { weight: 10, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 ', 'http/1.1', 'HTTP/1.10', '', 'HTTP/1') },
);
const requestLine = fc
  .tuple(method, fc.constantFrom(' ', ' ', ' ', '  ', '\t'), target, fc.constantFrom(' ', ' ', ' ', '  '), version)
  .map((parts) => parts.join(''));

const headerName = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'content-length',
      'Content-Length',
      'CONTENT-LENGTH',
      'transfer-encoding',
      'Transfer-Encoding',
      'connection',
      'Connection',
      'expect',
      'upgrade',
      'host',
      'x-amz-target',
      'origin',
      'accept',
      'x-api-key',
      'keep-alive',
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: tokenChar, minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.oneof(tokenChar, hostileChar), maxLength: 20 }) },
);
const headerValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '0',
      '2',
      '5',
      '10',
      '007',
      '+5',
      '-1',
      '0x10',
      ' 5',
      '5 ',
      '5,5',
      '5, 5',
      '99999999999',
      '1e3',
      '',
      'chunked',
      ' chunked',
      'chunked, gzip',
      'gzip, chunked',
      'identity',
      'CHUNKED',
      'close',
      'Close',
      'keep-alive',
      'keep-alive, close',
      'xclosex',
      'closed',
      'upgrade',
      'Upgrade, close',
      '100-continue',
      'websocket',
      'DynamoDB_20120810.GetItem',
    ),
  },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: byte, maxLength: 30 }) },
  {
    weight: 2,
    // CRLF injection: a value that ends its line early and starts another header, or the body.
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(
          '\r\n',
          '\n',
          '\r',
          '\r\n\r\n',
          '\r\nContent-Length: 3',
          '\r\nTransfer-Encoding: chunked',
          '\0',
        ),
        fc.string({ maxLength: 8 }),
      )
      .map((parts) => parts.join('')),
  },
  // Huge values: at, under and past the head limits.
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40_000 }).map((n) => 'a'.repeat(n)) },
);
const separator = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(':', ': ') },
  { weight: 1, arbitrary: fc.constantFrom(' : ', ':\t', '::', '', ' :', ':  ') },
);
const header = fc.tuple(headerName, separator, headerValue, lineEnd).map((parts) => parts.join(''));

const body = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0\r\n\r\n',
      '5\r\nhello\r\n0\r\n\r\n',
      'ffffffffffffffff\r\n',
      '3;ext=1\r\nabc\r\n0\r\n\r\n',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: byte, maxLength: 40 }) },
);

/**
 * A request whose Content-Length, when it has one that matches, usually counts its body: most generated requests
 * are ones a server can answer, so the pipelined ones after them are read too.
 */
const request = fc
  .tuple(
    requestLine,
    lineEnd,
    fc.array(header, { maxLength: 8 }),
    fc.option(fc.nat(), { freq: 5 }),
    lineEnd,
    body,
    fc.boolean(),
  )
  .map(([line, end1, headers, withHostAt, end2, payload, counted]) => {
    // Usually with a Host, which HTTP/1.1 requires, somewhere among the headers.
    const withHost =
      withHostAt === null ? headers : headers.toSpliced(withHostAt % (headers.length + 1), 0, 'Host: h\r\n');
    const head = `${line}${end1}${withHost.join('')}`;
    const length = counted && !/content-length/i.test(head) ? `Content-Length: ${payload.length}\r\n` : '';
    return `${head}${length}${end2}${payload}`;
  });

/** Bytes a client might send on one connection, as latin1 text. */
export const hostileStream = fc.oneof(
  { weight: 6, arbitrary: fc.array(request, { minLength: 1, maxLength: 4 }).map((rs) => rs.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: byte, maxLength: 300 }) },
  { weight: 1, arbitrary: fc.tuple(request, fc.string({ unit: byte, maxLength: 100 })).map((p) => p.join('')) },
);

/** A request the fast route claims, for checking the server still serves after hostile input. */
export const GOOD_REQUEST = 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
