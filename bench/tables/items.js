// The data every contender stores: ~100-byte items keyed by pk (S) and sk (N), and the key sets each
// operation draws from. Shared by the SDK load generator and the raw SQLite baseline so both do the same work.
export const TABLE = 'bench_items';
/** Query partitions q0..q9, each holding exactly QUERY_ITEMS items, written before anything is timed. */
export const QUERY_PARTITIONS = 10;
export const QUERY_ITEMS = 100;
/** PutItem spreads new items over this many partitions. */
export const PUT_PARTITIONS = 256;

const BODY = 'x'.repeat(72);

/** An item in DynamoDB JSON: about 95 bytes by DynamoDB's size rules (names + values). */
export function item(pk, sk) {
  return { pk: { S: pk }, sk: { N: String(sk) }, body: { S: BODY }, n: { N: String(sk % 1000) } };
}

/** The i-th new item a load process writes; `client` keeps processes from overwriting each other. */
export function putKey(client, i) {
  return { pk: `u${i % PUT_PARTITIONS}`, sk: client * 1e9 + i };
}

export function randomGetKey() {
  const r = Math.floor(Math.random() * QUERY_PARTITIONS * QUERY_ITEMS);
  return { pk: `q${r % QUERY_PARTITIONS}`, sk: Math.floor(r / QUERY_PARTITIONS) };
}

export function randomQueryPartition() {
  return `q${Math.floor(Math.random() * QUERY_PARTITIONS)}`;
}

export function* seedItems() {
  for (let p = 0; p < QUERY_PARTITIONS; p++) for (let s = 0; s < QUERY_ITEMS; s++) yield item(`q${p}`, s);
}
