// Turns a request's expression parameters (ConditionExpression, FilterExpression, …) or their legacy
// equivalents (Expected, QueryFilter, …) into parsed ASTs, with DynamoDB's rules on mixing the two styles and
// on unused placeholders. Operations then evaluate the ASTs without knowing which style the client used.
import { validation } from './errors.js';
import {
  type AttributeValueUpdate,
  applyUpdate,
  type Condition,
  type ConditionalOperator,
  conditionFromExpected,
  conditionFromFilter,
  type ExpectedAttributeValue,
  ExpressionContext,
  evaluateCondition,
  type KeyCondition,
  type KeySchemaNames,
  keyConditionFromKeyConditions,
  type LegacyCondition,
  type Operand,
  onlyRemoves,
  type Path,
  parseCondition,
  parseKeyCondition,
  parseProjection,
  parseUpdate,
  project,
  projectionFromAttributesToGet,
  type UpdateAction,
  updatedPaths,
  updateFromAttributeUpdates,
} from './expressions/index.js';
import type { AttributeValue, Item } from './values/index.js';

export interface RequestExpressions {
  condition?: Condition;
  filter?: Condition;
  projection?: Path[];
  update?: UpdateAction[];
  keyCondition?: KeyCondition;
}

export interface ExpressionSpec {
  condition?: boolean;
  filter?: 'QueryFilter' | 'ScanFilter';
  projection?: boolean;
  update?: boolean;
  /** Query only: the key names of the table or index being queried. */
  keyCondition?: KeySchemaNames;
}

