// The DynamoDB-compatible table engine: what the server and data sources use.
export type { ChangeHook, ItemChange } from './context.js';
export type { ActionName, EnsureTableResult, TableDefinition, TableEngine, TableEngineOptions } from './engine.js';
export { ACTIONS, createTableEngine } from './engine.js';
export { DynamoDBError, type DynamoDBErrorName } from './errors.js';
export type { StoredTable } from './model.js';
export { type DynamoDBResponse, errorResponse, handleDynamoDBRequest, type ProtocolOptions } from './protocol.js';
export type { Storage, StorageTx } from './storage/port.js';
export { openSqliteStorage } from './storage/sqlite.js';
export type { AttributeValue, Item } from './values/index.js';
