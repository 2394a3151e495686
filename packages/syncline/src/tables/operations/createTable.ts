// CreateTable: checks the definition with DynamoDB's rules and messages, then adds it to the catalog.
// Tables are usable at once: the response already says ACTIVE (DynamoDB says CREATING for a few seconds; SDK
// waiters accept either, and local development should not wait).
import { randomUUID } from 'node:crypto';
import { findSchema, saveTable, tableArn } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { describeStoredTable } from '../describe.js';
import { DynamoDBError, validation } from '../errors.js';
import type {
  AttributeDefinition,
  BillingMode,
  KeySchemaElement,
  Projection,
  ProvisionedThroughput,
  StoredIndex,
  StoredTable,
  StreamSpecification,
  Tag,
} from '../model.js';
import {
  checkRequest,
  controlPlaneTableName,
  indexName,
  keySchema,
  projection,
  provisionedThroughput,
  type RequestShape,
  streamSpecification,
  tags,
} from '../validation/shape.js';
import { checkTags } from './tags.js';

export interface CreateTableInput {
  TableName: string;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode?: BillingMode;
  ProvisionedThroughput?: ProvisionedThroughput;
  LocalSecondaryIndexes?: StoredIndex[];
  GlobalSecondaryIndexes?: StoredIndex[];
  StreamSpecification?: StreamSpecification;
  Tags?: Tag[];
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
}

const indexShape = (global: boolean) => ({
  kind: 'list' as const,
  of: {
    kind: 'struct' as const,
    name: global ? 'GlobalSecondaryIndex' : 'LocalSecondaryIndex',
    fields: {
      IndexName: indexName(true),
      KeySchema: keySchema(false),
      Projection: projection,
      ...(global ? { ProvisionedThroughput: provisionedThroughput() } : {}),
    },
  },
});

const shape: RequestShape = {
  tableNameRequired: true,
  fields: {
    AttributeDefinitions: {
      kind: 'list',
      notNull: true,
      of: {
        kind: 'struct',
        name: 'AttributeDefinition',
        fields: {
          AttributeName: { kind: 'string', notNull: true, minLength: 1, maxLength: 255 },
          AttributeType: { kind: 'string', notNull: true, enum: ['B', 'N', 'S'] },
        },
      },
    },
    TableName: controlPlaneTableName,
    BillingMode: { kind: 'string', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
    ProvisionedThroughput: provisionedThroughput(),
    KeySchema: keySchema(true),
    LocalSecondaryIndexes: indexShape(false),
    GlobalSecondaryIndexes: indexShape(true),
    StreamSpecification: streamSpecification,
    Tags: tags,
    TableClass: { kind: 'string', enum: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] },
    DeletionProtectionEnabled: { kind: 'boolean' },
    SSESpecification: { kind: 'struct', name: 'SSESpecification', fields: {} },
  },
};

const INVALID = 'One or more parameter values were invalid: ';

