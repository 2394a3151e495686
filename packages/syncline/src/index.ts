export type { AppConfig, AppModel } from './app/index.js';
export { AppConfigError, defineApp } from './app/index.js';
export type { OperatorCredential } from './auth/operatorCredentials.js';
export type { PolicyDocument } from './auth/policy.js';
export type { Endpoints, ServerOptions, SynclineServer } from './server/createServer.js';
export { createServer } from './server/createServer.js';
export type {
  InvocationRecord,
  Journal,
  JournalEvent,
  OtlpSettings,
  Span,
  StreamDeliveryRecord,
  TraceSummary,
} from './trace/index.js';
