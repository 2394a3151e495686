// A table's key schema compiled for the hot path: which attributes are keys, of which types, how an item maps
// to its primary row and to its secondary index rows, and the key checks DynamoDB applies to requests.
import { validation } from './errors.js';
import type { StoredIndex, StoredTable } from './model.js';
import type { RowKey } from './storage/port.js';
import { type AttributeValue, encodeKey, type Item, type KeyType, own, setOwn } from './values/index.js';

export interface KeyAttribute {
  name: string;
  type: KeyType;
}

export interface IndexSchema {
  name: string;
  global: boolean;
  hash: KeyAttribute;
  range?: KeyAttribute;
  projectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** Attributes an index row carries when the projection is not ALL: index keys, table keys, included attributes. */
  projected: Set<string>;
  stored: StoredIndex;
}

export interface TableSchema {
  table: StoredTable;
  name: string;
  hash: KeyAttribute;
  range?: KeyAttribute;
  indexes: Map<string, IndexSchema>;
  /** Every attribute that is a key of the table or of one of its indexes, with its type. */
  keyAttributes: Map<string, { type: KeyType; index?: string }>;
}

const INVALID = 'One or more parameter values were invalid: ';
const EMPTY: Buffer = Buffer.alloc(0);

function keyAttribute(table: StoredTable, name: string): KeyAttribute {
  const def = table.AttributeDefinitions.find((d) => d.AttributeName === name);
  return { name, type: (def?.AttributeType ?? 'S') as KeyType };
}

export function compileSchema(table: StoredTable): TableSchema {
  const hash = keyAttribute(table, table.KeySchema[0].AttributeName);
  const range = table.KeySchema[1] ? keyAttribute(table, table.KeySchema[1].AttributeName) : undefined;
  const indexes = new Map<string, IndexSchema>();
  const keyAttributes = new Map<string, { type: KeyType; index?: string }>();
  keyAttributes.set(hash.name, { type: hash.type });
  if (range) keyAttributes.set(range.name, { type: range.type });
  const add = (stored: StoredIndex, global: boolean) => {
    const ih = keyAttribute(table, stored.KeySchema[0].AttributeName);
    const ir = stored.KeySchema[1] ? keyAttribute(table, stored.KeySchema[1].AttributeName) : undefined;
    const projected = new Set<string>([hash.name, ih.name]);
    if (range) projected.add(range.name);
    if (ir) projected.add(ir.name);
    for (const a of stored.Projection.NonKeyAttributes ?? []) projected.add(a);
    indexes.set(stored.IndexName, {
      name: stored.IndexName,
      global,
      hash: ih,
      range: ir,
      projectionType: stored.Projection.ProjectionType ?? 'ALL',
      projected,
      stored,
    });
    for (const k of [ih, ir]) {
      if (k && !keyAttributes.has(k.name)) keyAttributes.set(k.name, { type: k.type, index: stored.IndexName });
    }
  };
  for (const g of table.GlobalSecondaryIndexes ?? []) add(g, true);
  for (const l of table.LocalSecondaryIndexes ?? []) add(l, false);
  return { table, name: table.TableName, hash, range, indexes, keyAttributes };
}

const scalarOf = (v: AttributeValue, type: KeyType): string | undefined =>
  (v as Record<string, unknown>)[type] as string | undefined;

// DynamoDB words the empty-key error differently for an item ("are not valid.") and a key ("were invalid:").
function checkKeyValue(v: AttributeValue, attr: KeyAttribute, isHash: boolean, inItem: boolean): void {
  const s = scalarOf(v, attr.type)!;
  if (s === '' && attr.type !== 'N') {
    throw validation(
      `${inItem ? 'One or more parameter values are not valid. ' : INVALID}The AttributeValue for a key attribute cannot contain an empty ${attr.type === 'S' ? 'string' : 'binary'} value. Key: ${attr.name}`,
    );
  }
  if (attr.type === 'N') return;
  checkKeySize(s, attr.type, isHash);
}

function checkKeySize(s: string, type: string, isHash: boolean): void {
  // Cheap bound first: a string's UTF-8 size is at most 3 bytes per UTF-16 unit, base64 is 4 chars per 3 bytes.
  if (s.length <= 341) return;
  const size = type === 'S' ? Buffer.byteLength(s, 'utf8') : Buffer.byteLength(s, 'base64');
  if (isHash && size > 2048)
    throw validation(`${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`);
  if (!isHash && size > 1024) {
    throw validation(`${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`);
  }
}

