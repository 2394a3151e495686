// Turns a parsed PartiQL statement into the request of the engine action that does the work, as DynamoDB does:
// a SELECT whose WHERE fixes the partition key is a Query (a sort-key condition becomes the key condition, the
// rest the filter), any other SELECT a Scan with a filter; INSERT is a PutItem that must not overwrite, UPDATE an
// UpdateItem that must find its item, DELETE a DeleteItem. Names and values travel as #n/:v placeholders, so the
// engine's own expression checks and evaluation apply unchanged.
import { validation } from '../errors.js';
import type { IndexSchema, KeyAttribute, TableSchema } from '../schema.js';
import { compareValues } from '../values/compare.js';
import { setOwn } from '../values/own.js';
import { type AttributeValue, type Item, typeOf } from '../values/types.js';
import { validateAttributeValue } from '../values/validate.js';
import type { DeleteStatement, Expr, InsertStatement, PathExpr, SelectStatement, UpdateStatement } from './ast.js';
import {
  duplicateSelectNames,
  duplicateTupleKey,
  keyAbsent,
  keyMismatch,
  MESSAGES,
  multipleKeyConditions,
  orderByKey,
  pqlError,
  setFunctionArgs,
  setFunctionFirst,
  setFunctionSecond,
  unrecognizedFunction,
  unsupportedConditionOperator,
  unsupportedIsType,
  unsupportedUpdateOperator,
} from './messages.js';

