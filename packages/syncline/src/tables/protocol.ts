// DynamoDB's JSON 1.0 wire protocol, independent of any HTTP server: `X-Amz-Target: DynamoDB_20120810.<Action>`,
// `application/x-amz-json-1.0` bodies, errors as `{"__type": "<namespace>#<Name>", "message": "..."}`, and the
// `x-amz-crc32` checksum the AWS SDKs verify.
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { TableEngine } from './engine.js';
import { DynamoDBError } from './errors.js';
import { parseRequestBody } from './requestBody.js';

export { parseRequestBody };

export interface DynamoDBResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

// DynamoDB's front end (Coral) owns these names; the service owns the rest.
const NAMESPACE: Record<string, string> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  AccessDeniedException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  InvalidSignatureException: 'com.amazon.coral.service',
};

let crcTable: Int32Array | undefined;
const nativeCrc32 = (zlib as { crc32?: (data: string | Buffer) => number }).crc32;

/** CRC-32 (IEEE) of the UTF-8 body; node:zlib has it from Node 20.15, older 20.x gets the table version. */
export function crc32(text: string): number {
  // The native function encodes a string as UTF-8 itself, without a Buffer in between.
  if (nativeCrc32) return nativeCrc32(text) >>> 0;
  const bytes = Buffer.from(text, 'utf8');
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ID_LENGTH = 52;
const COUNTER_LENGTH = 12;

function randomIdChars(length: number): string {
  let id = '';
  for (const b of randomBytes(length)) id += ID_CHARS[b % ID_CHARS.length];
  return id;
}

// DynamoDB's request ids are 52 characters of [A-Z0-9]. Ours: a random per-process prefix and a counter, which is
// unique without drawing random bytes for every response.
const ID_PREFIX = randomIdChars(ID_LENGTH - COUNTER_LENGTH);
let idCounter = 0;

function requestId(): string {
  idCounter = (idCounter + 1) % 36 ** COUNTER_LENGTH;
  return ID_PREFIX + idCounter.toString(36).toUpperCase().padStart(COUNTER_LENGTH, '0');
}

function respondText(status: number, body: string): DynamoDBResponse {
  return {
    status,
    headers: {
      'content-type': CONTENT_TYPE,
      // A length rather than chunked encoding: one write per response, as DynamoDB answers.
      'content-length': String(Buffer.byteLength(body, 'utf8')),
      'x-amzn-requestid': requestId(),
      'x-amz-crc32': String(crc32(body)),
    },
    body,
  };
}

function respond(status: number, payload: unknown): DynamoDBResponse {
  return respondText(status, JSON.stringify(payload));
}

export function errorResponse(error: DynamoDBError): DynamoDBResponse {
  const type = `${NAMESPACE[error.type] ?? 'com.amazonaws.dynamodb.v20120810'}#${error.type}`;
  // TransactionCanceledException is the one DynamoDB error whose text travels as `Message`.
  const messageKey = error.type === 'TransactionCanceledException' ? 'Message' : 'message';
  return respond(error.statusCode, { __type: type, [messageKey]: error.message, ...error.extra });
}

export interface ProtocolOptions {
  /** Told about unexpected (non-DynamoDB) errors before a 500 goes out; the server logs them. */
  onInternalError?: (error: unknown, action: string) => void;
}

/** The answer to a failed request: its own error, or an InternalServerError for anything unexpected. */
export function failureResponse(error: unknown, action: string, options: ProtocolOptions): DynamoDBResponse {
  if (error instanceof DynamoDBError) return errorResponse(error);
  options.onInternalError?.(error, action);
  return errorResponse(
    new DynamoDBError('InternalServerError', 'The server encountered an internal error trying to fulfill the request.'),
  );
}

/** Answers at once when the engine does (a read with nothing waiting for a commit), else when it has committed. */
export function handleDynamoDBRequest(
  engine: TableEngine,
  target: string,
  body: Buffer | string,
  options: ProtocolOptions = {},
): DynamoDBResponse | Promise<DynamoDBResponse> {
  const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const failed = (error: unknown) => failureResponse(error, action, options);
  try {
    if (!action)
      throw new DynamoDBError('UnknownOperationException', `Unknown operation: ${target || '(no X-Amz-Target)'}`);
    const output = engine.executeJson(action, parseRequestBody(body));
    if (output instanceof Promise) return output.then((json) => respondText(200, json), failed);
    return respondText(200, output);
  } catch (error) {
    return failed(error);
  }
}
