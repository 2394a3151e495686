// The items every table contender stores, in DynamoDB JSON: ~95 bytes each, 100 per partition, so that a
// table of N items has N / 100 partitions of exactly 100 items (what Query returns), and GetItem draws any of
// the N keys. PutItem writes new items into 256 partitions of their own.
export const TABLE = 'bench_items';
export const PER_PARTITION = 100;
const BODY = 'x'.repeat(72);

export function item(i) {
  return keyed(`p${Math.floor(i / PER_PARTITION)}`, i % PER_PARTITION);
}

export function keyed(pk, sk) {
  return { pk: { S: pk }, sk: { N: String(sk) }, body: { S: BODY }, n: { N: String(sk % 1000) } };
}
