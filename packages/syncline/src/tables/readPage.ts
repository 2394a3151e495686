// The shared read loop of Query and Scan: walk rows in order, stop at Limit evaluated items or once 1 MB has been
// read, then filter, project and count — DynamoDB applies Limit and the 1 MB page before the filter, so
// ScannedCount counts what was read and Count what survived the filter.
import { CapacityMeter, type ReturnConsumedCapacity, readUnits } from './capacity.js';
import { DynamoDBError, validation } from './errors.js';
import type { Condition, Path } from './expressions/ast.js';
import { readItem } from './itemStore.js';
import { JsonText } from './jsonText.js';
import { conditionHolds, projectItem } from './requestExpressions.js';
import { type IndexSchema, positionKeyNames, type TableSchema } from './schema.js';
import type { Row, RowKey, StorageTx } from './storage/port.js';
import { encodeKey, type Item, itemSize, own, setOwn, validateAttributeValue } from './values/index.js';

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

export const PAGE_BYTES = 1024 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);

/** Resolves Select against the projection parameters and the index, with DynamoDB's rejections. */
export function resolveSelect(
  select: Select | undefined,
  projectionParameter: 'ProjectionExpression' | 'AttributesToGet' | undefined,
  index: IndexSchema | undefined,
): Select {
  if (projectionParameter) {
    if (select && select !== 'SPECIFIC_ATTRIBUTES') {
      const what = select === 'COUNT' ? 'only the Count' : select;
      throw validation(`Cannot specify the ${projectionParameter} when choosing to get ${what}`);
    }
    return 'SPECIFIC_ATTRIBUTES';
  }
  if (select === 'SPECIFIC_ATTRIBUTES') {
    // DynamoDB's exact wording for SPECIFIC_ATTRIBUTES without a projection is not recorded in our references.
    throw validation(
      'One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires AttributesToGet or ProjectionExpression',
    );
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (select === 'ALL_ATTRIBUTES' && index?.global && index.projectionType !== 'ALL') {
    throw validation(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
  return select ?? (index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
}

export function findIndex(schema: TableSchema, name: string | undefined, consistentRead: boolean | undefined) {
  if (name === undefined) return undefined;
  const index = schema.indexes.get(name);
  if (!index) throw validation(`The table does not have the specified index: ${name}`);
  if (index.global && consistentRead)
    throw validation('Consistent reads are not supported on global secondary indexes');
  return index;
}

/**
 * Checks ExclusiveStartKey against the table (and index) key schema and turns it into the row to resume after.
 * `plainScan` selects Scan-on-table wording for a wrong attribute count.
 */
export function startKeyRow(
  schema: TableSchema,
  index: IndexSchema | undefined,
  raw: unknown,
  plainScan: boolean,
): { row: RowKey; key: Item } {
  const names = positionKeyNames(schema, index);
  const start = raw as Record<string, unknown>;
  const key: Item = {};
  for (const [name, value] of Object.entries(start)) {
    try {
      setOwn(key, name, validateAttributeValue(value));
    } catch (e) {
      if (e instanceof DynamoDBError && e.type === 'ValidationException') {
        const bare = /contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(
          e.message,
        );
        throw validation(bare ? e.message : `The provided starting key is invalid: ${e.message}`);
      }
      throw e;
    }
  }
  if (Object.keys(key).length !== names.length) {
    throw validation(
      plainScan
        ? 'The provided starting key is invalid: The provided key element does not match the schema'
        : 'The provided starting key is invalid',
    );
  }
  const attrs = [schema.hash, schema.range, index?.hash, index?.range].filter((a) => a !== undefined);
  for (const attr of attrs) {
    const v = own(key, attr.name) as Record<string, unknown> | undefined;
    if (!v || !Object.hasOwn(v, attr.type)) {
      throw validation(
        index
          ? 'The provided starting key is invalid'
          : 'The provided starting key is invalid: The provided key element does not match the schema',
      );
    }
    if (v[attr.type] === '' && attr.type !== 'N') {
      throw validation(
        `The provided starting key is invalid: One or more parameter values were invalid: The AttributeValue for a key attribute cannot contain an empty ${attr.type === 'S' ? 'string' : 'binary'} value. Key: ${attr.name}`,
      );
    }
  }
  const tpk = encodeKey(key[schema.hash.name]);
  const tsk = schema.range ? encodeKey(key[schema.range.name]) : EMPTY;
  if (!index) return { row: { pk: tpk, sk: tsk }, key };
  return {
    row: {
      pk: encodeKey(key[index.hash.name]),
      sk: index.range ? encodeKey(key[index.range.name]) : EMPTY,
      tpk,
      tsk,
    },
    key,
  };
}

export interface PageOptions {
  tx: StorageTx;
  schema: TableSchema;
  index?: IndexSchema;
  rows: Iterable<Row>;
  limit?: number;
  select: Select;
  filter?: Condition;
  projection?: Path[];
  /** Count tableBytes and indexBytes (for ConsumedCapacity); otherwise sizes are computed only as the 1 MB page needs. */
  sizes?: boolean;
  /** Items may be returned as their stored JsonText (for the wire). */
  raw?: boolean;
}

export interface Page {
  items: Array<Item | JsonText>;
  count: number;
  scannedCount: number;
  lastEvaluatedKey?: Item;
  /** Bytes read from the table and from the index, for capacity (when asked for with `sizes`). */
  tableBytes: number;
  indexBytes: number;
}

function topLevelNames(paths: Path[] | undefined): string[] {
  return paths ? paths.map((p) => String(p[0])) : [];
}

const parse = (text: string) => JSON.parse(text) as Item;

const exactBytes = (texts: string[]) => texts.reduce((sum, text) => sum + itemSize(parse(text)), 0);

export function readPage(options: PageOptions, filterNames: string[] = []): Page {
  const { tx, schema, index, select } = options;
  // A local index answers from the table when asked for attributes it does not project.
  const wanted = select === 'SPECIFIC_ATTRIBUTES' ? topLevelNames(options.projection) : [];
  const fetchFromTable =
    index !== undefined &&
    !index.global &&
    index.projectionType !== 'ALL' &&
    (select === 'ALL_ATTRIBUTES' || [...wanted, ...filterNames].some((n) => !index.projected.has(n)));
  const raw = options.raw === true && !options.projection && !fetchFromTable;
  const keyNames = positionKeyNames(schema, index);
  const page: Page = { items: [], count: 0, scannedCount: 0, tableBytes: 0, indexBytes: 0 };
  // Bytes read, for the 1 MB page. Until `exact`, an upper bound (the UTF-8 length of an item's JSON is at least
  // its DynamoDB size, and a string's UTF-8 length at most 3 bytes per UTF-16 unit), so most pages never parse an
  // item just to size it; once the bound reaches 1 MB, the rows read so far are sized exactly.
  let bytes = 0;
  let exact = options.sizes === true;
  const bounded: string[] = [];
  let last: Item | string | undefined;
  let stopped = false;
  for (const row of options.rows) {
    if (options.limit !== undefined && page.scannedCount >= options.limit) {
      stopped = true;
      break;
    }
    if (bytes >= PAGE_BYTES && !exact) {
      bytes = exactBytes(bounded);
      exact = true;
    }
    if (bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
    const text = row.value;
    let item: Item | undefined;
    if (exact) {
      item = parse(text);
      const size = itemSize(item);
      bytes += size;
      if (index) page.indexBytes += size;
      else page.tableBytes += size;
    } else {
      bytes += 3 * text.length;
      bounded.push(text);
    }
    if (fetchFromTable) {
      const full = readItem(tx, schema, (item ??= parse(text)));
      if (full) {
        if (options.sizes) page.tableBytes += itemSize(full);
        item = full;
      }
    }
    page.scannedCount++;
    last = item ?? text;
    if (options.filter && !conditionHolds(options.filter, (item ??= parse(text)))) continue;
    page.count++;
    if (select === 'COUNT') continue;
    if (raw) page.items.push(new JsonText(text));
    else {
      item ??= parse(text);
      page.items.push(options.projection ? projectItem(item, options.projection) : item);
    }
  }
  if (!stopped && options.limit !== undefined && page.scannedCount >= options.limit) stopped = true;
  if (!stopped && bytes >= PAGE_BYTES) {
    if (!exact) bytes = exactBytes(bounded);
    if (bytes >= PAGE_BYTES) stopped = true;
  }
  if (stopped && last) {
    const lastItem = typeof last === 'string' ? parse(last) : last;
    const key: Item = {};
    for (const name of keyNames) setOwn(key, name, own(lastItem, name)!);
    page.lastEvaluatedKey = key;
  }
  return page;
}

/** Query's and Scan's response members for a page: Items, Count, ScannedCount, LastEvaluatedKey, ConsumedCapacity. */
export function pageResponse(
  page: Page,
  schema: TableSchema,
  index: IndexSchema | undefined,
  select: Select,
  consistentRead: boolean,
  returnConsumedCapacity: ReturnConsumedCapacity | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (select !== 'COUNT') out.Items = page.items;
  out.Count = page.count;
  out.ScannedCount = page.scannedCount;
  if (page.lastEvaluatedKey) out.LastEvaluatedKey = page.lastEvaluatedKey;
  const meter = new CapacityMeter(schema, 'read');
  if (index) {
    meter.addIndex(index.name, index.global, readUnits(page.indexBytes, consistentRead));
    if (page.tableBytes) meter.addTable(readUnits(page.tableBytes, consistentRead));
  } else meter.addTable(readUnits(page.tableBytes, consistentRead));
  const capacity = meter.report(returnConsumedCapacity);
  if (capacity) out.ConsumedCapacity = capacity;
  return out;
}