/** Collects the placeholders of one translated request. */
export class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  name(name: string): string {
    let id = this.nameIds.get(name);
    if (!id) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(name, id);
      this.names[id] = name;
    }
    return id;
  }

  value(v: AttributeValue): string {
    const id = `:v${this.valueCount++}`;
    // Checked here so a bad literal is refused in an item's words, not as one of our placeholders.
    this.values[id] = validateAttributeValue(v);
    return id;
  }

  path(p: PathExpr): string {
    return p.steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${this.name(s)}`)).join('');
  }

  /** Adds ExpressionAttributeNames/Values to an engine request when any were used. */
  attach(input: Record<string, unknown>): Record<string, unknown> {
    if (this.nameIds.size) input.ExpressionAttributeNames = this.names;
    if (this.valueCount) input.ExpressionAttributeValues = this.values;
    return input;
  }
}

const CONDITION_FUNCTIONS = new Set([
  'begins_with',
  'contains',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
]);

const IS_TYPES: Record<string, string> = {
  BOOLEAN: 'BOOL',
  BOOL: 'BOOL',
  STRING: 'S',
  NUMERIC: 'N',
  BLOB: 'B',
  STRUCT: 'M',
  TUPLE: 'M',
  LIST: 'L',
};

export const isConstant = (e: Expr): boolean =>
  e.kind === 'literal' ||
  e.kind === 'param' ||
  ((e.kind === 'list' || e.kind === 'bag') && e.items.every(isConstant)) ||
  (e.kind === 'map' && e.entries.every(([, v]) => isConstant(v)));

/** The value of a constant expression with the request's parameters bound. */
export function constant(e: Expr, params: AttributeValue[]): AttributeValue {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'param':
      return params[e.index];
    case 'list':
      return { L: e.items.map((x) => constant(x, params)) };
    case 'map': {
      const M: Record<string, AttributeValue> = {};
      for (const [k, v] of e.entries) {
        if (Object.hasOwn(M, k)) throw duplicateTupleKey(k);
        Object.defineProperty(M, k, {
          value: constant(v, params),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return { M };
    }
    case 'bag': {
      const members = e.items.map((x) => constant(x, params));
      if (members.every((m) => 'S' in m)) return { SS: members.map((m) => (m as { S: string }).S) };
      if (members.every((m) => 'N' in m)) return { NS: members.map((m) => (m as { N: string }).N) };
      if (members.every((m) => 'B' in m)) return { BS: members.map((m) => (m as { B: string }).B) };
      throw pqlError(MESSAGES.bagType);
    }
    case 'missing':
      throw pqlError(MESSAGES.missingCompare);
    default:
      throw pqlError(MESSAGES.whereNotBoolean);
  }
}

/** Translates conditions (WHERE) into DynamoDB's condition expression syntax. */
export class ConditionWriter {
  constructor(
    readonly ph: Placeholders,
    readonly params: AttributeValue[],
  ) {}

  operand(e: Expr): string {
    if (e.kind === 'path') return this.ph.path(e);
    if (isConstant(e)) return this.ph.value(constant(e, this.params));
    if (e.kind === 'call' && e.name === 'size' && e.args.length === 1 && e.args[0].kind === 'path') {
      return `size(${this.ph.path(e.args[0])})`;
    }
    if (e.kind === 'missing') throw pqlError(MESSAGES.missingCompare);
    if (e.kind === 'arith') throw unsupportedConditionOperator(e.op);
    if (e.kind === 'call' && !CONDITION_FUNCTIONS.has(e.name) && e.name !== 'size') throw unrecognizedFunction(e.name);
    throw pqlError(MESSAGES.whereNotBoolean);
  }

  condition(e: Expr): string {
    switch (e.kind) {
      case 'and':
      case 'or':
        return `(${this.condition(e.left)}) ${e.kind.toUpperCase()} (${this.condition(e.right)})`;
      case 'not':
        return `NOT (${this.condition(e.operand)})`;
      case 'compare':
        if (e.left.kind === 'missing' || e.right.kind === 'missing') throw pqlError(MESSAGES.missingCompare);
        return `${this.operand(e.left)} ${e.op} ${this.operand(e.right)}`;
      case 'between': {
        const text = `${this.operand(e.operand)} BETWEEN ${this.operand(e.low)} AND ${this.operand(e.high)}`;
        return e.negated ? `NOT (${text})` : text;
      }
      case 'in': {
        if (e.operand.kind !== 'path') throw pqlError(MESSAGES.invalidIn);
        const text = `${this.ph.path(e.operand)} IN (${e.list.map((x) => this.operand(x)).join(', ')})`;
        return e.negated ? `NOT (${text})` : text;
      }
      case 'is': {
        if (e.operand.kind !== 'path')
          throw pqlError('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
        const path = this.ph.path(e.operand);
        let text: string;
        if (e.type === 'MISSING') text = `attribute_not_exists(${path})`;
        else if (e.type === 'NULL') {
          // PartiQL: a missing attribute IS NULL too.
          text = `attribute_not_exists(${path}) OR attribute_type(${path}, ${this.ph.value({ S: 'NULL' })})`;
        } else if (Object.hasOwn(IS_TYPES, e.type)) {
          text = `attribute_type(${path}, ${this.ph.value({ S: IS_TYPES[e.type] })})`;
        } else throw unsupportedIsType(e.type);
        // Never wrapped here: the enclosing AND, OR or NOT wraps it, and DynamoDB refuses doubled parentheses.
        return e.negated ? `NOT (${text})` : text;
      }
      case 'call':
        if (!CONDITION_FUNCTIONS.has(e.name)) {
          if (e.name === 'size') throw pqlError(MESSAGES.whereNotBoolean);
          throw unrecognizedFunction(e.name);
        }
        return `${e.name}(${e.args.map((a) => this.operand(a)).join(', ')})`;
      case 'arith':
        throw unsupportedConditionOperator(e.op);
      default:
        throw pqlError(MESSAGES.whereNotBoolean);
    }
  }
}

/** The top-level AND terms of a WHERE clause. */
export function conjuncts(e: Expr | undefined): Expr[] {
  if (!e) return [];
  if (e.kind === 'and') return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

const andOf = (terms: Expr[]): Expr | undefined =>
  terms.reduce<Expr | undefined>((acc, t) => (acc ? { kind: 'and', left: acc, right: t } : t), undefined);

const isAttribute = (e: Expr, name: string) => e.kind === 'path' && e.steps.length === 1 && e.steps[0] === name;

/** The constant a term fixes `name` to (`name = c` or `c = name`), if it is such a term. */
function equalityOn(term: Expr, name: string): Expr | undefined {
  if (term.kind !== 'compare' || term.op !== '=') return undefined;
  if (isAttribute(term.left, name) && isConstant(term.right)) return term.right;
  if (isAttribute(term.right, name) && isConstant(term.left)) return term.left;
  return undefined;
}

/** Whether any path in `e` starts at one of `names`. */
function mentions(e: Expr, names: string[]): boolean {
  switch (e.kind) {
    case 'path':
      return names.includes(e.steps[0]);
    case 'compare':
    case 'arith':
    case 'and':
    case 'or':
      return mentions(e.left, names) || mentions(e.right, names);
    case 'not':
      return mentions(e.operand, names);
    case 'between':
      return mentions(e.operand, names) || mentions(e.low, names) || mentions(e.high, names);
    case 'in':
      return mentions(e.operand, names) || e.list.some((x) => mentions(x, names));
    case 'is':
      return mentions(e.operand, names);
    case 'call':
    case 'list':
    case 'bag':
      return (e.kind === 'call' ? e.args : e.items).some((x) => mentions(x, names));
    case 'map':
      return e.entries.some(([, v]) => mentions(v, names));
    default:
      return false;
  }
}

function checkKeyValue(attr: KeyAttribute, v: AttributeValue): AttributeValue {
  if (!(attr.type in v)) throw keyMismatch(attr.name);
  return v;
}

export interface KeyAndRest {
  key: Item;
  /** The WHERE terms that are not the key equalities: a condition on the item. */
  rest?: Expr;
}

/** Reads the full primary key out of a WHERE clause (data manipulation needs one equality per key attribute). */
export function keyAndRest(
  schema: TableSchema,
  where: Expr | undefined,
  params: AttributeValue[],
  incomplete: string = MESSAGES.incompleteKey,
): KeyAndRest {
  let terms = conjuncts(where);
  const key: Item = {};
  for (const attr of [schema.hash, schema.range]) {
    if (!attr) continue;
    const matches = terms.filter((t) => equalityOn(t, attr.name));
    if (matches.length === 0) throw pqlError(incomplete);
    if (matches.length > 1) throw multipleKeyConditions(attr.name);
    setOwn(key, attr.name, checkKeyValue(attr, constant(equalityOn(matches[0], attr.name)!, params)));
    terms = terms.filter((t) => t !== matches[0]);
  }
  const rest = andOf(terms);
  return rest ? { key, rest } : { key };
}

/** Whether a SELECT fixes the whole primary key (the single-item reads of batches and transactions). */
export function fixesFullKey(schema: TableSchema, where: Expr | undefined): boolean {
  const terms = conjuncts(where);
  return [schema.hash, schema.range].every(
    (attr) => !attr || terms.filter((t) => equalityOn(t, attr.name)).length === 1,
  );
}

// ---- SELECT ---------------------------------------------------------------------------------------------------

export type SelectPlan =
  | { action: 'Scan'; input: Record<string, unknown>; projection?: Projection }
  /**
   * One Query per partition-key value, run in this order (a single value for `pk = v`). `keyFilter` holds the terms
   * on key attributes a Query's filter may not carry; they are applied to each page's items, as a filter would be.
   */
  | { action: 'Query'; inputs: Record<string, unknown>[]; projection?: Projection; keyFilter?: ItemFilter };

/** A condition checked in memory on items already read (placeholders resolved by their own maps). */
export interface ItemFilter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

/** How each projected path is named in the result (its last attribute name); undefined for `*`. */
export type Projection = { path: PathExpr; name: string }[];

/** Projected paths and their result names; two paths with the same name are refused, as DynamoDB does. */
export function selectProjection(statement: SelectStatement): Projection | undefined {
  if (statement.projection === '*') return undefined;
  const seen = new Set<string>();
  return statement.projection.map((path) => {
    const name = [...path.steps].reverse().find((s): s is string => typeof s === 'string')!;
    if (seen.has(name)) throw duplicateSelectNames(name);
    seen.add(name);
    return { path, name };
  });
}

type SortOp = '=' | '<' | '<=' | '>' | '>=';
const FLIP: Record<SortOp, SortOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** A term usable as a Query's sort-key condition, written in key-condition syntax. */
function sortKeyCondition(term: Expr, range: KeyAttribute, w: ConditionWriter): string | undefined {
  if (term.kind === 'compare' && term.op !== '<>') {
    const op = term.op as SortOp;
    if (isAttribute(term.left, range.name) && isConstant(term.right))
      return `${w.operand(term.left)} ${op} ${w.operand(term.right)}`;
    if (isAttribute(term.right, range.name) && isConstant(term.left))
      return `${w.operand(term.right)} ${FLIP[op]} ${w.operand(term.left)}`;
  }
  if (term.kind === 'between' && !term.negated && isAttribute(term.operand, range.name)) {
    if (isConstant(term.low) && isConstant(term.high)) return w.condition(term);
  }
  if (term.kind === 'call' && term.name === 'begins_with' && term.args.length === 2) {
    if (isAttribute(term.args[0], range.name) && isConstant(term.args[1])) return w.condition(term);
  }
  return undefined;
}

/** The partition-key values a WHERE term fixes: `pk = v`, `pk IN [v, …]`, or `pk = v OR pk = w …`. */
function partitionValues(term: Expr, hash: string): Expr[] | undefined {
  const eq = equalityOn(term, hash);
  if (eq) return [eq];
  if (term.kind === 'in' && !term.negated && isAttribute(term.operand, hash) && term.list.every(isConstant)) {
    return term.list;
  }
  if (term.kind === 'or') {
    const left = partitionValues(term.left, hash);
    const right = left && partitionValues(term.right, hash);
    return left && right ? [...left, ...right] : undefined;
  }
  return undefined;
}

export function planSelect(
  schema: TableSchema,
  index: IndexSchema | undefined,
  statement: SelectStatement,
  params: AttributeValue[],
): SelectPlan {
  const projection = selectProjection(statement);
  const hash = index ? index.hash : schema.hash;
  const range = index ? index.range : schema.range;
  const keyNames = [hash.name, ...(range ? [range.name] : [])];
  const base: Record<string, unknown> = { TableName: schema.name };
  if (index) base.IndexName = index.name;
  const terms = conjuncts(statement.where);
  const hashTerms = terms.filter((t) => partitionValues(t, hash.name));
  if (hashTerms.length === 1) {
    let rest = terms.filter((t) => t !== hashTerms[0]);
    const sortTerm =
      range && rest.find((t) => sortKeyCondition(t, range, new ConditionWriter(new Placeholders(), params)));
    if (sortTerm) rest = rest.filter((t) => t !== sortTerm);
    // A Query's filter may not name key attributes: those terms are checked on the items the Query returns.
    const filter = andOf(rest.filter((t) => !mentions(t, keyNames)));
    const keyTerms = andOf(rest.filter((t) => mentions(t, keyNames)));
    let keyFilter: ItemFilter | undefined;
    if (keyTerms) {
      const ph = new Placeholders();
      const expression = new ConditionWriter(ph, params).condition(keyTerms);
      keyFilter = { expression, names: ph.names, values: ph.values };
    }
    let forward = true;
    let hashDescending = false;
    for (const o of statement.orderBy ?? []) {
      if (!keyNames.includes(o.name)) throw orderByKey(o.name);
      if (o.name === range?.name) forward = !o.descending;
      else hashDescending = o.descending;
    }
    // One Query per distinct value, in key order (DynamoDB decomposes IN and OR on the partition key so).
    const seen = new Set<string>();
    const values = partitionValues(hashTerms[0], hash.name)!
      .map((v) => constant(v, params))
      .filter((v) => {
        const id = JSON.stringify(v);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      })
      .sort((a, b) => (typeOf(a) === typeOf(b) ? compareValues(a, b) : 0));
    if (hashDescending) values.reverse();
    const inputs = values.map((value) => {
      const ph = new Placeholders();
      const w = new ConditionWriter(ph, params);
      const keyParts = [`${ph.name(hash.name)} = ${ph.value(value)}`];
      if (sortTerm) keyParts.push(sortKeyCondition(sortTerm, range!, w)!);
      const input: Record<string, unknown> = { ...base, KeyConditionExpression: keyParts.join(' AND ') };
      if (filter) input.FilterExpression = w.condition(filter);
      if (!forward) input.ScanIndexForward = false;
      return ph.attach(input);
    });
    return keyFilter ? { action: 'Query', inputs, projection, keyFilter } : { action: 'Query', inputs, projection };
  }
  if (statement.orderBy) {
    throw pqlError(statement.where ? MESSAGES.orderByNeedsHash : MESSAGES.orderByNeedsWhere);
  }
  const ph = new Placeholders();
  const input: Record<string, unknown> = { ...base };
  if (statement.where) input.FilterExpression = new ConditionWriter(ph, params).condition(statement.where);
  return { action: 'Scan', input: ph.attach(input), projection };
}

// ---- INSERT, UPDATE, DELETE, EXISTS ----------------------------------------------------------------------------

export function planInsert(schema: TableSchema, statement: InsertStatement, params: AttributeValue[]) {
  const v = statement.value;
  if (v.kind !== 'map' && v.kind !== 'param') throw pqlError(MESSAGES.itemSyntax);
  const value = constant(v, params);
  if (!('M' in value)) throw pqlError(MESSAGES.itemSyntax);
  const item = value.M;
  for (const attr of [schema.hash, schema.range]) {
    if (!attr) continue;
    if (!Object.hasOwn(item, attr.name)) throw keyAbsent(attr.name);
    checkKeyValue(attr, item[attr.name]);
  }
  return {
    TableName: schema.name,
    Item: item,
    ConditionExpression: 'attribute_not_exists(#n0)',
    ExpressionAttributeNames: { '#n0': schema.hash.name },
  };
}

const samePath = (a: Expr, b: PathExpr) =>
  a.kind === 'path' && a.steps.length === b.steps.length && a.steps.every((s, i) => s === b.steps[i]);

function setValue(e: Expr, w: ConditionWriter): string {
  if (e.kind === 'path') return w.ph.path(e);
  if (isConstant(e)) return w.ph.value(constant(e, w.params));
  switch (e.kind) {
    case 'arith':
      return `${setValue(e.left, w)} ${e.op} ${setValue(e.right, w)}`;
    case 'call':
      if (e.name === 'list_append' || e.name === 'if_not_exists')
        return `${e.name}(${e.args.map((a) => setValue(a, w)).join(', ')})`;
      if (e.name === 'set_add' || e.name === 'set_delete') throw unsupportedUpdateOperator(e.name.toUpperCase());
      throw unrecognizedFunction(e.name);
    case 'compare':
      throw unsupportedUpdateOperator(e.op);
    case 'and':
    case 'or':
      throw unsupportedUpdateOperator(e.kind.toUpperCase());
    case 'missing':
      throw pqlError(MESSAGES.missingCompare);
    default:
      throw unsupportedUpdateOperator(e.kind.toUpperCase());
  }
}

export function planUpdate(schema: TableSchema, statement: UpdateStatement, params: AttributeValue[]) {
  const { key, rest } = keyAndRest(schema, statement.where, params);
  const ph = new Placeholders();
  const w = new ConditionWriter(ph, params);
  const sets: string[] = [];
  const adds: string[] = [];
  const deletes: string[] = [];
  for (const { path, value } of statement.sets) {
    if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
      const fn = value.name === 'set_add' ? 'ADD' : 'DELETE';
      if (value.args.length !== 2) throw setFunctionArgs(fn);
      if (!samePath(value.args[0], path)) throw setFunctionFirst(fn);
      if (!isConstant(value.args[1])) throw setFunctionSecond(fn);
      const set = constant(value.args[1], params);
      if (!('SS' in set || 'NS' in set || 'BS' in set)) throw setFunctionSecond(fn);
      (fn === 'ADD' ? adds : deletes).push(`${ph.path(path)} ${ph.value(set)}`);
    } else sets.push(`${ph.path(path)} = ${setValue(value, w)}`);
  }
  const clauses: string[] = [];
  if (sets.length) clauses.push(`SET ${sets.join(', ')}`);
  if (statement.removes.length) clauses.push(`REMOVE ${statement.removes.map((p) => ph.path(p)).join(', ')}`);
  if (adds.length) clauses.push(`ADD ${adds.join(', ')}`);
  if (deletes.length) clauses.push(`DELETE ${deletes.join(', ')}`);
  // UPDATE never creates an item: the key must exist, and the other WHERE terms must hold.
  const exists = `attribute_exists(${ph.name(schema.hash.name)})`;
  const input: Record<string, unknown> = {
    TableName: schema.name,
    Key: key,
    UpdateExpression: clauses.join(' '),
    ConditionExpression: rest ? `${exists} AND (${w.condition(rest)})` : exists,
  };
  if (statement.returning) input.ReturnValues = statement.returning;
  return ph.attach(input);
}

export function planDelete(schema: TableSchema, statement: DeleteStatement, params: AttributeValue[]) {
  const { key, rest } = keyAndRest(schema, statement.where, params);
  const ph = new Placeholders();
  const input: Record<string, unknown> = { TableName: schema.name, Key: key };
  if (rest) {
    // A missing item is a quiet no-op; an existing one must satisfy the other terms.
    const w = new ConditionWriter(ph, params);
    input.ConditionExpression = `attribute_not_exists(${ph.name(schema.hash.name)}) OR (${w.condition(rest)})`;
  }
  if (statement.returning) input.ReturnValues = statement.returning;
  return ph.attach(input);
}

/** EXISTS(SELECT … WHERE key AND cond): holds when the item exists and satisfies cond. */
export function planConditionCheck(schema: TableSchema, select: SelectStatement, params: AttributeValue[]) {
  if (select.source.index) throw pqlError(MESSAGES.transactionIndexWrite);
  const { key, rest } = keyAndRest(schema, select.where, params, MESSAGES.existsKey);
  const ph = new Placeholders();
  const exists = `attribute_exists(${ph.name(schema.hash.name)})`;
  const input: Record<string, unknown> = {
    TableName: schema.name,
    Key: key,
    ConditionExpression: rest ? `${exists} AND (${new ConditionWriter(ph, params).condition(rest)})` : exists,
  };
  return ph.attach(input);
}

/** Single-item SELECT (batches and transactions): the key to get and the condition the item must meet. */
export function planGet(schema: TableSchema, select: SelectStatement, params: AttributeValue[], incomplete: string) {
  const { key, rest } = keyAndRest(schema, select.where, params, incomplete);
  let filter: ItemFilter | undefined;
  if (rest) {
    const ph = new Placeholders();
    const expression = new ConditionWriter(ph, params).condition(rest);
    filter = { expression, names: ph.names, values: ph.values };
  }
  return { key, filter, projection: selectProjection(select) };
}

export const checkParameterCount = (expected: number, params: readonly unknown[] | undefined) => {
  if (expected !== (params?.length ?? 0)) throw validation(MESSAGES.parameterCount);
};
