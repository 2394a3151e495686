// `util.autoId`, `util.autoUlid`, `util.autoKsuid`. The clock and the random source are parameters so the
// formats and their time ordering can be checked against fixed values.
import { randomBytes, randomUUID } from 'node:crypto';

export type RandomSource = (size: number) => ArrayLike<number>;

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
  const s = seconds >>> 0;
  const bytes = [s >>> 24, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff, ...Array.from(random(16))];
  return encode(toBigInt(bytes), BASE62, 27);
}

function toBigInt(bytes: ArrayLike<number>): bigint {
  let n = 0n;
  for (let i = 0; i < bytes.length; i += 1) n = (n << 8n) | BigInt(bytes[i]);
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
