// `@aws-appsync/utils/rds`: builds the RDS Data API request AppSync sends for a RELATIONAL_DATABASE data source,
// `{ statements, variableMap, variableTypeHintMap }`. Every value a resolver passes becomes a `:P<n>` variable, bound
// by the data source as a driver parameter and never written into the SQL text; table and column names are quoted
// for the dialect chosen last, by `createPgStatement` ("name") or `createMySQLStatement` (`name`). A statement is
// therefore kept as parts (text, identifiers, values, nested statements) until one of those two renders it.
import { misuse } from './errors.js';
import { describe } from './strings.js';
import { isList, isMap, isNull, type JsonMap, setOwn } from './values.js';

type Part =
  | { text: string }
  | { ident: string; star?: boolean }
  | { value: unknown; hint?: string }
  | { nested: object; parens: boolean };

/** Parts of each statement the module made; resolver code holds only the opaque, frozen handle. */
const statements = new WeakMap<object, Part[]>();
const hints = new WeakMap<object, { hint: string; value: unknown }>();
const aggregates = new WeakMap<object, { fn: string; distinct: boolean; column: string }>();

const statement = (parts: Part[]): object => {
  const handle = Object.freeze({});
  statements.set(handle, parts);
  return handle;
};
const isStatement = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && statements.has(value);

// ---- sql`...` and type hints ----------------------------------------------------------------------------------

function valuePart(value: unknown): Part {
  if (typeof value === 'object' && value !== null) {
    const hinted = hints.get(value);
    if (hinted) return { value: hinted.value, hint: hinted.hint };
    if (isStatement(value)) return { nested: value, parens: false };
  }
  return { value };
}

export function sql(literal: readonly string[], ...args: unknown[]): object {
  if (!isList(literal)) throw misuse('sql', 'is a tagged template (sql`SELECT ...`), not a function to call');
  const parts: Part[] = [];
  literal.forEach((text, i) => {
    parts.push({ text: String(text) });
    if (i < args.length) parts.push(valuePart(args[i]));
  });
  return statement(parts);
}

const HINTS = ['DECIMAL', 'JSON', 'TIMESTAMP', 'TIME', 'UUID', 'DATE'] as const;
const hint = (name: string) => (value: unknown) => {
  const handle = Object.freeze({});
  // The Data API takes hinted values as strings: a JSON hint of an object or a number for DECIMAL is sent as text.
  const text =
    typeof value === 'string' || isNull(value) ? value : name === 'JSON' ? JSON.stringify(value) : String(value);
  hints.set(handle, { hint: name, value: text });
  return handle;
};
export const typeHint = Object.fromEntries(HINTS.map((name) => [name, hint(name)])) as Record<
  (typeof HINTS)[number],
  (value: unknown) => object
>;

const AGGREGATES = ['max', 'min', 'count', 'avg', 'sum'] as const;
export const agg = Object.fromEntries(
  AGGREGATES.flatMap((fn) =>
    [false, true].map((distinct) => [
      distinct ? `${fn}Distinct` : fn,
      (column: string) => {
        if (typeof column !== 'string' || column === '')
          throw misuse(`agg.${fn}`, `expected a column name, got ${describe(column)}`);
        const handle = Object.freeze({});
        aggregates.set(handle, { fn: fn.toUpperCase(), distinct, column });
        return handle;
      },
    ]),
  ),
) as Record<string, (column: string) => object>;

// ---- the builders ---------------------------------------------------------------------------------------------

const text = (t: string): Part => ({ text: t });
const ident = (name: string): Part => ({ ident: name });
/** A name in a column list, where `*` and `table.*` keep their meaning. */
const columnName = (name: string): Part => ({ ident: name, star: true });

function column(builtin: string, value: unknown): Part[] {
  if (typeof value === 'string' && value !== '') return [columnName(value)];
  if (typeof value === 'object' && value !== null) {
    const a = aggregates.get(value);
    if (a)
      return [
        text(`${a.fn}(${a.distinct ? 'DISTINCT ' : ''}`),
        ...(a.column === '*' ? [text('*')] : [ident(a.column)]),
        text(')'),
      ];
    if (isStatement(value)) return [{ nested: value, parens: true }];
    if (isMap(value)) {
      const entries = Object.entries(value);
      if (entries.length !== 1) throw misuse(builtin, 'an alias object has exactly one key: { alias: expression }');
      const [alias, expr] = entries[0];
      return [...column(builtin, expr), text(' AS '), ident(alias)];
    }
  }
  throw misuse(builtin, `expected a column name, an alias object or an aggregate, got ${describe(value)}`);
}

