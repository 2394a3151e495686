// UpdateContributorInsights, DescribeContributorInsights and ListContributorInsights. Syncline has no CloudWatch, so
// (as DynamoDB Local does) the setting is recorded per table and global secondary index and described back, with
// DynamoDB's rule names, but no statistics are gathered. An update answers ENABLING/DISABLING; the change is
// complete at once, so the next Describe says ENABLED/DISABLED.
import { findSchema, isUserTable, requireTable, saveTable } from '../catalog.js';
import type { EngineContext } from '../context.js';
import { DynamoDBError, validation } from '../errors.js';
import type { StoredTable } from '../model.js';
import { checkRequest, controlPlaneTableName, indexName, type RequestShape } from '../validation/shape.js';

const MODES = ['ACCESSED_AND_THROTTLED_KEYS', 'THROTTLED_KEYS'];

const updateShape: RequestShape = {
  tableNameRequired: true,
  fields: {
    TableName: controlPlaneTableName,
    IndexName: indexName(),
    ContributorInsightsAction: { kind: 'string', notNull: true, enum: ['ENABLE', 'DISABLE'] },
    ContributorInsightsMode: { kind: 'string', enum: MODES },
  },
};

const describeShape: RequestShape = {
  tableNameRequired: true,
  fields: { TableName: controlPlaneTableName, IndexName: indexName() },
};

const listShape: RequestShape = {
  fields: {
    TableName: { kind: 'string', minLength: 1, maxLength: 1024 },
    NextToken: { kind: 'string' },
    MaxResults: { kind: 'integer', max: 100 },
  },
};

function checkIndex(table: StoredTable, index: string | undefined): void {
  if (index !== undefined && !table.GlobalSecondaryIndexes?.some((i) => i.IndexName === index)) {
    throw new DynamoDBError('ResourceNotFoundException', `Requested resource not found: Index: ${index} not found`);
  }
}

/** DynamoDB's CloudWatch rule names: partition keys (and sort keys on a composite key), accessed and throttled. */
function ruleNames(table: StoredTable, index: string | undefined, mode: string, at: number): string[] {
  const keys = index ? table.GlobalSecondaryIndexes!.find((i) => i.IndexName === index)!.KeySchema : table.KeySchema;
  const subject = index ? `${table.TableName}-${index}` : table.TableName;
  const kinds = mode === 'THROTTLED_KEYS' ? ['T'] : ['C', 'T'];
  const out: string[] = [];
  for (const key of keys.length > 1 ? ['PK', 'SK'] : ['PK']) {
    for (const kind of kinds) out.push(`DynamoDBContributorInsights-${key}${kind}-${subject}-${at}`);
  }
  return out;
}

function describeOne(table: StoredTable, index: string | undefined): Record<string, unknown> {
  const setting = table.ContributorInsights?.[index ?? ''];
  const out: Record<string, unknown> = { TableName: table.TableName };
  if (index !== undefined) out.IndexName = index;
  if (!setting?.Enabled) {
    out.ContributorInsightsStatus = 'DISABLED';
    if (setting) out.LastUpdateDateTime = setting.UpdatedAt / 1000;
    return out;
  }
  const mode = setting.Mode ?? 'ACCESSED_AND_THROTTLED_KEYS';
  out.ContributorInsightsRuleList = ruleNames(table, index, mode, setting.UpdatedAt);
  out.ContributorInsightsStatus = 'ENABLED';
  out.LastUpdateDateTime = setting.UpdatedAt / 1000;
  out.ContributorInsightsMode = mode;
  return out;
}

export function updateContributorInsights(ctx: EngineContext, body: unknown): Record<string, unknown> {
  const data = checkRequest<{
    TableName: string;
    IndexName?: string;
    ContributorInsightsAction: 'ENABLE' | 'DISABLE';
    ContributorInsightsMode?: string;
  }>(body, updateShape);
  return ctx.storage.transaction((tx) => {
    const table = structuredClone(requireTable(ctx, tx, data.TableName).table);
    checkIndex(table, data.IndexName);
    const enable = data.ContributorInsightsAction === 'ENABLE';
    if (!enable && data.ContributorInsightsMode) {
      throw validation('ContributorInsightsMode can only be specified when ContributorInsightsAction is ENABLE');
    }
    table.ContributorInsights ??= {};
    table.ContributorInsights[data.IndexName ?? ''] = {
      Enabled: enable,
      ...(enable ? { Mode: data.ContributorInsightsMode ?? 'ACCESSED_AND_THROTTLED_KEYS' } : {}),
      UpdatedAt: ctx.now(),
    };
    saveTable(ctx, tx, table);
    const out: Record<string, unknown> = { TableName: table.TableName };
    if (data.IndexName !== undefined) out.IndexName = data.IndexName;
    out.ContributorInsightsStatus = enable ? 'ENABLING' : 'DISABLING';
    if (enable) out.ContributorInsightsMode = data.ContributorInsightsMode ?? 'ACCESSED_AND_THROTTLED_KEYS';
    return out;
  });
}

export function describeContributorInsights(ctx: EngineContext, body: unknown): Record<string, unknown> {
  const data = checkRequest<{ TableName: string; IndexName?: string }>(body, describeShape);
  return ctx.storage.read((tx) => {
    const { table } = requireTable(ctx, tx, data.TableName);
    checkIndex(table, data.IndexName);
    return describeOne(table, data.IndexName);
  });
}

/** Every table (or the one named) and each of its global secondary indexes, in name order, paged by NextToken. */
export function listContributorInsights(
  ctx: EngineContext,
  body: unknown,
): { ContributorInsightsSummaries: Record<string, unknown>[]; NextToken?: string } {
  const data = checkRequest<{ TableName?: string; NextToken?: string; MaxResults?: number }>(body, listShape);
  const limit = data.MaxResults ?? 100;
  if (limit < 0)
    throw validation(
      `1 validation error detected: Value '${limit}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  const start = data.NextToken === undefined ? 0 : Number(data.NextToken);
  if (!Number.isSafeInteger(start) || start < 0) throw validation(`Invalid NextToken: ${data.NextToken}`);
  const all = ctx.storage.read((tx) => {
    const tables: StoredTable[] = [];
    if (data.TableName !== undefined) tables.push(requireTable(ctx, tx, data.TableName).table);
    else {
      for (const { name } of tx.listTables()) {
        const schema = isUserTable(name) ? findSchema(ctx, tx, name) : undefined;
        if (schema) tables.push(schema.table);
      }
    }
    const out: Record<string, unknown>[] = [];
    for (const table of tables.sort((a, b) => (a.TableName < b.TableName ? -1 : 1))) {
      for (const index of [undefined, ...(table.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName)]) {
        const one = describeOne(table, index);
        out.push({
          TableName: one.TableName,
          ...(index !== undefined ? { IndexName: index } : {}),
          ContributorInsightsStatus: one.ContributorInsightsStatus,
          ...(one.ContributorInsightsMode ? { ContributorInsightsMode: one.ContributorInsightsMode } : {}),
        });
      }
    }
    return out;
  });
  const page = all.slice(start, start + limit);
  return start + limit < all.length
    ? { ContributorInsightsSummaries: page, NextToken: String(start + limit) }
    : { ContributorInsightsSummaries: page };
}
