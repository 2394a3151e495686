// Consumed capacity as DynamoDB computes it: a write costs 1 unit per started KB of the larger of the old and new
// item, a strongly consistent read 1 unit per started 4 KB (eventually consistent: half), a Query/Scan rounds the
// summed size of everything it read, and transactions cost double. Secondary indexes are charged per index write.
import { indexRowKey, projectForIndex, type TableSchema } from './schema.js';
import { type Item, itemSize, setOwn } from './values/index.js';

export type ReturnConsumedCapacity = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;

/** Whether a request asked for ConsumedCapacity (only then is it worth sizing what it read and wrote). */
export const reportsCapacity = (mode: ReturnConsumedCapacity) => mode === 'TOTAL' || mode === 'INDEXES';

export interface Capacity {
  CapacityUnits: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface ConsumedCapacity extends Capacity {
  TableName: string;
  Table?: Capacity;
  GlobalSecondaryIndexes?: Record<string, Capacity>;
  LocalSecondaryIndexes?: Record<string, Capacity>;
}

/** Accumulates units for one table over one request. */
export class CapacityMeter {
  private table = 0;
  private readonly indexes = new Map<string, { global: boolean; units: number }>();
  constructor(
    readonly schema: TableSchema,
    readonly kind: 'read' | 'write',
  ) {}

  addTable(units: number): void {
    this.table += units;
  }

  addIndex(name: string, global: boolean, units: number): void {
    const entry = this.indexes.get(name) ?? { global, units: 0 };
    entry.units += units;
    this.indexes.set(name, entry);
  }

  /** Units of writing `newItem` over `oldItem` in the table and in every index the change touches. */
  addWrite(oldItem: Item | undefined, newItem: Item | undefined, factor = 1): void {
    const size = Math.max(oldItem ? itemSize(oldItem) : 0, newItem ? itemSize(newItem) : 0);
    this.addTable(writeUnits(size) * factor);
    for (const index of this.schema.indexes.values()) {
      const before = oldItem && indexRowKey(this.schema, index, oldItem);
      const after = newItem && indexRowKey(this.schema, index, newItem);
      if (!before && !after) continue;
      const projected = Math.max(
        before ? itemSize(projectForIndex(index, oldItem!)) : 0,
        after ? itemSize(projectForIndex(index, newItem!)) : 0,
      );
      // Moving an item within an index is a delete plus a put.
      const moved = before && after && (!before.pk.equals(after.pk) || !before.sk.equals(after.sk));
      this.addIndex(index.name, index.global, writeUnits(projected) * (moved ? 2 : 1) * factor);
    }
  }

  report(mode: ReturnConsumedCapacity): ConsumedCapacity | undefined {
    if (!reportsCapacity(mode)) return undefined;
    let total = this.table;
    for (const { units } of this.indexes.values()) total += units;
    const unitsOf = (n: number): Capacity =>
      this.kind === 'read' ? { CapacityUnits: n, ReadCapacityUnits: n } : { CapacityUnits: n, WriteCapacityUnits: n };
    const out: ConsumedCapacity = { TableName: this.schema.name, ...unitsOf(total) };
    if (mode === 'INDEXES') {
      out.Table = unitsOf(this.table);
      for (const [name, { global, units }] of this.indexes) {
        const key = global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes';
        out[key] ??= {};
        setOwn(out[key]!, name, unitsOf(units));
      }
    }
    return out;
  }
}

export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

export const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** Merges per-table reports of a batch or transaction into DynamoDB's list form. */
export function capacityList(
  meters: Iterable<CapacityMeter>,
  mode: ReturnConsumedCapacity,
): ConsumedCapacity[] | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const out: ConsumedCapacity[] = [];
  for (const meter of meters) out.push(meter.report(mode)!);
  return out;
}
