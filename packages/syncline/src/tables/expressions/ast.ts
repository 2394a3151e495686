// The parsed forms of DynamoDB's expressions. Both the expression parameters (ConditionExpression, …) and the
// legacy parameters (Expected, QueryFilter, AttributeUpdates, …) produce these, so evaluation exists once.
import type { AttributeValue } from '../values/types.js';

/** One step of a document path: an attribute/map key (placeholders already resolved) or a list index. */
export type PathElement = string | number;
export type Path = PathElement[];

export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'attribute_exists'; path: Path }
  | { kind: 'attribute_not_exists'; path: Path }
  | { kind: 'attribute_type'; operand: Operand; type: Operand }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; member: Operand };

/** The right-hand side of a SET action. */
export type SetValue =
  | Operand
  | { kind: '+' | '-'; left: SetValue; right: SetValue }
  | { kind: 'if_not_exists'; path: Path; fallback: SetValue }
  | { kind: 'list_append'; left: SetValue; right: SetValue };

export type UpdateAction =
  | { action: 'SET'; path: Path; value: SetValue }
  | { action: 'REMOVE'; path: Path }
  /** `legacy` marks AttributeUpdates actions, which also append lists and word their type errors differently. */
  | { action: 'ADD'; path: Path; value: AttributeValue; legacy?: boolean }
  | { action: 'DELETE'; path: Path; value: AttributeValue; legacy?: boolean };

export type KeyConditionOp = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyCondition {
  partition: AttributeValue;
  sort?: { op: KeyConditionOp; values: AttributeValue[] };
}

/** DynamoDB's rendering of a path in messages: `[a, b, [0]]`. */
export function pathToString(path: Path): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}
