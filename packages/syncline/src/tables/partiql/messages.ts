// DynamoDB's PartiQL messages, in its words (as DynamoDB Local's PartiQL layer and recorded service answers word
// them). Every ValidationException the PartiQL front end raises is made here, so the wording lives in one place.
import { DynamoDBError, validation } from '../errors.js';

/** A statement that does not parse. DynamoDB appends the parser's own detail after the colon. */
export const malformed = (detail: string) => validation(`Statement wasn't well formed, can't be processed: ${detail}`);

export const MESSAGES = {
  incompleteKey: 'Where clause does not contain a mandatory equality on all key attributes',
  parameterCount: "Number of parameters in request and statement don't match.",
  duplicateItem: 'Duplicate primary key exists in table',
  missingCompare: 'MISSING must be compared using IS operator',
  whereNotBoolean: 'WHERE clause must contain an expression that resolves to a boolean',
  invalidIn:
    'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
  existsOutsideTransaction: 'EXISTS can only be used in ExecuteTransaction write requests.',
  returningInsert: 'RETURNING is not supported in INSERT',
  itemSyntax:
    'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
  emptyBag: 'Empty bags are not supported',
  bagType: 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
  starAndOthers: "Other attributes should not be present in the projection when '*' is used.",
  invalidNextToken: 'Invalid NextToken',
  nextTokenMismatch: 'NextToken does not match request',
  transactionSelectKey: 'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
  transactionIndexRead: 'Reads on indices are not supported within transactions.',
  transactionIndexWrite: 'Operations on indices are not supported in transactions',
  existsKey: 'EXISTS() must contain a single item read with additional condition',
  indexWrite: 'This operation is not supported on an index',
  orderByNeedsWhere: 'Must have WHERE clause in the statement when using ORDER BY clause.',
  orderByNeedsHash:
    'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
  aliasing: 'Aliasing is not supported',
  consistentReadOnGsi: 'Strongly consistent read is not supported on Global Secondary Indexes',
  invalidTableName:
    "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
  unsupportedUpdateAction: 'Only SET and REMOVE are supported in update expressions at this time',
} as const;

export const pqlError = (message: string) => validation(message);

export const keyAbsent = (key: string) => validation(`Key attribute should be present in the item: Key ${key}`);
export const keyMismatch = (key: string) =>
  validation(`Key attribute's data type should match its data type in table's schema: Key ${key}`);
export const multipleKeyConditions = (key: string) =>
  validation(`Multiple conditions on same key ${key}. Only single item Update/Insert/Delete are supported`);
export const unrecognizedFunction = (name: string) => validation(`Unrecognized function: ${name}`);
export const unsupportedConditionOperator = (op: string) =>
  validation(`Unsupported operator in Condition Expression. Operator: ${op}`);
export const unsupportedUpdateOperator = (op: string) =>
  validation(`Unsupported operator in Update Expression. Operator: ${op}`);
export const duplicateSelectNames = (name: string) => validation(`Duplicate identifiers in select clause: ${name}`);
export const unsupportedIsType = (type: string) =>
  validation(
    `Unsupported data type for IS operator: ${type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
  );
export const setFunctionArgs = (fn: string) => validation(`SET_${fn} must have exactly two arguments`);
export const setFunctionFirst = (fn: string) =>
  validation(`The first argument to SET_${fn} must equal the assignment value`);
export const setFunctionSecond = (fn: string) =>
  validation(`The second argument to SET_${fn} must be a value with type SET`);
export const deleteReturning = (what: string) =>
  validation(`Invalid returning clause: RETURNING ${what}. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
export const orderByKey = (name: string) =>
  validation(`Variable reference ${name} in ORDER BY clause must be part of the primary key`);
export const duplicateTupleKey = (key: string) => validation(`Duplicate keys in tuple. Key: ${key}`);

export const duplicateItem = () => new DynamoDBError('DuplicateItemException', MESSAGES.duplicateItem);
