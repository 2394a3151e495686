// Checks an AttributeValue received on the wire the way DynamoDB does, with DynamoDB's messages, and returns
// it normalized (numbers in canonical form) — DynamoDB stores and returns numbers normalized.
// Unknown and null members are dropped first, as DynamoDB's deserializer does, so `{"S": null}` is "empty".
import { DynamoDBError, validation } from '../errors.js';
import { canonicalNumber } from './numbers.js';
import { setOwn } from './own.js';
import { ATTRIBUTE_TYPES, type AttributeType, type AttributeValue, type Item } from './types.js';

const INVALID = 'One or more parameter values were invalid: ';

/** An item's top-level attribute values are level 1; DynamoDB accepts 31 maps or lists around a scalar. */
export const MAX_NESTING_LEVELS = 32;
export const NESTING_MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
export const UNPAIRED_SURROGATE_MESSAGE = 'Invalid string: unpaired UTF-16 surrogate; strings must be valid Unicode';
const TYPE_NAMES: ReadonlySet<string> = new Set(ATTRIBUTE_TYPES);

const serialization = (message: string) => new DynamoDBError('SerializationException', message);

function describeJson(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof v === 'number') return Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

/** False for a string holding an unpaired surrogate, which has no UTF-8 form (V8 answers one-byte strings at once). */
export const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

function expectString(v: unknown, javaType: 'String' | 'Blob'): string {
  if (typeof v === 'string') {
    if (!isWellFormed(v)) throw serialization(UNPAIRED_SURROGATE_MESSAGE);
    return v;
  }
  if (Array.isArray(v)) {
    throw serialization(
      `Unrecognized collection type class ${javaType === 'Blob' ? 'java.nio.ByteBuffer' : 'java.lang.String'}`,
    );
  }
  if (typeof v === 'object') throw serialization('Start of structure or map found where not expected');
  if (javaType === 'Blob') throw serialization('only base-64-encoded strings are convertible to bytes');
  throw serialization(`${describeJson(v)} cannot be converted to String`);
}

function expectBlob(v: unknown): string {
  const s = expectString(v, 'Blob');
  if (s.length % 4)
    throw serialization(`Base64 encoded length is expected a multiple of 4 bytes but found: ${s.length}`);
  if (Buffer.from(s, 'base64').toString('base64') !== s)
    throw serialization('Invalid last non-pad Base64 character dectected');
  return s;
}

function expectList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') throw serialization('Start of structure or map found where not expected');
  throw serialization('Unexpected field type');
}

function expectMap(v: unknown): Record<string, unknown> {
  if (Array.isArray(v)) {
    throw serialization(
      'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
    );
  }
  if (v !== null && typeof v === 'object') return v as Record<string, unknown>;
  throw serialization('Unexpected field type');
}

function expectBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') throw serialization(`${describeJson(v)} cannot be converted to Boolean`);
  if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.lang.Boolean');
  if (v !== null && typeof v === 'object') throw serialization('Start of structure or map found where not expected');
  throw serialization('Unexpected token received from parser');
}

function listDescription(values: string[]): string {
  return `[${values.join(', ')}]`;
}

function uniqueStrings(values: string[]): boolean {
  return new Set(values).size === values.length;
}

/**
 * Validates one AttributeValue from the wire and returns its normalized form.
 * `path` names where the value sits (e.g. `Item.a`, `ExpressionAttributeValues.:v`); DynamoDB's messages
 * do not include it, so it is only carried for callers that wrap the message.
 */
