// `util.autoId`, `util.autoUlid`, `util.autoKsuid`. The clock and the random source are parameters so the
// formats and their time ordering can be checked against fixed values.
import { randomBytes, randomUUID } from 'node:crypto';

export type RandomSource = (size: number) => Uint8Array;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** KSUID timestamps count seconds from 2014-05-13T16:53:20Z, which keeps them inside 32 bits until 2150. */
const KSUID_EPOCH_SECONDS = 1_400_000_000;

export function autoId(): string {
  return randomUUID();
}

/** 26 Crockford base32 characters: 48 bits of Unix milliseconds, then 80 random bits. */
export function ulid(nowMs: number = Date.now(), random: RandomSource = randomBytes): string {
  const time = encode(BigInt(Math.floor(nowMs)), CROCKFORD, 10);
  const entropy = encode(toBigInt(random(10)), CROCKFORD, 16);
  return time + entropy;
}

/** 27 base62 characters encoding 4 bytes of seconds since the KSUID epoch and a 16-byte random payload. */
export function ksuid(nowMs: number = Date.now(), random: RandomSource = randomBytes): string {
  const seconds = Math.floor(nowMs / 1000) - KSUID_EPOCH_SECONDS;
  const bytes = new Uint8Array(20);
  new DataView(bytes.buffer).setUint32(0, seconds >>> 0);
  bytes.set(random(16), 4);
  return encode(toBigInt(bytes), BASE62, 27);
}

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

/** Fixed-width, most significant digit first, so lexical order follows numeric order. */
function encode(n: bigint, alphabet: string, width: number): string {
  const base = BigInt(alphabet.length);
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i += 1) {
    out = alphabet[Number(rest % base)] + out;
    rest /= base;
  }
  return out;
}
