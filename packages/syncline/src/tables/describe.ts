// The TableDescription DynamoDB returns from CreateTable, DescribeTable, UpdateTable and DeleteTable.
import { tableArn } from './catalog.js';
import type { EngineContext } from './context.js';
import type { StoredIndex, StoredTable } from './model.js';
import type { StorageTx } from './storage/port.js';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

function throughput(table: StoredTable, own?: { ReadCapacityUnits: number; WriteCapacityUnits: number }) {
  const t =
    table.BillingMode === 'PAY_PER_REQUEST'
      ? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 }
      : (own ?? table.ProvisionedThroughput);
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: t.ReadCapacityUnits,
    WriteCapacityUnits: t.WriteCapacityUnits,
  };
}

export function describeStoredTable(
  ctx: EngineContext,
  tx: StorageTx | undefined,
  table: StoredTable,
  status: TableStatus = 'ACTIVE',
): Record<string, unknown> {
  const arn = tableArn(ctx, table.TableName);
  const stats = (index: string) => (tx ? tx.stats(table.TableName, index) : { count: 0, bytes: 0 });
  const main = stats('');
  const index = (i: StoredIndex, global: boolean) => {
    const s = stats(i.IndexName);
    return {
      IndexName: i.IndexName,
      KeySchema: i.KeySchema,
      Projection: i.Projection,
      ...(global ? { IndexStatus: 'ACTIVE', ProvisionedThroughput: throughput(table, i.ProvisionedThroughput) } : {}),
      IndexSizeBytes: s.bytes,
      ItemCount: s.count,
      IndexArn: `${arn}/index/${i.IndexName}`,
    };
  };
  const out: Record<string, unknown> = {
    AttributeDefinitions: table.AttributeDefinitions,
    TableName: table.TableName,
    KeySchema: table.KeySchema,
    TableStatus: status,
    CreationDateTime: table.CreationDateTime,
    ProvisionedThroughput: throughput(table),
    TableSizeBytes: main.bytes,
    ItemCount: main.count,
    TableArn: arn,
    TableId: table.TableId,
    DeletionProtectionEnabled: table.DeletionProtectionEnabled ?? false,
  };
  if (table.BillingMode === 'PAY_PER_REQUEST') {
    out.BillingModeSummary = {
      BillingMode: 'PAY_PER_REQUEST',
      LastUpdateToPayPerRequestDateTime: table.LastUpdateToPayPerRequestDateTime ?? table.CreationDateTime,
    };
  }
  if (table.LocalSecondaryIndexes?.length)
    out.LocalSecondaryIndexes = table.LocalSecondaryIndexes.map((i) => index(i, false));
  if (table.GlobalSecondaryIndexes?.length)
    out.GlobalSecondaryIndexes = table.GlobalSecondaryIndexes.map((i) => index(i, true));
  if (table.StreamSpecification?.StreamEnabled) out.StreamSpecification = table.StreamSpecification;
  if (table.LatestStreamArn) {
    out.LatestStreamLabel = table.LatestStreamLabel;
    out.LatestStreamArn = table.LatestStreamArn;
  }
  if (table.RestoreSummary) out.RestoreSummary = table.RestoreSummary;
  if (table.TableClass) out.TableClassSummary = { TableClass: table.TableClass };
  return out;
}
