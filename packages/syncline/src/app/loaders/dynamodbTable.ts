// The `AWS::DynamoDB::Table` properties Syncline runs (keys, indexes, stream, TTL), read into the table shape of
// syncline.config; capacity, encryption, backups and tags are AWS's business and are listed as ignored.
import type { ParsedAppConfig } from '../config.js';
import type { KeyPath } from './yaml.js';

type TableConfig = Omit<NonNullable<ParsedAppConfig['tables']>[string], 'name'>;
type KeyAttribute = { name: string; type: 'S' | 'N' | 'B' };

export interface TableReader {
  fail(path: KeyPath, detail: string): never;
  /** A property accepted but not run locally. */
  ignored(key: string): void;
}

const READ = new Set([
  'TableName',
  'KeySchema',
  'AttributeDefinitions',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'StreamSpecification',
  'TimeToLiveSpecification',
]);
/** Meaningful on AWS only: accepted without a word beyond the one notice. */
const AWS_ONLY = new Set([
  'BillingMode',
  'ProvisionedThroughput',
  'OnDemandThroughput',
  'WarmThroughput',
  'SSESpecification',
  'PointInTimeRecoverySpecification',
  'DeletionProtectionEnabled',
  'Tags',
  'ContributorInsightsSpecification',
  'TableClass',
  'ResourcePolicy',
  'ImportSourceSpecification',
]);

/** Whether a property is there once evaluated (`!If [c, x, !Ref AWS::NoValue]` may remove it). */
function present(props: Record<string, unknown>, key: string): boolean {
  try {
    return props[key] !== undefined;
  } catch {
    // It refers to something that only exists on AWS (a KMS key): it is there, and ignored all the same.
    return true;
  }
}

export function readTable(props: Record<string, unknown>, path: KeyPath, r: TableReader): TableConfig {
  for (const key of Object.keys(props)) {
    if (READ.has(key)) continue;
    if (AWS_ONLY.has(key)) {
      if (present(props, key)) r.ignored(key);
    } else if (key === 'KinesisStreamSpecification') {
      r.fail([...path, key], 'Kinesis Data Streams for DynamoDB is not run by Syncline; use StreamSpecification');
    } else r.fail([...path, key], `not an AWS::DynamoDB::Table property`);
  }
  const definitions = new Map<string, 'S' | 'N' | 'B'>();
  const defs = props.AttributeDefinitions;
  if (!Array.isArray(defs))
    r.fail([...path, 'AttributeDefinitions'], 'is required: a list of {AttributeName, AttributeType}');
  (defs as unknown[]).forEach((d, i) => {
    const { AttributeName, AttributeType } = (d ?? {}) as Record<string, unknown>;
    if (typeof AttributeName !== 'string' || !['S', 'N', 'B'].includes(String(AttributeType))) {
      r.fail([...path, 'AttributeDefinitions', i], 'expected {AttributeName, AttributeType: S | N | B}');
    }
    definitions.set(AttributeName as string, AttributeType as 'S' | 'N' | 'B');
  });

  const keys = (schema: unknown, at: KeyPath): { partitionKey: KeyAttribute; sortKey?: KeyAttribute } => {
    if (!Array.isArray(schema) || schema.length < 1 || schema.length > 2) {
      r.fail(at, 'is required: one HASH key and at most one RANGE key');
    }
    const attribute = (type: 'HASH' | 'RANGE'): KeyAttribute | undefined => {
      const i = (schema as Record<string, unknown>[]).findIndex((k) => k?.KeyType === type);
      if (i < 0) return undefined;
      const name = (schema as Record<string, unknown>[])[i].AttributeName;
      const attrType = definitions.get(String(name));
      if (!attrType) r.fail([...at, i, 'AttributeName'], `${String(name)} is not in AttributeDefinitions`);
      return { name: String(name), type: attrType as 'S' | 'N' | 'B' };
    };
    const partitionKey = attribute('HASH');
    if (!partitionKey) r.fail(at, 'needs a HASH key');
    return { partitionKey: partitionKey as KeyAttribute, sortKey: attribute('RANGE') };
  };

  const indexes = (list: unknown, key: string) => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) r.fail([...path, key], 'expected a list of indexes');
    const out: NonNullable<TableConfig['globalIndexes']> = {};
    (list as Record<string, unknown>[]).forEach((index, i) => {
      const at: KeyPath = [...path, key, i];
      if (typeof index?.IndexName !== 'string') r.fail([...at, 'IndexName'], 'is required');
      const projection = (index.Projection ?? {}) as Record<string, unknown>;
      const type = projection.ProjectionType ?? 'KEYS_ONLY';
      let shape: 'ALL' | 'KEYS_ONLY' | { include: string[] };
      if (type === 'ALL' || type === 'KEYS_ONLY') shape = type;
      else if (type === 'INCLUDE') {
        if (!Array.isArray(projection.NonKeyAttributes) || !projection.NonKeyAttributes.length) {
          r.fail([...at, 'Projection', 'NonKeyAttributes'], 'INCLUDE lists the attributes to project');
        }
        shape = { include: (projection.NonKeyAttributes as unknown[]).map(String) };
      } else r.fail([...at, 'Projection', 'ProjectionType'], 'is ALL, KEYS_ONLY or INCLUDE');
      for (const k of Object.keys(index)) {
        if (!['IndexName', 'KeySchema', 'Projection'].includes(k)) r.ignored(`${String(index.IndexName)}.${k}`);
      }
      out[index.IndexName as string] = { ...keys(index.KeySchema, [...at, 'KeySchema']), projection: shape! };
    });
    return out;
  };

  const table: TableConfig = {
    ...keys(props.KeySchema, [...path, 'KeySchema']),
    globalIndexes: indexes(props.GlobalSecondaryIndexes, 'GlobalSecondaryIndexes'),
    localIndexes: indexes(props.LocalSecondaryIndexes, 'LocalSecondaryIndexes'),
  };
  const stream = props.StreamSpecification as { StreamViewType?: unknown } | undefined;
  if (stream !== undefined) {
    const view = stream?.StreamViewType;
    if (!['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'].includes(String(view))) {
      r.fail(
        [...path, 'StreamSpecification', 'StreamViewType'],
        'is NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE or KEYS_ONLY',
      );
    }
    table.stream = view as TableConfig['stream'];
  }
  const ttl = props.TimeToLiveSpecification as { AttributeName?: unknown; Enabled?: unknown } | undefined;
  if (ttl !== undefined && ttl.Enabled !== false && ttl.Enabled !== 'false') {
    if (typeof ttl.AttributeName !== 'string') {
      r.fail([...path, 'TimeToLiveSpecification', 'AttributeName'], 'is required when TTL is enabled');
    }
    table.ttl = ttl.AttributeName as string;
  }
  return table;
}