function checkStyles(data: Record<string, unknown>, spec: ExpressionSpec): void {
  // Parameter order follows DynamoDB's messages.
  const expressions: string[] = [];
  const legacy: string[] = [];
  if (spec.update) {
    expressions.push('UpdateExpression');
    legacy.push('AttributeUpdates');
  }
  if (spec.projection) {
    expressions.push('ProjectionExpression');
    legacy.push('AttributesToGet');
  }
  if (spec.condition) {
    expressions.push('ConditionExpression');
    legacy.push('Expected');
  }
  if (spec.filter) {
    expressions.push('FilterExpression');
    legacy.push(spec.filter);
  }
  if (spec.condition || spec.filter) legacy.push('ConditionalOperator');
  if (spec.keyCondition) {
    expressions.push('KeyConditionExpression');
    // KeyConditions may accompany other expressions as long as KeyConditionExpression is absent.
    if (data.KeyConditionExpression !== undefined) legacy.push('KeyConditions');
  }
  const usedExpressions = expressions.filter((p) => data[p] !== undefined);
  if (usedExpressions.length) {
    const usedLegacy = legacy.filter((p) => data[p] !== undefined);
    if (usedLegacy.length) {
      throw validation(
        `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${usedLegacy.join(', ')}} Expression parameters: {${usedExpressions.join(', ')}}`,
      );
    }
  }
  if (data.ExpressionAttributeNames !== undefined && !usedExpressions.length) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueTaking = expressions.filter((p) => p !== 'ProjectionExpression');
  if (data.ExpressionAttributeValues !== undefined && valueTaking.every((p) => data[p] === undefined)) {
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueTaking.join(' and ')} ${valueTaking.length > 1 ? 'are' : 'is'} null`,
    );
  }
}

// Every parameter compileExpressions reads, apart from the key condition's and the filter's own.
const EXPRESSION_PARAMETERS = new Set([
  'UpdateExpression',
  'AttributeUpdates',
  'ConditionExpression',
  'Expected',
  'ConditionalOperator',
  'FilterExpression',
  'ProjectionExpression',
  'AttributesToGet',
  'ExpressionAttributeNames',
  'ExpressionAttributeValues',
]);

/** Whether the request carries any of them; it has a handful of members, so those are what is walked. */
function carriesExpressions(data: Record<string, unknown>): boolean {
  for (const name in data) if (data[name] !== undefined && EXPRESSION_PARAMETERS.has(name)) return true;
  return false;
}

/** Parses and checks every expression of a request; call once per request, at the edge. */
export function compileExpressions(data: Record<string, unknown>, spec: ExpressionSpec): RequestExpressions {
  // The common GetItem or PutItem carries none of them: nothing to check, nothing to compile.
  if (!spec.keyCondition && !(spec.filter && data[spec.filter] !== undefined) && !carriesExpressions(data)) {
    return {};
  }
  checkStyles(data, spec);
  if (data.ConditionalOperator !== undefined) {
    // DynamoDB's rules (and words) for joining legacy conditions: it needs two of them to join.
    const legacy = (spec.condition ? data.Expected : undefined) ?? (spec.filter ? data[spec.filter] : undefined);
    if (legacy === undefined) throw validation('ConditionalOperator cannot be used without Filter or Expected');
    if (Object.keys(legacy as object).length < 2) {
      throw validation('ConditionalOperator can only be used when Filter or Expected has two or more elements');
    }
  }
  const out: RequestExpressions = {};
  const hasExpressions =
    data.ExpressionAttributeNames !== undefined ||
    data.ExpressionAttributeValues !== undefined ||
    [
      'UpdateExpression',
      'ConditionExpression',
      'KeyConditionExpression',
      'FilterExpression',
      'ProjectionExpression',
    ].some((p) => data[p] !== undefined);
  const ctx = hasExpressions
    ? new ExpressionContext(
        data.ExpressionAttributeNames as Record<string, string> | undefined,
        data.ExpressionAttributeValues as Record<string, AttributeValue> | undefined,
      )
    : undefined;
  const operator = data.ConditionalOperator as ConditionalOperator | undefined;
  if (spec.update) {
    if (typeof data.UpdateExpression === 'string') out.update = parseUpdate(data.UpdateExpression, ctx!);
    else if (data.AttributeUpdates !== undefined) {
      out.update = updateFromAttributeUpdates(data.AttributeUpdates as Record<string, AttributeValueUpdate>);
    }
  }
  if (spec.condition) {
    if (typeof data.ConditionExpression === 'string') out.condition = parseCondition(data.ConditionExpression, ctx!);
    else
      out.condition = conditionFromExpected(
        data.Expected as Record<string, ExpectedAttributeValue> | undefined,
        operator,
      );
  }
  if (spec.keyCondition) {
    if (typeof data.KeyConditionExpression === 'string') {
      out.keyCondition = parseKeyCondition(data.KeyConditionExpression, ctx!, spec.keyCondition);
    } else if (data.KeyConditions !== undefined) {
      out.keyCondition = keyConditionFromKeyConditions(
        data.KeyConditions as Record<string, LegacyCondition>,
        spec.keyCondition,
      );
    }
  }
  if (spec.filter) {
    if (typeof data.FilterExpression === 'string') {
      out.filter = parseCondition(data.FilterExpression, ctx!, 'FilterExpression');
    } else {
      out.filter = conditionFromFilter(data[spec.filter] as Record<string, LegacyCondition> | undefined, operator);
    }
  }
  if (spec.projection) {
    if (typeof data.ProjectionExpression === 'string')
      out.projection = parseProjection(data.ProjectionExpression, ctx!);
    else if (data.AttributesToGet !== undefined) {
      out.projection = projectionFromAttributesToGet(data.AttributesToGet as string[]);
    }
  }
  ctx?.assertAllUsed();
  return out;
}

export const conditionHolds = (condition: Condition | undefined, item: Item | undefined): boolean =>
  condition === undefined || evaluateCondition(condition, item);

export const projectItem = (item: Item, paths: Path[]): Item => project(item, paths);

export const applyUpdateActions = (actions: UpdateAction[], item: Item | undefined): Item => applyUpdate(actions, item);

export const updateOnlyRemoves = (actions: UpdateAction[]): boolean => onlyRemoves(actions);

export const updatedAttributePaths = (actions: UpdateAction[]): Path[] => updatedPaths(actions);

/** Top-level attribute names a condition reads (Query refuses filters on key attributes). */
export function conditionAttributeNames(condition: Condition): string[] {
  const names = new Set<string>();
  const operand = (o: Operand): void => {
    if (o.kind === 'path') names.add(String(o.path[0]));
    else if (o.kind === 'size') operand(o.operand);
  };
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'compare':
        operand(c.left);
        operand(c.right);
        return;
      case 'between':
        operand(c.operand);
        operand(c.low);
        operand(c.high);
        return;
      case 'in':
        operand(c.operand);
        c.list.forEach(operand);
        return;
      case 'and':
      case 'or':
        visit(c.left);
        visit(c.right);
        return;
      case 'not':
        visit(c.condition);
        return;
      case 'attribute_exists':
      case 'attribute_not_exists':
        names.add(String(c.path[0]));
        return;
      case 'attribute_type':
        operand(c.operand);
        operand(c.type);
        return;
      case 'begins_with':
        operand(c.operand);
        operand(c.prefix);
        return;
      case 'contains':
        operand(c.operand);
        operand(c.member);
        return;
    }
  };
  visit(condition);
  return [...names];
}
