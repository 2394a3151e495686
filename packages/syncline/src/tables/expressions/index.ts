// DynamoDB's expression languages: parse once per request, evaluate per item.
export type {
  Comparator,
  Condition,
  KeyCondition,
  KeyConditionOp,
  Operand,
  Path,
  PathElement,
  SetValue,
  UpdateAction,
} from './ast.js';
export { pathToString } from './ast.js';
export { ExpressionContext } from './context.js';
export { evaluateCondition, getPath } from './evaluate.js';
export type {
  AttributeValueUpdate,
  ComparisonOperator,
  ConditionalOperator,
  ExpectedAttributeValue,
  LegacyCondition,
} from './legacy.js';
export {
  conditionFromExpected,
  conditionFromFilter,
  keyConditionFromKeyConditions,
  projectionFromAttributesToGet,
  updateFromAttributeUpdates,
} from './legacy.js';
export type { KeySchemaNames } from './parser.js';
export { parseCondition, parseKeyCondition, parseProjection, parseUpdate } from './parser.js';
export { project } from './projection.js';
export { isReservedWord } from './reservedWords.js';
export { applyUpdate, onlyRemoves, updatedPaths } from './update.js';