export function validateAttributeValue(v: unknown, path = '', level = 1): AttributeValue {
  // Checked before descending, so no input nests deep enough to exhaust the stack.
  if (level > MAX_NESTING_LEVELS) throw validation(NESTING_MESSAGE);
  if (Array.isArray(v)) {
    throw serialization('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
  }
  if (v === null || typeof v !== 'object') throw serialization('Unexpected value type in payload');
  const raw = v as Record<string, unknown>;
  // The usual value has exactly one member, naming a type: validate it without collecting the members present.
  let only: string | undefined;
  let members = 0;
  for (const k in raw) {
    only = k;
    if (++members > 1) break;
  }
  if (members === 1 && TYPE_NAMES.has(only!) && raw[only!] !== undefined && raw[only!] !== null) {
    return validateMember(only as AttributeType, raw[only!], path, level);
  }
  const present = ATTRIBUTE_TYPES.filter((t) => raw[t] !== undefined && raw[t] !== null);
  if (present.length === 0) {
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  let result: AttributeValue | undefined;
  for (const type of present) {
    const value = validateMember(type, raw[type], path, level);
    result ??= value;
  }
  if (present.length > 1) {
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  return result!;
}

function validateMember(type: AttributeType, raw: unknown, path: string, level: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: expectString(raw, 'String') };
    case 'B':
      return { B: expectBlob(raw) };
    case 'N': {
      // canonicalNumber throws DynamoDB's ValidationException for an invalid number.
      return { N: canonicalNumber(expectString(raw, 'String')) };
    }
    case 'BOOL':
      return { BOOL: expectBoolean(raw) };
    case 'NULL':
      if (!expectBoolean(raw)) {
        throw validation(`${INVALID}Null attribute value types must have the value of true`);
      }
      return { NULL: true };
    case 'SS': {
      const ss = expectList(raw).map((m) => expectString(m, 'String'));
      if (ss.length === 0) throw validation(`${INVALID}An string set  may not be empty`);
      if (!uniqueStrings(ss))
        throw validation(`${INVALID}Input collection ${listDescription(ss)} contains duplicates.`);
      return { SS: ss };
    }
    case 'NS': {
      const ns = expectList(raw).map((m) => expectString(m, 'String'));
      if (ns.length === 0) throw validation(`${INVALID}An number set  may not be empty`);
      const canonical = ns.map(canonicalNumber);
      if (!uniqueStrings(canonical)) throw validation('Input collection contains duplicates');
      return { NS: canonical };
    }
    case 'BS': {
      const bs = expectList(raw).map(expectBlob);
      if (bs.length === 0) throw validation(`${INVALID}Binary sets should not be empty`);
      // Blobs were checked to be canonical base64, so equal bytes means equal text.
      if (!uniqueStrings(bs)) {
        throw validation(`${INVALID}Input collection ${listDescription(bs)}of type BS contains duplicates.`);
      }
      return { BS: bs };
    }
    case 'M': {
      const m = expectMap(raw);
      const out: Record<string, AttributeValue> = {};
      for (const [k, member] of Object.entries(m)) {
        setOwn(out, attributeName(k), validateAttributeValue(member, `${path}.${k}`, level + 1));
      }
      return { M: out };
    }
    case 'L':
      return { L: expectList(raw).map((member, i) => validateAttributeValue(member, `${path}[${i}]`, level + 1)) };
  }
}

/** Validates every attribute of an item (Item, Key, ExclusiveStartKey…) and returns the normalized item. */
export function validateItem(item: unknown, path = 'Item'): Item {
  const m = expectMap(item);
  const out: Item = {};
  for (const [name, value] of Object.entries(m)) {
    // An item's attribute needs a name (a map inside it may have an empty key).
    if (name.length === 0) throw validation('Empty attribute name');
    setOwn(out, attributeName(name), validateAttributeValue(value, `${path}.${name}`));
  }
  return out;
}

function attributeName(name: string): string {
  if (!isWellFormed(name)) throw serialization(UNPAIRED_SURROGATE_MESSAGE);
  // Names are at most 65535 UTF-8 bytes; a UTF-16 unit is at most 3 bytes, so short names skip the count.
  if (name.length > 21845 && Buffer.byteLength(name, 'utf8') > 65535) {
    throw validation('Attribute name is too large, must be less than 65536 bytes');
  }
  return name;
}