function columnList(builtin: string, columns: unknown): Part[] {
  if (columns === undefined || columns === '*') return [text('*')];
  if (!isList(columns) || columns.length === 0)
    throw misuse(builtin, `columns must be '*' or a non-empty list, got ${describe(columns)}`);
  return join(
    columns.map((c) => column(builtin, c)),
    ', ',
  );
}

function join(lists: Part[][], separator: string): Part[] {
  return lists.flatMap((parts, i) => (i === 0 ? parts : [text(separator), ...parts]));
}

/** `table` or `from`: a name, `{ alias: name | statement }`, or a statement (a subquery). */
function source(builtin: string, payload: JsonMap): Part[] {
  const value = payload.table ?? payload.from;
  if (value === undefined) throw misuse(builtin, 'needs a table (or from)');
  if (isStatement(value)) return [{ nested: value, parens: true }];
  return column(builtin, value);
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const SIZE_OPS = new Set(['size', ...AGGREGATES, ...AGGREGATES.map((a) => `${a}Distinct`)]);

/** `%`, `_` and `\` in a contains/beginsWith value match themselves: the value is data, not a pattern. */
const likeEscape = (value: unknown) => String(value).replace(/[\\%_]/g, (c) => `\\${c}`);

function operations(builtin: string, target: Part[], ops: unknown): Part[][] {
  if (!isMap(ops)) throw misuse(builtin, `a condition on a column is an object of operators, got ${describe(ops)}`);
  const out: Part[][] = [];
  for (const [op, operand] of Object.entries(ops)) {
    if (op in COMPARISONS) {
      if (isNull(operand) && (op === 'eq' || op === 'ne')) {
        out.push([...target, text(op === 'eq' ? ' IS NULL' : ' IS NOT NULL')]);
      } else {
        out.push([...target, text(` ${COMPARISONS[op]} `), valuePart(operand)]);
      }
    } else if (op === 'between') {
      if (!isList(operand) || operand.length !== 2) throw misuse(builtin, 'between takes a list of two values');
      out.push([...target, text(' BETWEEN '), valuePart(operand[0]), text(' AND '), valuePart(operand[1])]);
    } else if (op === 'contains' || op === 'notContains') {
      out.push([...target, text(op === 'contains' ? ' LIKE ' : ' NOT LIKE '), { value: `%${likeEscape(operand)}%` }]);
    } else if (op === 'beginsWith') {
      out.push([...target, text(' LIKE '), { value: `${likeEscape(operand)}%` }]);
    } else if (op === 'attributeExists') {
      out.push([...target, text(operand ? ' IS NOT NULL' : ' IS NULL')]);
    } else if (SIZE_OPS.has(op)) {
      const fn =
        op === 'size'
          ? [text('CHAR_LENGTH('), ...target, text(')')]
          : (() => {
              const distinct = op.endsWith('Distinct');
              const name = (distinct ? op.slice(0, -'Distinct'.length) : op).toUpperCase();
              return [text(`${name}(${distinct ? 'DISTINCT ' : ''}`), ...target, text(')')];
            })();
      out.push(...operations(builtin, fn, operand));
    } else {
      throw misuse(builtin, `unknown condition operator '${op}'`);
    }
  }
  return out;
}

/** A condition object (`{ col: { eq: v }, or: [...] }`) or a sql`...` statement, as SQL parts. */
function condition(builtin: string, cond: unknown): Part[] {
  if (isStatement(cond)) return [{ nested: cond, parens: false }];
  if (!isMap(cond)) throw misuse(builtin, `a condition is an object or a sql statement, got ${describe(cond)}`);
  const terms: Part[][] = [];
  for (const [key, value] of Object.entries(cond)) {
    if (key === 'and' || key === 'or' || key === 'not') {
      if (!isList(value) || value.length === 0) throw misuse(builtin, `${key} takes a non-empty list of conditions`);
      const inner = join(
        value.map((c) => [text('('), ...condition(builtin, c), text(')')]),
        key === 'or' ? ' OR ' : ' AND ',
      );
      terms.push(key === 'not' ? [text('NOT ('), ...inner, text(')')] : [text('('), ...inner, text(')')]);
    } else {
      terms.push(...operations(builtin, [ident(key)], value));
    }
  }
  return join(terms, ' AND ');
}

const where = (builtin: string, payload: JsonMap): Part[] => {
  const w = payload.where;
  if (w === undefined || w === null || (!isStatement(w) && isMap(w) && Object.keys(w).length === 0)) return [];
  return [text(' WHERE '), ...condition(builtin, w)];
};

const returning = (builtin: string, payload: JsonMap): Part[] =>
  payload.returning === undefined ? [] : [text(' RETURNING '), ...columnList(builtin, payload.returning)];

const JOINS: Record<string, string> = {
  join: 'JOIN',
  innerJoin: 'INNER JOIN',
  leftJoin: 'LEFT JOIN',
  leftOuterJoin: 'LEFT OUTER JOIN',
  rightJoin: 'RIGHT JOIN',
  rightOuterJoin: 'RIGHT OUTER JOIN',
  fullOuterJoin: 'FULL OUTER JOIN',
  crossJoin: 'CROSS JOIN',
  joinNatural: 'NATURAL JOIN',
  innerJoinNatural: 'NATURAL INNER JOIN',
  leftJoinNatural: 'NATURAL LEFT JOIN',
  leftOuterJoinNatural: 'NATURAL LEFT OUTER JOIN',
  rightJoinNatural: 'NATURAL RIGHT JOIN',
  rightOuterJoinNatural: 'NATURAL RIGHT OUTER JOIN',
  fullOuterJoinNatural: 'NATURAL FULL OUTER JOIN',
};

function joins(builtin: string, payload: JsonMap): Part[] {
  const out: Part[] = [];
  for (const [key, keyword] of Object.entries(JOINS)) {
    const list = payload[key];
    if (list === undefined) continue;
    if (!isList(list)) throw misuse(builtin, `${key} is a list of joins`);
    for (const j of list) {
      if (!isMap(j)) throw misuse(builtin, `each ${key} entry is an object with from (or table)`);
      out.push(text(` ${keyword} `), ...source(builtin, j));
      if (j.using !== undefined) {
        if (!isList(j.using)) throw misuse(builtin, 'using is a list of column names');
        out.push(text(' USING ('), ...columnList(builtin, j.using), text(')'));
      } else if (j.on !== undefined) {
        out.push(text(' ON '), ...condition(builtin, j.on));
      }
    }
  }
  return out;
}

const count = (builtin: string, name: string, value: unknown): Part => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw misuse(builtin, `${name} must be a non-negative integer, got ${describe(value)}`);
  return { value };
};