/** Checks a request's Key (GetItem, DeleteItem, UpdateItem, BatchGet…) against the table's key schema. */
export function checkKey(schema: TableSchema, key: Item): void {
  const expected = schema.range ? 2 : 1;
  if (Object.keys(key).length !== expected) throw validation('The provided key element does not match the schema');
  for (const [attr, isHash] of [
    [schema.hash, true],
    [schema.range, false],
  ] as const) {
    if (!attr) continue;
    const v = own(key, attr.name);
    if (v === undefined || scalarOf(v, attr.type) === undefined) {
      throw validation('The provided key element does not match the schema');
    }
    checkKeyValue(v, attr, isHash, false);
  }
}

/** Checks an item to be written (PutItem, or the result of UpdateItem) for its table and index keys. */
export function checkItemKeys(schema: TableSchema, item: Item): void {
  for (const [attr, isHash] of [
    [schema.hash, true],
    [schema.range, false],
  ] as const) {
    if (!attr) continue;
    const v = own(item, attr.name);
    if (v === undefined) throw validation(`${INVALID}Missing the key ${attr.name} in the item`);
    if (scalarOf(v, attr.type) === undefined) {
      throw validation(
        `${INVALID}Type mismatch for key ${attr.name} expected: ${attr.type} actual: ${Object.keys(v)[0]}`,
      );
    }
    checkKeyValue(v, attr, isHash, true);
  }
  for (const index of schema.indexes.values()) {
    for (const attr of [index.hash, index.range]) {
      if (!attr) continue;
      const v = own(item, attr.name);
      if (v === undefined) continue;
      if (scalarOf(v, attr.type) === undefined) {
        throw validation(
          `${INVALID}Type mismatch for Index Key ${attr.name} Expected: ${attr.type} Actual: ${Object.keys(v)[0]} IndexName: ${index.name}`,
        );
      }
      // Wording as DynamoDB reports it for PutItem since empty strings became legal outside keys (2020).
      if (scalarOf(v, attr.type) === '' && attr.type !== 'N') {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${attr.type === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${attr.name}`,
        );
      }
      // An index key is bounded like a table key: 2048 bytes for a partition key, 1024 for a sort key.
      if (attr.type !== 'N') checkKeySize(scalarOf(v, attr.type)!, attr.type, attr === index.hash);
    }
  }
}

export function keyOf(schema: TableSchema, item: Item): Item {
  // A computed member in a literal is an own member even when named __proto__.
  const key: Item = { [schema.hash.name]: item[schema.hash.name] };
  if (schema.range) setOwn(key, schema.range.name, item[schema.range.name]);
  return key;
}

/** The primary row key of an item or key. */
export function primaryRowKey(schema: TableSchema, item: Item): RowKey {
  return {
    pk: encodeKey(item[schema.hash.name]),
    sk: schema.range ? encodeKey(item[schema.range.name]) : EMPTY,
  };
}

/** The row key of an item in a secondary index, or undefined when the item lacks an index key (sparse index). */
export function indexRowKey(schema: TableSchema, index: IndexSchema, item: Item): RowKey | undefined {
  const h = own(item, index.hash.name);
  if (h === undefined || scalarOf(h, index.hash.type) === undefined) return undefined;
  let sk: Buffer = EMPTY;
  if (index.range) {
    const r = own(item, index.range.name);
    if (r === undefined || scalarOf(r, index.range.type) === undefined) return undefined;
    sk = encodeKey(r);
  }
  const table = primaryRowKey(schema, item);
  return { pk: encodeKey(h), sk, tpk: table.pk, tsk: table.sk };
}

/** The attributes an index row keeps for an item. */
export function projectForIndex(index: IndexSchema, item: Item): Item {
  if (index.projectionType === 'ALL') return item;
  const out: Item = {};
  for (const name of index.projected) {
    const v = own(item, name);
    if (v !== undefined) setOwn(out, name, v);
  }
  return out;
}

/** The key attributes that identify a position in an index (LastEvaluatedKey / ExclusiveStartKey). */
export function positionKeyNames(schema: TableSchema, index?: IndexSchema): string[] {
  const names = [schema.hash.name];
  if (schema.range) names.push(schema.range.name);
  if (index) {
    for (const a of [index.hash, index.range]) if (a && !names.includes(a.name)) names.push(a.name);
  }
  return names;
}
