// What a RELATIONAL_DATABASE data source needs from a database driver: run bound statements on one connection and
// say whether a failure means the database could not be reached (or the SQL failed there).
import type { Dialect } from './rdsPlaceholders.js';
import type { SqlStatementResult } from './rdsResult.js';

export interface RdsStatement {
  /** SQL with the driver's positional placeholders. */
  text: string;
  values: unknown[];
}

export interface RdsFailure {
  /** The database could not be reached or refused the connection (not an error of the statement). */
  unavailable: boolean;
  /** The message in the Data API's words for a SQL error; the driver's own for an unreachable database. */
  message: string;
}

export interface RdsDriver {
  dialect: Dialect;
  /** Data API type hints as suffixes after a placeholder (PostgreSQL casts); absent: values are sent as they are. */
  casts: Record<string, string>;
  /** Runs the statements in order on one connection of the pool. */
  run(statements: RdsStatement[]): Promise<SqlStatementResult[]>;
  classify(error: unknown): RdsFailure;
  close(): Promise<void>;
}
