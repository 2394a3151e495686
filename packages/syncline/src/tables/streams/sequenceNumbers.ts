// Stream sequence numbers on the wire. Storage numbers records with one increasing integer; DynamoDB sends
// 21–40 digit strings. A fixed-width form (a leading 1 and 20 zero-padded digits) keeps them DynamoDB-like and
// makes string order equal numeric order, which clients comparing sequence numbers as strings rely on.

const WIDTH = 20;
const PATTERN = /^1\d{20}$/;

export function formatSequenceNumber(sequence: number): string {
  return `1${String(sequence).padStart(WIDTH, '0')}`;
}

/** The storage sequence of a wire sequence number; undefined when it is not one of ours. */
export function parseSequenceNumber(text: string): number | undefined {
  if (!PATTERN.test(text)) return undefined;
  const n = Number(text.slice(1));
  return Number.isSafeInteger(n) ? n : undefined;
}
