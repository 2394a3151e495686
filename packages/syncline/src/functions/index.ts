export type { FunctionCredentials } from './credentials.js';
export type { FunctionLogEntry } from './logs.js';
export type { FunctionStats } from './pool.js';
export {
  createFunctionRuntime,
  type FunctionsOptions,
  type LocalFunctionRuntime,
  listFunctionCredentials,
  UnknownFunctionError,
} from './runtime.js';
export type { FunctionRuntime, InvokeOptions, InvokeResult, LambdaError } from './types.js';
