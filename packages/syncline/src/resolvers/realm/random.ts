// Inside the realm, `node:crypto` resolves here (realm/build.ts): the ids of `util.autoId`, `autoUlid` and `autoKsuid`
// come from a ChaCha20 keystream keyed with 32 bytes of the host's CSPRNG when the realm is made, so ids stay
// unpredictable although the realm has no access to the host's random source.

let key: number[] = [];
let nonce = [0, 0, 0];
let counter = 0;
let pool: number[] = [];

/** Called once by the realm setup with 32 random bytes (64 hex digits) from the host. */
export function seed(hex: string): void {
  const bytes: number[] = [];
  for (let i = 0; i < 64; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  key = [];
  for (let i = 0; i < 32; i += 4)
    key.push(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  nonce = [0, 0, 0];
  counter = 0;
  pool = [];
}

const rotl = (v: number, n: number) => (v << n) | (v >>> (32 - n));

function block(): number[] {
  const s = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, ...key, counter >>> 0, ...nonce];
  counter += 1;
  if (counter === 0x100000000) {
    counter = 0;
    nonce[0] += 1;
  }
  const x = s.slice();
  const qr = (a: number, b: number, c: number, d: number) => {
    x[a] = (x[a] + x[b]) | 0;
    x[d] = rotl(x[d] ^ x[a], 16);
    x[c] = (x[c] + x[d]) | 0;
    x[b] = rotl(x[b] ^ x[c], 12);
    x[a] = (x[a] + x[b]) | 0;
    x[d] = rotl(x[d] ^ x[a], 8);
    x[c] = (x[c] + x[d]) | 0;
    x[b] = rotl(x[b] ^ x[c], 7);
  };
  for (let i = 0; i < 10; i += 1) {
    qr(0, 4, 8, 12);
    qr(1, 5, 9, 13);
    qr(2, 6, 10, 14);
    qr(3, 7, 11, 15);
    qr(0, 5, 10, 15);
    qr(1, 6, 11, 12);
    qr(2, 7, 8, 13);
    qr(3, 4, 9, 14);
  }
  const out: number[] = [];
  for (let i = 0; i < 16; i += 1) {
    const w = (x[i] + s[i]) | 0;
    out.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
  }
  return out;
}

export function randomBytes(size: number): number[] {
  while (pool.length < size) pool.push(...block());
  return pool.splice(0, size);
}

const HEX = '0123456789abcdef';

export function randomUUID(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i += 1) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  }
  return s;
}