function payloadOf(builtin: string, payload: unknown): JsonMap {
  if (!isMap(payload)) throw misuse(builtin, `expected an input object, got ${describe(payload)}`);
  return payload;
}

export function select(input: unknown): object {
  const p = payloadOf('select', input);
  const parts: Part[] = [text('SELECT '), ...columnList('select', p.columns), text(' FROM '), ...source('select', p)];
  parts.push(...joins('select', p), ...where('select', p));
  if (p.groupBy !== undefined) {
    if (!isList(p.groupBy) || p.groupBy.length === 0) throw misuse('select', 'groupBy is a non-empty list');
    const groups = p.groupBy.map((g): Part[] => {
      if (typeof g === 'number' && Number.isInteger(g) && g > 0) return [text(String(g))];
      return column('select', g);
    });
    parts.push(text(' GROUP BY '), ...join(groups, ', '));
  }
  if (p.having !== undefined) parts.push(text(' HAVING '), ...condition('select', p.having));
  if (p.orderBy !== undefined) {
    if (!isList(p.orderBy) || p.orderBy.length === 0) throw misuse('select', 'orderBy is a non-empty list');
    const order = p.orderBy.map((o): Part[] => {
      if (!isMap(o) || typeof o.column !== 'string') throw misuse('select', 'each orderBy entry is { column, dir? }');
      const dir = o.dir === undefined ? '' : String(o.dir).toUpperCase();
      if (dir !== '' && dir !== 'ASC' && dir !== 'DESC')
        throw misuse('select', `orderBy dir is ASC or DESC, got ${describe(o.dir)}`);
      return dir ? [ident(o.column), text(` ${dir}`)] : [ident(o.column)];
    });
    parts.push(text(' ORDER BY '), ...join(order, ', '));
  }
  if (p.limit !== undefined) parts.push(text(' LIMIT '), count('select', 'limit', p.limit));
  if (p.offset !== undefined) parts.push(text(' OFFSET '), count('select', 'offset', p.offset));
  return statement(parts);
}

function valuesOf(builtin: string, p: JsonMap): [string, unknown][] {
  if (!isMap(p.values) || Object.keys(p.values).length === 0)
    throw misuse(builtin, `values must be a non-empty object of column: value, got ${describe(p.values)}`);
  return Object.entries(p.values);
}

export function insert(input: unknown): object {
  const p = payloadOf('insert', input);
  const values = valuesOf('insert', p);
  return statement([
    text('INSERT INTO '),
    ...source('insert', p),
    text(' ('),
    ...join(
      values.map(([c]) => [ident(c)]),
      ', ',
    ),
    text(') VALUES ('),
    ...join(
      values.map(([, v]) => [valuePart(v)]),
      ', ',
    ),
    text(')'),
    ...returning('insert', p),
  ]);
}

