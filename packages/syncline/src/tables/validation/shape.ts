// Request shapes and DynamoDB's two-phase input check, reproduced because clients and tests match on the text:
//   1. deserialization: a JSON value of the wrong kind is a SerializationException with Coral's (Java) wording;
//   2. constraints: every violated member constraint is collected (at most 10) into one ValidationException,
//      "N validation error(s) detected: Value 'x' at 'path.member.name' failed to satisfy constraint: …".
// Members are checked in the order a shape declares them, which follows DynamoDB's own order where known.

import { DynamoDBError, validation } from '../errors.js';
import { setOwn } from '../values/own.js';

interface Common {
  notNull?: boolean;
  /**
   * DynamoDB has moved some members to a newer validation framework whose messages omit the value and name the
   * member path in the wire's own case: "Value at 'RequestItems.t.member.Keys' failed to satisfy constraint".
   */
  modern?: boolean;
  /** How the offending value is quoted: Java's toString (`{t=[…]}`, `Tag(key=…)`), the default, or JSON. */
  render?: 'json';
  /** An empty string violates only "length greater than or equal to 1" (DynamoDB's answer for table names). */
  emptyIsShort?: boolean;
}

export type Shape =
  | (Common & {
      kind: 'string';
      enum?: readonly string[];
      regex?: string;
      minLength?: number;
      maxLength?: number;
    })
  | (Common & { kind: 'integer' | 'long'; min?: number; max?: number })
  | (Common & { kind: 'boolean' })
  | (Common & { kind: 'list'; of: Shape; minLength?: number; maxLength?: number })
  | (Common & {
      kind: 'map';
      /** Java name of the value type, used in Coral's "Unrecognized collection type" message. */
      valueType: string;
      of: Shape;
      minLength?: number;
      maxLength?: number;
      keys?: { minLength?: number; maxLength?: number; regex?: string };
      values?: { minLength?: number; maxLength?: number };
    })
  | (Common & { kind: 'struct'; name: string; fields: Record<string, Shape> })
  /** An AttributeValue or map of them: only its JSON kind is checked here; values/validate.ts does the rest. */
  | (Common & { kind: 'attributeValue' })
  | (Common & { kind: 'item' });

export interface RequestShape {
  fields: Record<string, Shape>;
  /** A member whose absence (or emptiness) DynamoDB reports with a sentence of its own, before any constraint. */
  required?: { member: string; message: string };
  /** Control-plane actions report a missing TableName with their own message, before constraints. */
  tableNameRequired?: boolean;
}

const serialization = (message: string) => new DynamoDBError('SerializationException', message);

