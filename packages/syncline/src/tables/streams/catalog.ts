// Which streams exist. A table's current stream comes from the table catalog; a stream the table has moved on
// from (disabled and re-enabled, or its table deleted) stays readable through the metadata the recorder kept,
// until its records are trimmed — as DynamoDB keeps old streams readable for 24 hours.
import { isUserTable } from '../catalog.js';
import type { StoredTable } from '../model.js';
import type { StorageTx } from '../storage/port.js';
import { type StreamMeta, streamMetaKey } from './recorder.js';
import { type ShardRef, shardsOf } from './shards.js';

export interface StreamInfo {
  arn: string;
  tableName: string;
  keySchema: StoredTable['KeySchema'];
  viewType: StreamMeta['StreamViewType'];
  label: string;
  /** ENABLED while it is its table's stream and the stream is on; a disabled stream's shards are closed. */
  status: 'ENABLED' | 'DISABLED';
  createdAtMs: number;
  shards: ShardRef[];
}

/** Labels are ISO timestamps without the zone (`2024-05-01T10:00:00.123`), in UTC. */
const labelTime = (label: string) => {
  const ms = Date.parse(`${label}Z`);
  return Number.isNaN(ms) ? 0 : ms;
};

function info(arn: string, meta: StreamMeta, enabled: boolean): StreamInfo {
  const createdAtMs = labelTime(meta.StreamLabel);
  return {
    arn,
    tableName: meta.TableName,
    keySchema: meta.KeySchema,
    viewType: meta.StreamViewType,
    label: meta.StreamLabel,
    status: enabled ? 'ENABLED' : 'DISABLED',
    createdAtMs,
    shards: shardsOf(arn, createdAtMs),
  };
}

function fromTable(table: StoredTable, tx: StorageTx): StreamInfo | undefined {
  const arn = table.LatestStreamArn;
  if (!arn || !table.LatestStreamLabel) return undefined;
  const spec = table.StreamSpecification;
  if (spec?.StreamEnabled && spec.StreamViewType) {
    const meta = {
      TableName: table.TableName,
      KeySchema: table.KeySchema,
      StreamViewType: spec.StreamViewType,
      StreamLabel: table.LatestStreamLabel,
    };
    return info(arn, meta, true);
  }
  // Disabled: the view type is only known from the records' metadata.
  const kept = tx.getMeta(streamMetaKey(arn));
  return kept ? info(arn, JSON.parse(kept) as StreamMeta, false) : undefined;
}

const TABLE_IN_ARN = /^arn:aws:dynamodb:[^:]+:[^:]+:table\/([^/]+)\/stream\/.+$/;

export function findStream(tx: StorageTx, arn: string): StreamInfo | undefined {
  const tableName = TABLE_IN_ARN.exec(arn)?.[1];
  if (!tableName) return undefined;
  const json = tx.getTable(tableName);
  if (json) {
    const table = JSON.parse(json) as StoredTable;
    if (table.LatestStreamArn === arn) return fromTable(table, tx);
  }
  const kept = tx.getMeta(streamMetaKey(arn));
  return kept ? info(arn, JSON.parse(kept) as StreamMeta, false) : undefined;
}

/** The current stream of every table that has one, ordered by table name. */
export function listStreams(tx: StorageTx): StreamInfo[] {
  const out: StreamInfo[] = [];
  for (const { name, description } of tx.listTables()) {
    if (!isUserTable(name)) continue;
    const stream = fromTable(JSON.parse(description) as StoredTable, tx);
    if (stream) out.push(stream);
  }
  return out;
}
