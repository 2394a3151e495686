// How rows spread over scan segments. Part of the port's contract (not of one adapter) because the engine must
// tell which segment an ExclusiveStartKey belongs to, and every adapter must agree with what is persisted.

/** FNV-1a over the encoded partition key: stable forever, it is stored with every row. */
export function partitionHash(pk: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < pk.length; i++) {
    h ^= pk[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const HASH_SPACE = 0x1_0000_0000;

/** The half-open hash range [low, high) of one scan segment. */
export function segmentBounds(segment: number, totalSegments: number): [number, number] {
  return [Math.floor((segment * HASH_SPACE) / totalSegments), Math.floor(((segment + 1) * HASH_SPACE) / totalSegments)];
}

export function inSegment(pk: Buffer, segment: number, totalSegments: number): boolean {
  const h = partitionHash(pk);
  const [low, high] = segmentBounds(segment, totalSegments);
  return h >= low && h < high;
}