export function update(input: unknown): object {
  const p = payloadOf('update', input);
  const values = valuesOf('update', p);
  return statement([
    text('UPDATE '),
    ...source('update', p),
    text(' SET '),
    ...join(
      values.map(([c, v]) => [ident(c), text(' = '), valuePart(v)]),
      ', ',
    ),
    ...where('update', p),
    ...returning('update', p),
  ]);
}

export function remove(input: unknown): object {
  const p = payloadOf('remove', input);
  return statement([text('DELETE FROM '), ...source('remove', p), ...where('remove', p), ...returning('remove', p)]);
}

// ---- rendering ------------------------------------------------------------------------------------------------

export interface RdsRequest {
  statements: string[];
  variableMap: JsonMap;
  variableTypeHintMap: Record<string, string>;
}

/** `schema.table.column` quoted part by part; in a column list `*` stays a wildcard. Quotes inside are doubled. */
function quote(name: string, q: string, star: boolean): string {
  return name
    .split('.')
    .map((part) => (star && part === '*' ? part : `${q}${part.split(q).join(q + q)}${q}`))
    .join('.');
}

function render(builtin: string, q: string, statementsIn: unknown[]): RdsRequest {
  const out: RdsRequest = { statements: [], variableMap: {}, variableTypeHintMap: {} };
  let n = 0;
  const walk = (parts: Part[]): string =>
    parts
      .map((part) => {
        if ('text' in part) return part.text;
        if ('ident' in part) return quote(part.ident, q, part.star === true);
        if ('nested' in part) {
          const inner = walk(statements.get(part.nested)!);
          return part.parens ? `(${inner})` : inner;
        }
        const name = `:P${n++}`;
        setOwn(out.variableMap, name, part.value === undefined ? null : part.value);
        if (part.hint) setOwn(out.variableTypeHintMap, name, part.hint);
        return name;
      })
      .join('');
  for (const s of statementsIn) {
    if (typeof s === 'string') out.statements.push(s);
    else if (isStatement(s)) out.statements.push(walk(statements.get(s)!));
    else
      throw misuse(
        builtin,
        `a statement is a string or made by sql, select, insert, update or remove; got ${describe(s)}`,
      );
  }
  return out;
}

const create = (builtin: string, q: string) => (statement1: unknown, statement2?: unknown) =>
  render(builtin, q, isNull(statement2) ? [statement1] : [statement1, statement2]);

export const createPgStatement = create('createPgStatement', '"');
export const createMySQLStatement = create('createMySQLStatement', '`');

// ---- results --------------------------------------------------------------------------------------------------

const { parse } = JSON;

/** One Data API Field (`{ stringValue }`, `{ longValue }`, `{ isNull: true }`, `{ arrayValue }`...) as a value. */
function fieldValue(field: unknown): unknown {
  if (!isMap(field)) return null;
  if (field.isNull === true) return null;
  for (const key of ['stringValue', 'longValue', 'doubleValue', 'booleanValue', 'blobValue'])
    if (key in field) return field[key];
  if (isMap(field.arrayValue)) {
    const a = field.arrayValue;
    if (isList(a.arrayValues)) return a.arrayValues.map((v) => fieldValue({ arrayValue: v }));
    for (const key of ['stringValues', 'longValues', 'doubleValues', 'booleanValues'])
      if (isList(a[key])) return a[key];
  }
  return null;
}

/** `toJsonObject` / `util.rds.toJsonObject`: each statement's records as objects keyed by column label. */
export function toJsonObject(data: unknown): JsonMap[][] {
  let result = data;
  if (typeof data === 'string') {
    try {
      result = parse(data);
    } catch {
      throw misuse('toJsonObject', 'the result string is not JSON');
    }
  }
  if (!isMap(result) || !isList(result.sqlStatementResults))
    throw misuse('toJsonObject', 'expected the Data API result: an object (or its JSON) with sqlStatementResults');
  return result.sqlStatementResults.map((r: unknown) => {
    if (!isMap(r) || !isList(r.records)) return [];
    const columns = isList(r.columnMetadata) ? r.columnMetadata : [];
    return r.records.map((record: unknown) => {
      const row: JsonMap = {};
      if (isList(record))
        record.forEach((field, i) => {
          const meta = isMap(columns[i]) ? columns[i] : {};
          setOwn(row, String(meta.label ?? meta.name ?? i), fieldValue(field));
        });
      return row;
    });
  });
}

export const rdsModule = {
  sql,
  select,
  insert,
  update,
  remove,
  createPgStatement,
  createMySQLStatement,
  typeHint,
  agg,
  toJsonObject,
};
