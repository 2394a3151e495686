// The PostgreSQL schema as numbered migrations. Every node applies the missing ones at start, under an advisory
// lock so that nodes starting together do not race; `migrations` records what is applied. A migration is never
// edited once released: a change to the schema is a new entry at the end.

/** Everything Syncline keeps lives in this schema of the configured database. */
export const SCHEMA_NAME = 'syncline';

/** Advisory lock key (any constant) held while migrating. */
export const MIGRATION_LOCK = 7_306_912_551;

export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'tables, rows, streams, meta',
    sql: `
CREATE TABLE tables (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  description text NOT NULL
);
-- Rows of every table and index, clustered as in SQLite: a query is one index range, a scan walks partitions in
-- hash order. bytea compares with memcmp (then length), the order the engine's key encoding is built for.
CREATE TABLE rows (
  t integer NOT NULL,
  ix text NOT NULL,
  h bigint NOT NULL,
  pk bytea NOT NULL,
  sk bytea NOT NULL,
  tpk bytea NOT NULL,
  tsk bytea NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (t, ix, h, pk, sk, tpk, tsk)
);
CREATE TABLE stream_records (
  sequence bigserial PRIMARY KEY,
  stream_id text NOT NULL,
  shard_key text NOT NULL,
  created_at bigint NOT NULL,
  record text NOT NULL
);
CREATE INDEX stream_records_by_time ON stream_records (created_at);
CREATE INDEX stream_records_by_shard ON stream_records (stream_id, shard_key, sequence);
CREATE TABLE stream_horizons (
  stream_id text NOT NULL,
  shard_key text NOT NULL,
  trimmed_through bigint NOT NULL,
  PRIMARY KEY (stream_id, shard_key)
);
CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);

-- An item read inside a write transaction takes an exclusive transaction-scoped lock on its key first, then reads
-- with a fresh snapshot (a VOLATILE function's statements each take one under READ COMMITTED): the value seen is
-- the latest committed one and stays so until commit. The lock covers absent items too, which row locks cannot.
CREATE FUNCTION locked_get(lock_key bigint, t_ integer, ix_ text, h_ bigint, pk_ bytea, sk_ bytea, tpk_ bytea, tsk_ bytea)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN (SELECT value FROM rows WHERE t = t_ AND ix = ix_ AND h = h_ AND pk = pk_ AND sk = sk_ AND tpk = tpk_ AND tsk = tsk_);
END $$;

-- Stream records are appended at commit: each shard's lock is taken (in a fixed order, so appenders never
-- deadlock on each other) before its sequence numbers are drawn, and held until commit. Within a shard, sequence
-- order is therefore commit order, and a reader that has seen a sequence has seen every smaller one of its shard.
CREATE FUNCTION append_records(stream_ids text[], shard_keys text[], created bigint[], records text[])
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  shard record;
BEGIN
  FOR shard IN SELECT DISTINCT s, k FROM unnest(stream_ids, shard_keys) AS u(s, k) ORDER BY s, k LOOP
    PERFORM pg_advisory_xact_lock(1, hashtext(shard.s || '#' || shard.k));
  END LOOP;
  INSERT INTO stream_records (stream_id, shard_key, created_at, record)
    SELECT s, k, c, r FROM unnest(stream_ids, shard_keys, created, records) WITH ORDINALITY AS u(s, k, c, r, n) ORDER BY n;
END $$;
`,
  },
  {
    version: 2,
    name: 'cluster: nodes, shard leases, schedule fires',
    sql: `
-- Nodes announce themselves here; the live count decides each node's fair share of leases.
CREATE TABLE cluster_nodes (
  node text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
-- One row per leasable unit (a stream shard of a mapping). token grows on every takeover: a write fenced with an
-- older token is refused.
CREATE TABLE leases (
  name text PRIMARY KEY,
  owner text,
  expires_at timestamptz NOT NULL DEFAULT '-infinity',
  token bigint NOT NULL DEFAULT 0
);
-- A schedule's fire, claimed once per (rule, due time) across the cluster.
CREATE TABLE schedule_fires (
  rule text NOT NULL,
  due bigint NOT NULL,
  node text NOT NULL,
  fired_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule, due)
);
`,
  },
  {
    version: 3,
    name: 'cluster: shared secrets',
    sql: `
-- Secrets a node would otherwise generate for itself (API keys, the functions' credentials): the first node to
-- need one inserts it, every other node reads that one, so that every node accepts the same keys.
CREATE TABLE secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
];