function jsonKind(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof v === 'number') return Number.isInteger(v) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Phase 1: checks JSON kinds, drops unknown and null members, coerces as Coral does (floors integers). */
function deserialize(v: unknown, shape: Shape, asListMember: boolean): unknown {
  if (v === null || v === undefined) return undefined;
  switch (shape.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.lang.String');
      if (typeof v === 'object') throw serialization('Start of structure or map found where not expected');
      throw serialization(`${jsonKind(v)} cannot be converted to String`);
    case 'integer':
    case 'long': {
      const javaType = shape.kind === 'integer' ? 'Integer' : 'Long';
      if (typeof v === 'number') return Math.floor(v);
      if (Array.isArray(v)) throw serialization(`Unrecognized collection type class java.lang.${javaType}`);
      if (typeof v === 'object') throw serialization('Start of structure or map found where not expected');
      throw serialization(`${jsonKind(v)} cannot be converted to ${javaType}`);
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') throw serialization(`${jsonKind(v)} cannot be converted to Boolean`);
      if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.lang.Boolean');
      if (typeof v === 'object') throw serialization('Start of structure or map found where not expected');
      if (['TRUE', '1', 'YES'].includes((v as string).toUpperCase())) return true;
      if (['FALSE', '0', 'NO'].includes((v as string).toUpperCase())) return false;
      throw serialization('Unexpected token received from parser');
    case 'list':
      if (!Array.isArray(v)) {
        if (typeof v === 'object') throw serialization('Start of structure or map found where not expected');
        throw serialization('Unexpected field type');
      }
      return v.map((m) => deserialize(m, shape.of, true));
    case 'map': {
      if (Array.isArray(v))
        throw serialization(`Unrecognized collection type java.util.Map<java.lang.String, ${shape.valueType}>`);
      if (typeof v !== 'object') throw serialization('Unexpected field type');
      const out: Record<string, unknown> = {};
      for (const [k, m] of Object.entries(v as Record<string, unknown>)) setOwn(out, k, deserialize(m, shape.of, true));
      return out;
    }
    case 'struct': {
      if (Array.isArray(v)) {
        throw serialization(`Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${shape.name}`);
      }
      if (typeof v !== 'object')
        throw serialization(asListMember ? 'Unexpected value type in payload' : 'Unexpected field type');
      return deserializeFields(v as Record<string, unknown>, shape.fields);
    }
    case 'attributeValue':
      if (Array.isArray(v)) {
        throw serialization('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
      }
      if (typeof v !== 'object')
        throw serialization(asListMember ? 'Unexpected value type in payload' : 'Unexpected field type');
      return v;
    case 'item':
      if (Array.isArray(v)) {
        throw serialization(
          'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
        );
      }
      if (typeof v !== 'object') throw serialization('Unexpected field type');
      for (const m of Object.values(v as Record<string, unknown>)) deserialize(m, { kind: 'attributeValue' }, true);
      return v;
  }
}

function deserializeFields(v: Record<string, unknown>, fields: Record<string, Shape>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in fields) {
    const value = deserialize(v[name], fields[name], false);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

// Member names come from the shapes, a small fixed set: each is lowered once.
const lowered = new Map<string, string>();
function lowerFirst(s: string): string {
  let l = lowered.get(s);
  if (l === undefined) {
    l = s.charAt(0).toLowerCase() + s.slice(1);
    lowered.set(s, l);
  }
  return l;
}

/** A value as DynamoDB's (Java) front end prints it in a constraint message. */
function valueText(v: unknown, shape: Shape | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (shape?.render === 'json')
    return Array.isArray(v) ? `[${v.map((m) => valueText(m, undefined)).join(', ')}]` : JSON.stringify(v);
  if (Array.isArray(v)) {
    const of = shape?.kind === 'list' ? shape.of : undefined;
    return `[${v.map((m) => valueText(m, of)).join(', ')}]`;
  }
  if (typeof v !== 'object') return String(v);
  const entries = Object.entries(v as Record<string, unknown>);
  switch (shape?.kind) {
    case 'struct':
      return `${shape.name}(${Object.keys(shape.fields)
        .map((f) => `${lowerFirst(f)}=${valueText((v as Record<string, unknown>)[f], shape.fields[f])}`)
        .join(', ')})`;
    case 'attributeValue':
      return `AttributeValue(${entries.map(([k, m]) => `${k}=${valueText(m, attributeValueMember(k))}`).join(', ')})`;
    case 'item':
      return `{${entries.map(([k, m]) => `${k}=${valueText(m, ATTRIBUTE_VALUE)}`).join(', ')}}`;
    case 'map':
      return `{${entries.map(([k, m]) => `${k}=${valueText(m, shape.of)}`).join(', ')}}`;
    default:
      return JSON.stringify(v);
  }
}

const ATTRIBUTE_VALUE: Shape = { kind: 'attributeValue' };
const ITEM: Shape = { kind: 'item' };
const ATTRIBUTE_VALUES: Shape = { kind: 'list', of: ATTRIBUTE_VALUE };
function attributeValueMember(type: string): Shape | undefined {
  if (type === 'M') return ITEM;
  if (type === 'L') return ATTRIBUTE_VALUES;
  return undefined;
}

/** `requestItems.t.member.keys` as the newer framework spells it: `RequestItems.t.member.Keys`. */
function wirePath(path: string, mapKeys: ReadonlySet<string>): string {
  return path
    .split('.')
    .map((part) => (part === 'member' || mapKeys.has(part) || /^\d+$/.test(part) ? part : upperFirst(part)))
    .join('.');
}
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sizeOf(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return 0;
}

class Violations {
  readonly messages: string[] = [];
  /** Map keys met on the way down, so a modern path keeps them as sent (made on first use: most requests have none). */
  private keys?: Set<string>;
  get mapKeys(): Set<string> {
    this.keys ??= new Set();
    return this.keys;
  }
  add(value: unknown, path: string, constraint: string, shape?: Shape): void {
    if (this.messages.length >= 10) return;
    if (shape?.modern) {
      this.messages.push(`Value at '${wirePath(path, this.mapKeys)}' failed to satisfy constraint: ${constraint}`);
      return;
    }
    const text = valueText(value, shape);
    this.messages.push(
      `Value ${text === 'null' ? 'null' : `'${text}'`} at '${path}' failed to satisfy constraint: ${constraint}`,
    );
  }
}

// Constraint patterns are whole-value matches; compiled once each, not per request.
const patterns = new Map<string, RegExp>();
function matches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern}$`);
    patterns.set(pattern, re);
  }
  return re.test(value);
}

function lengthConstraints(
  v: unknown,
  path: string,
  c: { minLength?: number; maxLength?: number; emptyIsShort?: boolean },
  out: Violations,
  shape: Shape,
  regex?: string,
): void {
  if (c.emptyIsShort && v === '') {
    out.add(v, path, 'Member must have length greater than or equal to 1', shape);
    return;
  }
  if (regex !== undefined && typeof v === 'string' && !matches(regex, v)) {
    out.add(v, path, `Member must satisfy regular expression pattern: ${regex}`, shape);
  }
  if (c.minLength !== undefined && sizeOf(v) < c.minLength) {
    out.add(v, path, `Member must have length greater than or equal to ${c.minLength}`, shape);
  }
  if (c.maxLength !== undefined && sizeOf(v) > c.maxLength) {
    out.add(v, path, `Member must have length less than or equal to ${c.maxLength}`, shape);
  }
}

/** Phase 2: member constraints. */
function constrain(v: unknown, shape: Shape, path: string, out: Violations): void {
  if (v === undefined) {
    if (shape.notNull) out.add(undefined, path, 'Member must not be null', shape);
    return;
  }
  switch (shape.kind) {
    case 'string':
      lengthConstraints(v, path, shape, out, shape, shape.regex);
      if (shape.enum && !shape.enum.includes(v as string)) {
        out.add(v, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, shape);
      }
      return;
    case 'integer':
    case 'long':
      if (shape.min !== undefined && (v as number) < shape.min) {
        out.add(v, path, `Member must have value greater than or equal to ${shape.min}`, shape);
      }
      if (shape.max !== undefined && (v as number) > shape.max) {
        out.add(v, path, `Member must have value less than or equal to ${shape.max}`, shape);
      }
      return;
    case 'list':
      lengthConstraints(v, path, shape, out, shape);
      (v as unknown[]).forEach((m, i) => {
        // A null list member is never an absent optional field: Coral refuses it as a null member.
        if (m === undefined) out.add(undefined, `${path}.${i + 1}.member`, 'Member must not be null', shape.of);
        else constrain(m, shape.of, `${path}.${i + 1}.member`, out);
      });
      return;
    case 'map': {
      lengthConstraints(v, path, shape, out, shape);
      const map = v as Record<string, unknown>;
      if (shape.keys) {
        const k = shape.keys;
        for (const key of Object.keys(map)) {
          const bad =
            (k.regex !== undefined && !matches(k.regex, key)) ||
            (k.minLength !== undefined && key.length < k.minLength) ||
            (k.maxLength !== undefined && key.length > k.maxLength);
          if (bad) {
            const parts: string[] = [];
            if (k.maxLength !== undefined) parts.push(`Member must have length less than or equal to ${k.maxLength}`);
            if (k.minLength !== undefined)
              parts.push(`Member must have length greater than or equal to ${k.minLength}`);
            if (k.regex !== undefined) parts.push(`Member must satisfy regular expression pattern: ${k.regex}`);
            out.add(map, path, `Map keys must satisfy constraint: [${parts.join(', ')}]`, shape);
          }
        }
      }
      if (shape.values) {
        const c = shape.values;
        for (const m of Object.values(map)) {
          const n = sizeOf(m);
          if ((c.minLength !== undefined && n < c.minLength) || (c.maxLength !== undefined && n > c.maxLength)) {
            const parts: string[] = [];
            if (c.maxLength !== undefined) parts.push(`Member must have length less than or equal to ${c.maxLength}`);
            if (c.minLength !== undefined)
              parts.push(`Member must have length greater than or equal to ${c.minLength}`);
            out.add(map, path, `Map value must satisfy constraint: [${parts.join(', ')}]`, shape);
          }
        }
      }
      for (const [key, m] of Object.entries(map)) {
        out.mapKeys.add(key);
        constrain(m, shape.of, `${path}.${key}.member`, out);
      }
      return;
    }
    case 'struct':
      for (const name in shape.fields) {
        constrain((v as Record<string, unknown>)[name], shape.fields[name], `${path}.${lowerFirst(name)}`, out);
      }
      return;
    default:
      return;
  }
}

/**
 * Checks a request body against its shape and returns it with unknown and null members removed.
 * Throws SerializationException or ValidationException exactly as DynamoDB's front end does.
 */
export function checkRequest<T>(body: unknown, shape: RequestShape): T {
  if (!isObject(body)) throw serialization('Start of structure or map found where not expected');
  if (shape.required) {
    const v = body[shape.required.member];
    if (v === undefined || v === null || (isObject(v) && Object.keys(v).length === 0)) {
      throw validation(shape.required.message);
    }
  }
  return (validRequest(body, shape) ?? orderedCheck(body, shape)) as T;
}

const requiredMembers = new WeakMap<RequestShape, string[]>();

/**
 * The common case, a valid request with a few of its shape's many members, checked by walking the members it
 * has. Any failure returns undefined: the ordered check then finds the error DynamoDB reports first.
 */
function validRequest(body: Record<string, unknown>, shape: RequestShape): Record<string, unknown> | undefined {
  const { fields } = shape;
  const data: Record<string, unknown> = {};
  const out = new Violations();
  try {
    for (const name in body) {
      if (!Object.hasOwn(fields, name)) continue;
      const value = deserialize(body[name], fields[name], false);
      if (value === undefined) continue;
      data[name] = value;
      constrain(value, fields[name], lowerFirst(name), out);
    }
  } catch {
    return undefined;
  }
  if (out.messages.length > 0) return undefined;
  let required = requiredMembers.get(shape);
  if (!required) {
    required = Object.keys(fields).filter((name) => fields[name].notNull);
    requiredMembers.set(shape, required);
  }
  for (const name of required) if (data[name] === undefined) return undefined;
  if (shape.tableNameRequired && data.TableName === undefined) return undefined;
  return data;
}

/** Both phases in the order of the shape's members, as DynamoDB's front end runs them. */
function orderedCheck(body: Record<string, unknown>, shape: RequestShape): Record<string, unknown> {
  const data = deserializeFields(body, shape.fields);
  if (shape.tableNameRequired) {
    const name = data.TableName;
    if (name === undefined)
      throw validation("The parameter 'TableName' is required but was not present in the request");
  }
  const out = new Violations();
  for (const name in shape.fields) constrain(data[name], shape.fields[name], lowerFirst(name), out);
  const n = out.messages.length;
  if (n > 0) throw validation(`${n} validation error${n > 1 ? 's' : ''} detected: ${out.messages.join('; ')}`);
  return data;
}

// Building blocks shared by the action shapes.
export const TABLE_NAME_PATTERN = '[a-zA-Z0-9_.-]+';

export const tableName = (notNull = true): Shape => ({
  kind: 'string',
  notNull,
  emptyIsShort: true,
  regex: TABLE_NAME_PATTERN,
  minLength: 3,
  maxLength: 255,
});

export const controlPlaneTableName: Shape = tableName(false);

export const indexName = (notNull = false): Shape => ({
  kind: 'string',
  notNull,
  regex: TABLE_NAME_PATTERN,
  minLength: 3,
  maxLength: 255,
});

export const str: Shape = { kind: 'string' };
export const bool: Shape = { kind: 'boolean' };
export const attributeValue: Shape = { kind: 'attributeValue' };
export const item = (notNull = false): Shape => ({ kind: 'item', notNull });

export const returnConsumedCapacity: Shape = { kind: 'string', enum: ['INDEXES', 'TOTAL', 'NONE'] };
export const returnItemCollectionMetrics: Shape = { kind: 'string', enum: ['SIZE', 'NONE'] };
export const returnValues: Shape = {
  kind: 'string',
  enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'],
};
export const returnValuesOnConditionCheckFailure: Shape = { kind: 'string', enum: ['ALL_OLD', 'NONE'] };
export const conditionalOperator: Shape = { kind: 'string', enum: ['OR', 'AND'] };
export const select: Shape = {
  kind: 'string',
  enum: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
};
export const COMPARISON_OPERATORS = [
  'IN',
  'NULL',
  'BETWEEN',
  'LT',
  'NOT_CONTAINS',
  'EQ',
  'GT',
  'NOT_NULL',
  'NE',
  'LE',
  'BEGINS_WITH',
  'GE',
  'CONTAINS',
] as const;

export const attributesToGet: Shape = { kind: 'list', of: str, minLength: 1, maxLength: 255 };
export const expressionAttributeNames: Shape = { kind: 'map', valueType: 'java.lang.String', of: str };
export const expressionAttributeValues: Shape = { kind: 'item' };

export const expected: Shape = {
  kind: 'map',
  valueType: 'com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue',
  of: {
    kind: 'struct',
    name: 'ExpectedAttributeValue',
    fields: {
      AttributeValueList: { kind: 'list', of: attributeValue },
      ComparisonOperator: { kind: 'string', enum: COMPARISON_OPERATORS },
      Exists: bool,
      Value: attributeValue,
    },
  },
};

export const conditions: Shape = {
  kind: 'map',
  valueType: 'com.amazonaws.dynamodb.v20120810.Condition',
  of: {
    kind: 'struct',
    name: 'Condition',
    fields: {
      AttributeValueList: { kind: 'list', of: attributeValue },
      ComparisonOperator: { kind: 'string', notNull: true, enum: COMPARISON_OPERATORS },
    },
  },
};

export const attributeUpdates: Shape = {
  kind: 'map',
  valueType: 'com.amazonaws.dynamodb.v20120810.AttributeValueUpdate',
  of: {
    kind: 'struct',
    name: 'AttributeValueUpdate',
    fields: {
      Action: { kind: 'string', enum: ['ADD', 'PUT', 'DELETE'] },
      Value: attributeValue,
    },
  },
};

export const provisionedThroughput = (notNull = false): Shape => ({
  kind: 'struct',
  name: 'ProvisionedThroughput',
  notNull,
  fields: {
    WriteCapacityUnits: { kind: 'long', notNull: true, min: 1 },
    ReadCapacityUnits: { kind: 'long', notNull: true, min: 1 },
  },
});

export const keySchema = (keyTypeEnum: boolean): Shape => ({
  kind: 'list',
  notNull: true,
  minLength: 1,
  maxLength: 2,
  of: {
    kind: 'struct',
    name: 'KeySchemaElement',
    fields: {
      AttributeName: { kind: 'string', notNull: true, minLength: 1, maxLength: 255 },
      KeyType: keyTypeEnum
        ? { kind: 'string', notNull: true, enum: ['HASH', 'RANGE'] }
        : { kind: 'string', notNull: true },
    },
  },
});

export const projection: Shape = {
  kind: 'struct',
  name: 'Projection',
  notNull: true,
  fields: {
    ProjectionType: { kind: 'string', enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] },
    NonKeyAttributes: { kind: 'list', minLength: 1, of: str },
  },
};

export const streamSpecification: Shape = {
  kind: 'struct',
  name: 'StreamSpecification',
  fields: {
    StreamEnabled: { kind: 'boolean', notNull: true },
    StreamViewType: { kind: 'string', enum: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] },
  },
};

export const tags: Shape = {
  kind: 'list',
  of: {
    kind: 'struct',
    name: 'Tag',
    fields: {
      Key: { kind: 'string', notNull: true, minLength: 1, maxLength: 128 },
      Value: { kind: 'string', notNull: true, minLength: 0, maxLength: 256 },
    },
  },
};