export function checkThroughputBounds(t: ProvisionedThroughput | undefined): void {
  if (!t) return;
  if (t.ReadCapacityUnits > 1_000_000_000_000) {
    throw validation(`Given value ${t.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
  }
  if (t.WriteCapacityUnits > 1_000_000_000_000) {
    throw validation(`Given value ${t.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
}

/** Checks one index's key schema and projection (shared with UpdateTable's Create action). */
export function checkIndexDefinition(index: StoredIndex, defined: string[]): void {
  const keys = index.KeySchema.map((k) => k.AttributeName);
  if (keys.some((k) => !defined.includes(k))) {
    throw validation(
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  if (keys.length === 2 && keys[0] === keys[1]) {
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  if (index.KeySchema[0].KeyType !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (index.KeySchema[1] && index.KeySchema[1].KeyType !== 'RANGE') {
    throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
}

function checkProjection(index: StoredIndex): void {
  const p: Partial<Projection> = index.Projection;
  if (p.ProjectionType == null) throw validation(`${INVALID}Unknown ProjectionType: null`);
  if (p.NonKeyAttributes && p.ProjectionType !== 'INCLUDE') {
    throw validation(`${INVALID}ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`);
  }
  if (p.ProjectionType === 'INCLUDE' && !p.NonKeyAttributes) {
    throw validation(`${INVALID}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
  }
  const attrs = p.NonKeyAttributes ?? [];
  const repeated = attrs.find((name, i) => attrs.indexOf(name) !== i);
  if (repeated !== undefined) throw validation(`${INVALID}Duplicate element in NonKeyAttributes: ${repeated}`);
}

function checkDefinition(data: CreateTableInput): void {
  if (data.BillingMode === 'PAY_PER_REQUEST') {
    if (data.ProvisionedThroughput) {
      throw validation(
        `${INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST`,
      );
    }
  } else {
    const t = data.ProvisionedThroughput;
    if (!t?.ReadCapacityUnits || !t.WriteCapacityUnits) {
      throw validation(
        `${INVALID}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED`,
      );
    }
    checkThroughputBounds(t);
  }
  const defined = data.AttributeDefinitions.map((d) => d.AttributeName);
  const duplicate = defined.find((name, i) => defined.indexOf(name) !== i);
  if (duplicate !== undefined) throw validation(`Attribute Name is duplicated: ${duplicate}`);
  const keys = data.KeySchema.map((k) => k.AttributeName);
  if (keys.length > defined.length) throw validation('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((k) => !defined.includes(k))) {
    throw validation(
      `${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  if (keys[0] === keys[1])
    throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (data.KeySchema[0].KeyType !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (data.KeySchema[1] && data.KeySchema[1].KeyType !== 'RANGE') {
    throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
  const names = new Set<string>();
  const used = new Set(keys);
  if (data.LocalSecondaryIndexes) {
    if (!data.LocalSecondaryIndexes.length) throw validation(`${INVALID}List of LocalSecondaryIndexes is empty`);
    if (data.KeySchema.length !== 2) {
      throw validation(
        `${INVALID}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`,
      );
    }
    for (const index of data.LocalSecondaryIndexes) {
      checkIndexDefinition(index, defined);
      if (index.KeySchema.length !== 2) {
        throw validation(`${INVALID}Index KeySchema does not have a range key for index: ${index.IndexName}`);
      }
      const indexHash = index.KeySchema[0].AttributeName;
      if (indexHash !== keys[0]) {
        throw validation(
          `${INVALID}Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.IndexName}. index hash key: ${indexHash}, table hash key: ${keys[0]}`,
        );
      }
      checkProjection(index);
      if (names.has(index.IndexName)) throw validation(`${INVALID}Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName);
      for (const k of index.KeySchema) used.add(k.AttributeName);
    }
    if (data.LocalSecondaryIndexes.length > 5) {
      throw validation(`${INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
    }
  }
  if (data.GlobalSecondaryIndexes) {
    if (!data.GlobalSecondaryIndexes.length) throw validation(`${INVALID}List of GlobalSecondaryIndexes is empty`);
    for (const index of data.GlobalSecondaryIndexes) {
      checkIndexDefinition(index, defined);
      checkProjection(index);
      if (data.BillingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
        throw validation(
          `${INVALID}ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      if (data.BillingMode !== 'PAY_PER_REQUEST' && !index.ProvisionedThroughput) {
        throw validation(`${INVALID}ProvisionedThroughput must be specified for index: ${index.IndexName}`);
      }
      if (names.has(index.IndexName)) throw validation(`${INVALID}Duplicate index name: ${index.IndexName}`);
      names.add(index.IndexName);
      for (const k of index.KeySchema) used.add(k.AttributeName);
    }
    if (data.GlobalSecondaryIndexes.length > 20) {
      throw validation(`${INVALID}GlobalSecondaryIndex count exceeds the per-table limit of 20`);
    }
  }
  if (!data.LocalSecondaryIndexes && !data.GlobalSecondaryIndexes && keys.length !== defined.length) {
    throw validation(
      `${INVALID}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions`,
    );
  }
  if (defined.some((d) => !used.has(d))) {
    throw validation(
      `${INVALID}Some AttributeDefinitions are not used. AttributeDefinitions: [${defined.join(', ')}], keys used: [${[...used].join(', ')}]`,
    );
  }
  if (data.Tags) checkTags(data.Tags);
  const spec = data.StreamSpecification;
  if (spec?.StreamEnabled && !spec.StreamViewType) {
    throw validation(`${INVALID}Table is being created with a stream enabled, UpdateViewType is required`);
  }
  if (spec && !spec.StreamEnabled && spec.StreamViewType) {
    throw validation(`${INVALID}Table is being created with a stream disabled, UpdateViewType should not be specified`);
  }
}

export function streamLabel(now: number): string {
  return new Date(now).toISOString().replace('Z', '');
}

export function parseCreateTable(body: unknown): CreateTableInput {
  const data = checkRequest<CreateTableInput>(body, shape);
  checkDefinition(data);
  return data;
}

/** Builds the stored form of a valid definition (shared with ensureTable). */
export function newStoredTable(ctx: EngineContext, data: CreateTableInput): StoredTable {
  const now = ctx.now();
  const table: StoredTable = {
    TableName: data.TableName,
    TableId: randomUUID(),
    TableArn: tableArn(ctx, data.TableName),
    CreationDateTime: now / 1000,
    AttributeDefinitions: data.AttributeDefinitions,
    KeySchema: data.KeySchema,
    BillingMode: data.BillingMode ?? 'PROVISIONED',
    ProvisionedThroughput: data.ProvisionedThroughput ?? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    Tags: data.Tags ?? [],
  };
  if (data.LocalSecondaryIndexes) table.LocalSecondaryIndexes = data.LocalSecondaryIndexes;
  if (data.GlobalSecondaryIndexes) table.GlobalSecondaryIndexes = data.GlobalSecondaryIndexes;
  if (data.StreamSpecification?.StreamEnabled) {
    table.StreamSpecification = data.StreamSpecification;
    table.LatestStreamLabel = streamLabel(now);
    table.LatestStreamArn = `${table.TableArn}/stream/${table.LatestStreamLabel}`;
  }
  if (data.TableClass) table.TableClass = data.TableClass;
  if (data.DeletionProtectionEnabled) table.DeletionProtectionEnabled = true;
  return table;
}

export function createTable(ctx: EngineContext, body: unknown): { TableDescription: Record<string, unknown> } {
  const data = parseCreateTable(body);
  return ctx.storage.transaction((tx) => {
    if (findSchema(ctx, tx, data.TableName)) {
      throw new DynamoDBError('ResourceInUseException', `Table already exists: ${data.TableName}`);
    }
    const table = newStoredTable(ctx, data);
    saveTable(ctx, tx, table);
    return { TableDescription: describeStoredTable(ctx, tx, table) };
  });
}
