// The parsed forms of DynamoDB's PartiQL statements. Values stay expressions until execution because `?`
// parameters are bound per request.
import type { AttributeValue } from '../values/types.js';

/** A document path: an attribute name, then map keys (strings) and list indexes (numbers). */
export interface PathExpr {
  kind: 'path';
  steps: [string, ...(string | number)[]];
}

export type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Expr =
  | PathExpr
  | { kind: 'literal'; value: AttributeValue }
  | { kind: 'missing' }
  | { kind: 'param'; index: number }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'map'; entries: [string, Expr][] }
  | { kind: 'bag'; items: Expr[] }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'compare'; op: Comparison; left: Expr; right: Expr }
  | { kind: 'arith'; op: '+' | '-'; left: Expr; right: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; negated: boolean }
  | { kind: 'in'; operand: Expr; list: Expr[]; negated: boolean }
  | { kind: 'is'; operand: Expr; type: string; negated: boolean };

export interface Source {
  table: string;
  index?: string;
}

export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export interface SelectStatement {
  kind: 'select';
  /** `*`, or the projected paths in order. */
  projection: '*' | PathExpr[];
  source: Source;
  where?: Expr;
  orderBy?: { name: string; descending: boolean }[];
}

export interface InsertStatement {
  kind: 'insert';
  table: string;
  value: Expr;
}

export interface UpdateStatement {
  kind: 'update';
  table: string;
  sets: { path: PathExpr; value: Expr }[];
  removes: PathExpr[];
  where?: Expr;
  returning?: Returning;
}

export interface DeleteStatement {
  kind: 'delete';
  table: string;
  where?: Expr;
  returning?: Returning;
}

/** `EXISTS(SELECT …)`: a condition check, only inside ExecuteTransaction. */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

export interface ParsedStatement {
  statement: Statement;
  /** How many `?` the statement holds; the request must bring exactly that many Parameters. */
  parameterCount: number;
}
