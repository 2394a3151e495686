// util.dynamodb: plain values to the typed attribute values AppSync's DynamoDB data source takes
// ({ S }, { N }, { BOOL }, { L }, { M }, { NULL }, sets). Numbers stay JSON numbers, as in AppSync's examples.
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { isList, isMap, setOwn } from './values.js';

export type AttributeValue = Record<string, unknown>;
export type AttributeMap = Record<string, AttributeValue>;

type SetType = 'SS' | 'NS' | 'BS';

// Plain lists always become { L } (AppSync is opinionated that way); the dynamodb module's set helpers return a
// value marked with this symbol so that the request helpers write a set instead.
const SET = Symbol('syncline.dynamodbSet');

export interface DynamoDBSet {
  readonly [SET]: SetType;
  readonly values: readonly unknown[];
}

export function markSet(type: SetType, builtin: string, values: unknown): DynamoDBSet {
  const expected = type === 'NS' ? 'number' : 'string';
  if (!isList(values) || values.some((v) => typeof v !== expected)) {
    throw misuse(builtin, `expected a list of ${expected}s, got ${describe(values)}`);
  }
  return { [SET]: type, values: [...values] };
}

export function isSet(value: unknown): value is DynamoDBSet {
  return typeof value === 'object' && value !== null && SET in value;
}

export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw misuse('util.dynamodb.toDynamoDB', `${value} is not a DynamoDB number`);
    return { N: value };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (isSet(value)) return { [value[SET]]: [...value.values] };
  if (isList(value)) return { L: value.map(toDynamoDB) };
  if (isMap(value)) return { M: toMapValues(value) };
  throw misuse('util.dynamodb.toDynamoDB', `cannot convert ${describe(value)} to a DynamoDB value`);
}

/** A map of typed values, for `key` and `attributeValues`; undefined entries are left out as JSON would. */
export function toMapValues(map: unknown): AttributeMap {
  if (!isMap(map)) throw misuse('util.dynamodb.toMapValues', `expected an object, got ${describe(map)}`);
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(map)) {
    if (value !== undefined) setOwn(out, name, toDynamoDB(value));
  }
  return out;
}

function requireType<T>(builtin: string, value: unknown, test: (v: unknown) => v is T, expected: string): T {
  if (!test(value)) throw misuse(builtin, `expected ${expected}, got ${describe(value)}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const listOf =
  <T>(test: (v: unknown) => v is T) =>
  (v: unknown): v is T[] =>
    isList(v) && v.every(test);

export interface S3Object {
  key: string;
  bucket: string;
  region: string;
  version?: string;
}

export const dynamodbUtil = {
  toDynamoDB,
  toMapValues,
  toString: (value: string) => ({ S: requireType('util.dynamodb.toString', value, isString, 'a string') }),
  toStringSet: (values: string[]) => ({
    SS: [...requireType('util.dynamodb.toStringSet', values, listOf(isString), 'a list of strings')],
  }),
  toNumber: (value: number) => ({ N: requireType('util.dynamodb.toNumber', value, isNumber, 'a number') }),
  toNumberSet: (values: number[]) => ({
    NS: [...requireType('util.dynamodb.toNumberSet', values, listOf(isNumber), 'a list of numbers')],
  }),
  toBinary: (value: string) => ({ B: requireType('util.dynamodb.toBinary', value, isString, 'a base64 string') }),
  toBinarySet: (values: string[]) => ({
    BS: [...requireType('util.dynamodb.toBinarySet', values, listOf(isString), 'a list of base64 strings')],
  }),
  toBoolean: (value: boolean) => ({ BOOL: requireType('util.dynamodb.toBoolean', value, isBoolean, 'a boolean') }),
  toNull: () => ({ NULL: null }),
  toList: (values: unknown[]) => ({ L: requireType('util.dynamodb.toList', values, isList, 'a list').map(toDynamoDB) }),
  toMap: (map: Record<string, unknown>) => ({ M: toMapValues(map) }),
  /** The S3 object reference AppSync stores as a JSON string attribute. */
  toS3Object: (key: string, bucket: string, region: string, version?: string) => {
    const name = 'util.dynamodb.toS3Object';
    const s3: S3Object = {
      key: requireType(name, key, isString, 'a key string'),
      bucket: requireType(name, bucket, isString, 'a bucket string'),
      region: requireType(name, region, isString, 'a region string'),
    };
    if (version !== undefined && version !== null)
      s3.version = requireType(name, version, isString, 'a version string');
    return { S: JSON.stringify({ s3 }) };
  },
  fromS3ObjectJson: (json: string): S3Object => {
    const name = 'util.dynamodb.fromS3ObjectJson';
    let parsed: unknown;
    try {
      parsed = JSON.parse(requireType(name, json, isString, 'a JSON string'));
    } catch {
      throw misuse(name, `not JSON: ${JSON.stringify(json)}`);
    }
    const s3 = isMap(parsed) ? parsed.s3 : undefined;
    if (!isMap(s3) || !isString(s3.key) || !isString(s3.bucket) || !isString(s3.region)) {
      throw misuse(name, 'expected {"s3": {"key", "bucket", "region"}}');
    }
    const out: S3Object = { key: s3.key, bucket: s3.bucket, region: s3.region };
    if (isString(s3.version)) out.version = s3.version;
    return out;
  },
};
